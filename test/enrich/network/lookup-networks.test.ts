import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupNetworks, type NetworkLookupOptions } from '../../../src/enrich/network/lookup-networks.js';
import { compileBootstrap, loadBootstrap } from '../../../src/enrich/network/rdap-bootstrap.js';
import { parseRirWhois } from '../../../src/enrich/network/whois-rir.js';
import { addressToBigInt } from '../../../src/net/ip-range.js';
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../../helpers/run-cli.js';
import { recordedRdapAnswers, recordedWhoisAnswers, startRdapReplay, startWhoisReplay, type RdapBehaviour } from '../../support/registry-servers.js';

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

describe('RIR port-43 whois when RDAP cannot answer', () => {
  const recordedWhois = recordedWhoisAnswers();
  /** The recorded RIR answer for the recorded address whose network holds the query (ARIN's 'n + ' stripped). */
  const rirAnswer = (query: string): string | null => {
    const ip = query.replace(/^n \+ /, '');
    for (const [recorded, text] of recordedWhois) {
      const parsed = parseRirWhois(text, recorded);
      const address = addressToBigInt(ip);
      if (parsed?.ipRange && address && parsed.ipRange.version === address.version && parsed.ipRange.start <= address.value && address.value <= parsed.ipRange.end) return text;
    }
    return null;
  };

  it('HTTP 500 from RDAP: the whois answer fills the network, says so, and is cached by its range', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), (ip) => (ip.startsWith('62.239.') || ip.startsWith('2001:4860:') ? '500' : 'ok'));
    const whois = await startWhoisReplay(rirAnswer);
    try {
      const { networks, stats } = await lookupNetworks(['62.239.237.1', '62.239.237.77', '2001:4860:4860::8888'], options(rdap.url, { whoisServer: whois.server, retries: 0 }));
      expect(networks.get('62.239.237.1')).toMatchObject({
        status: 'ok',
        source: 'whois',
        registry: 'RIPE NCC',
        range: '62.239.237.0/24',
        name: 'BT-CORPORATE',
        country: 'GB',
        abuse: { emails: ['protect@bt.com'] },
        detail: expect.stringMatching(/^RDAP: HTTP 500 from 127\.0\.0\.1:\d+; answered by the whois of 127\.0\.0\.1:\d+$/),
      });
      // A second address in the range the whois answer gave costs nothing.
      expect(networks.get('62.239.237.77')).toMatchObject({ source: 'whois', range: '62.239.237.0/24' });
      expect(networks.get('2001:4860:4860::8888')).toMatchObject({ source: 'whois', registry: 'ARIN', handle: 'NET6-2001-4860-1', abuse: { emails: ['arin-contact@google.com'], handle: 'ZG39-ARIN' } });
      expect(whois.queries).toEqual(['62.239.237.1', '2001:4860:4860::8888']);
      expect(stats).toMatchObject({ whois: 2, cached: 1 });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('no RDAP server in the bootstrap: IANA whois refers to the RIR, whose answer is used', async () => {
    const empty = compileBootstrap({ 4: { publication: null, services: [] }, 6: { publication: null, services: [] } }, { 4: '', 6: '' });
    let asked = 0;
    const whois = await startWhoisReplay((query) => (++asked === 1 ? `% IANA WHOIS server\n\nrefer:        whois.ripe.net\n\ninetnum:      62.0.0.0 - 62.255.255.255\n` : rirAnswer(query)));
    try {
      const { networks } = await lookupNetworks(['62.239.237.1'], { ...options('http://127.0.0.1:9/', { whoisServer: whois.server }), server: null, bootstrap: empty });
      expect(whois.queries).toEqual(['62.239.237.1', '62.239.237.1']);
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'ok', source: 'whois', registry: 'RIPE NCC', abuse: { emails: ['protect@bt.com'] }, detail: expect.stringContaining('no RDAP server') });
    } finally {
      await whois.close();
    }
  });

  it('an IANA referral to a host that is not an RIR is not followed', async () => {
    const empty = compileBootstrap({ 4: { publication: null, services: [] }, 6: { publication: null, services: [] } }, { 4: '', 6: '' });
    const whois = await startWhoisReplay(() => 'refer: evil.example.com\n');
    try {
      const { networks } = await lookupNetworks(['62.239.237.1'], { ...options('http://127.0.0.1:9/', { whoisServer: whois.server }), server: null, bootstrap: empty });
      expect(whois.queries).toHaveLength(1);
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'not-found', source: 'none', detail: expect.stringContaining('names no network') });
    } finally {
      await whois.close();
    }
  });

  it('Korean network with RDAP down: APNIC whois names KRNIC, KISA whois gives the network\'s own contact', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), () => '500');
    let asked = 0;
    const whois = await startWhoisReplay((query) => (++asked === 1 ? rirAnswer(query) : krnicPage));
    try {
      const { networks } = await lookupNetworks(['210.107.73.73'], options(rdap.url, { whoisServer: whois.server, retries: 0 }));
      expect(networks.get('210.107.73.73')).toMatchObject({ status: 'ok', source: 'whois+nir', registry: 'APNIC', country: 'KR', abuse: { emails: ['kornet_ip@kt.com'], handle: 'IRT-KRNIC-KR' }, nir: { registry: 'KRNIC', status: 'ok' } });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('RDAP answer without an abuse mailbox (AFRINIC): the RIR whois completes it', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers());
    const whois = await startWhoisReplay(rirAnswer);
    try {
      const { networks } = await lookupNetworks(['196.11.240.215'], options(rdap.url, { whoisServer: whois.server }));
      expect(networks.get('196.11.240.215')).toMatchObject({ status: 'ok', source: 'rdap+rir-whois', registry: 'AFRINIC', range: '196.11.239.0/24 196.11.240.0/22 196.11.244.0/23 196.11.246.0/24', abuse: { emails: ['abuse@mtnbusiness.co.za'] } });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('whois not allowed (whois: false, or the cache only): no port-43 question, the RDAP status stays', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), () => '500');
    const whois = await startWhoisReplay(rirAnswer);
    try {
      const { networks } = await lookupNetworks(['62.239.237.1', '210.107.73.73'], options(rdap.url, { whoisServer: whois.server, retries: 0, whois: false }));
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'error', source: 'none', detail: expect.stringContaining('HTTP 500') });
      expect(whois.queries).toEqual([]);
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('whois failing too: the RDAP status stays, the detail names both failures', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), () => '500');
    const whois = await startWhoisReplay(() => 'hang');
    try {
      const { networks } = await lookupNetworks(['62.239.237.1'], options(rdap.url, { whoisServer: whois.server, retries: 0, timeoutMs: 300 }));
      expect(networks.get('62.239.237.1')).toMatchObject({ status: 'error', source: 'none', detail: expect.stringMatching(/HTTP 500.*; no whois answer from 127\.0\.0\.1:\d+ within 300 ms/) });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });
});
