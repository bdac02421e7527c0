import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupNetworks, type NetworkLookupOptions } from '../../../src/enrich/network/lookup-networks.js';
import { loadBootstrap } from '../../../src/enrich/network/rdap-bootstrap.js';
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../../helpers/run-cli.js';
import { recordedRdapAnswers, startRdapReplay, startWhoisReplay, type RdapBehaviour } from '../../support/registry-servers.js';

const krnicPage = (JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/krnic.json'), 'utf8')) as Record<string, { response: string }>)['115.1.2.3']!.response;
const bootstrap = loadBootstrap(null);
let cacheRoot: string;

beforeAll(() => {
  cacheRoot = mkdtempSync(join(tmpdir(), 'netsleuth-rdap-'));
});
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

function options(server: string, extra: Partial<NetworkLookupOptions> = {}): NetworkLookupOptions {
  // Port 9 on loopback (discard, nothing listens): a national registry's real whois is never asked.
  return { bootstrap, server, whoisServer: '127.0.0.1:9', cacheDir: null, ratePerSecond: 0, timeoutMs: 1000, retries: 1, sleep: async () => undefined, ...extra };
}

describe('lookupNetworks against a loopback RDAP server replaying recorded answers', () => {
  it('asks once per network, not once per address, and reads all five RIRs', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers());
    try {
      const ips = ['210.107.73.73', '210.107.1.1', '210.107.100.200', '74.125.225.229', '74.125.1.1', '62.239.237.1', '200.57.141.161', '196.11.240.215', '2001:4860:4860::8888'];
      const { networks, stats } = await lookupNetworks(ips, options(rdap.url));
      expect(stats.rdap).toBe(6);
      expect(rdap.requests).toHaveLength(6);
      expect(networks.get('210.107.100.200')).toMatchObject({ status: 'ok', range: '210.107.0.0/17', registry: 'APNIC' });
      expect(networks.get('74.125.1.1')).toMatchObject({ status: 'ok', registry: 'ARIN', url: `${rdap.url}ip/74.125.225.229` });
      expect(new Set([...networks.values()].map((network) => network.registry))).toEqual(new Set(['APNIC', 'ARIN', 'RIPE NCC', 'LACNIC', 'AFRINIC']));
      // Nobody answers on the whois port: the KRNIC attempt fails visibly, the RDAP data stays.
      expect(networks.get('210.107.73.73')?.nir).toMatchObject({ registry: 'KRNIC', status: 'error', detail: expect.stringContaining('connection refused') });
    } finally {
      await rdap.close();
    }
  });

  it('Korean network: APNIC names KRNIC, KISA whois gives the network\'s own abuse e-mail', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers());
    const whois = await startWhoisReplay(() => krnicPage);
    try {
      const { networks, stats } = await lookupNetworks(['210.107.73.73'], options(rdap.url, { whoisServer: whois.server }));
      const network = networks.get('210.107.73.73')!;
      expect(whois.queries).toEqual(['210.107.73.73']);
      expect(stats.whois).toBe(1);
      expect(network.source).toBe('rdap+whois');
      expect(network.abuse).toMatchObject({ emails: ['kornet_ip@kt.com'], handle: 'IRT-KRNIC-KR' });
      expect(network.nir).toMatchObject({ registry: 'KRNIC', status: 'ok', org: 'KT', range: '115.1.2.0 - 115.1.2.63' });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('a whois server that never answers leaves the RDAP contact and says why', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers());
    const whois = await startWhoisReplay(() => 'hang');
    try {
      const { networks } = await lookupNetworks(['210.107.73.73'], options(rdap.url, { whoisServer: whois.server, timeoutMs: 300, retries: 0 }));
      const network = networks.get('210.107.73.73')!;
      expect(network.status).toBe('ok');
      expect(network.source).toBe('rdap');
      expect(network.abuse?.emails).toEqual(['hostmaster@nic.or.kr']);
      expect(network.nir).toMatchObject({ status: 'timeout' });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('every bad answer becomes a status on its network; the others still answer', async () => {
    const modes: Record<string, RdapBehaviour> = {
      '62.239.237.1': '404',
      '200.57.141.161': '500',
      '196.11.240.215': 'loop',
      '74.125.225.229': 'invalid-json',
      '2001:4860:4860::8888': 'huge',
      '2a00:2381:ffff::1': 'hang',
      '2801:10:c000::': '429-long',
    };
    const rdap = await startRdapReplay(recordedRdapAnswers(), (ip) => modes[ip] ?? 'ok');
    try {
      const started = Date.now();
      const { networks } = await lookupNetworks([...Object.keys(modes), '210.107.73.73'], options(rdap.url, { timeoutMs: 500, retries: 1, whoisServer: '127.0.0.1:9' }));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'not-found' });
      expect(networks.get('200.57.141.161')).toMatchObject({ status: 'error', detail: expect.stringContaining('HTTP 500') });
      expect(networks.get('196.11.240.215')).toMatchObject({ status: 'bad-answer', detail: expect.stringContaining('redirect loop') });
      expect(networks.get('74.125.225.229')).toMatchObject({ status: 'bad-answer', detail: expect.stringContaining('not valid JSON') });
      expect(networks.get('2001:4860:4860::8888')).toMatchObject({ status: 'bad-answer', detail: expect.stringContaining('larger than') });
      expect(networks.get('2a00:2381:ffff::1')).toMatchObject({ status: 'timeout' });
      expect(networks.get('2801:10:c000::')).toMatchObject({ status: 'rate-limited', detail: expect.stringContaining('3600') });
      expect(networks.get('210.107.73.73')).toMatchObject({ status: 'ok' });
    } finally {
      await rdap.close();
    }
  });

  it('429 with a short Retry-After waits that long, then succeeds; redirects are followed', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), (ip, attempt) => (ip === '62.239.237.1' && attempt === 1 ? '429' : ip === '74.125.225.229' ? 'redirect' : 'ok'));
    const waits: number[] = [];
    try {
      const { networks } = await lookupNetworks(['62.239.237.1', '74.125.225.229'], options(rdap.url, { sleep: async (ms) => void waits.push(ms) }));
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'ok', name: 'BT-CORPORATE' });
      expect(waits).toContain(1000);
      expect(networks.get('74.125.225.229')).toMatchObject({ status: 'ok', url: `${rdap.url}redirected/ip/74.125.225.229` });
    } finally {
      await rdap.close();
    }
  });

  it('the cache answers a second run by range; --rdap-cache-only never asks', async () => {
    const cacheDir = join(cacheRoot, 'cache-test');
    const rdap = await startRdapReplay(recordedRdapAnswers());
    try {
      await lookupNetworks(['62.239.237.1'], options(rdap.url, { cacheDir }));
      expect(rdap.requests).toHaveLength(1);
      const again = await lookupNetworks(['62.239.237.200', '8.8.8.8'], options(rdap.url, { cacheDir, cacheOnly: true }));
      expect(rdap.requests).toHaveLength(1);
      expect(again.networks.get('62.239.237.200')).toMatchObject({ status: 'cached', name: 'BT-CORPORATE' });
      expect(again.networks.get('8.8.8.8')).toMatchObject({ status: 'not-cached' });
      // Expired entries are not used.
      const later = await lookupNetworks(['62.239.237.5'], options(rdap.url, { cacheDir, cacheOnly: true, now: () => new Date(Date.now() + 30 * 24 * 3600 * 1000) }));
      expect(later.networks.get('62.239.237.5')).toMatchObject({ status: 'not-cached' });
    } finally {
      await rdap.close();
    }
  });

  it('hostile strings in every field of an answer are sanitised', async () => {
    const evil = '\u001b]8;;http://x\u0007click\u001b]8;;\u0007\u202e<b>|`x`\r\nInjected: header';
    const hostile = { objectClassName: 'ip network', handle: evil, name: evil, country: evil, startAddress: '10.1.0.0', endAddress: '10.1.255.255', port43: evil, entities: [{ handle: evil, roles: ['abuse', evil], vcardArray: ['vcard', [['fn', {}, 'text', evil], ['email', {}, 'text', `${evil}@x`], ['tel', {}, 'text', evil]]] }], remarks: [{ description: [evil] }], events: [{ eventAction: 'last changed', eventDate: evil }] };
    const rdap = await startRdapReplay([hostile]);
    try {
      const { networks } = await lookupNetworks(['10.1.2.3'], options(rdap.url));
      const network = networks.get('10.1.2.3')!;
      expect(network.status).toBe('ok');
      expect(JSON.stringify(network)).not.toMatch(/\\u001b|\\u0007|\u202e|\\r|\\n/);
      expect(network.abuse?.emails).toEqual([]);
    } finally {
      await rdap.close();
    }
  });
});
