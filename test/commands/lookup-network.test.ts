import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FIXTURES, runCli } from '../helpers/run-cli.js';
import { seededCacheDir } from '../support/cache-dir.js';
import { recordedRdapAnswers, recordedWhoisAnswers, startRdapReplay, startWhoisReplay } from '../support/registry-servers.js';

vi.setConfig({ testTimeout: 120_000 });
const krnicPage = (JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/krnic.json'), 'utf8')) as Record<string, { response: string }>)['115.1.2.3']!.response;

describe('lookup --rdap against loopback servers replaying recorded registry answers', () => {
  it('adds network {handle, name, range, country, registry, registered, lastChanged, org, abuse, source, url} and listedIn', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers());
    const whois = await startWhoisReplay(() => krnicPage);
    try {
      const result = await runCli(['lookup', '210.107.73.73', '62.239.237.1', '10.0.0.1', 'nonsense', '--no-dns', '--rdap', '--rdap-server', rdap.url, '--whois-server', whois.server, '--rdap-rate', '0', '--blocklist', join(FIXTURES, 'real/intelmq/drop.txt'), '-f', 'json'], { env: { NETSLEUTH_CACHE_DIR: seededCacheDir() } });
      expect(result.code).toBe(1);
      const rows = JSON.parse(result.stdout) as { ip: string; network?: Record<string, unknown> | null; listedIn?: unknown[] }[];
      expect(rows[0]?.network).toMatchObject({
        handle: '210.107.0.0 - 210.107.127.255',
        name: 'BORANET-NET-210-107',
        range: '210.107.0.0/17',
        country: 'KR',
        registry: 'APNIC',
        registered: null,
        lastChanged: '2015-08-26T01:25:35.000Z',
        org: 'DACOM Corp.',
        abuse: { emails: ['kornet_ip@kt.com'], phones: ['+82-2-500-6630'], handle: 'IRT-KRNIC-KR' },
        source: 'rdap+whois',
        url: `${rdap.url}ip/210.107.73.73`,
      });
      expect(Object.keys(rows[0]!.network!).slice(0, 11)).toEqual(['handle', 'name', 'range', 'country', 'registry', 'registered', 'lastChanged', 'org', 'abuse', 'source', 'url']);
      expect(rows[1]?.network).toMatchObject({ registry: 'RIPE NCC', abuse: { handle: 'BTCR3-RIPE' } });
      // Special-purpose addresses are never asked about; invalid items carry null.
      expect(rows[2]?.network).toBeNull();
      expect(rows[3]?.network).toBeNull();
      expect(rdap.requests).toHaveLength(2);
      expect(rows.map((row) => row.listedIn)).toEqual([[], [], [], []]);
      const csv = await runCli(['lookup', '1.4.1.1', '--no-dns', '--blocklist', join(FIXTURES, 'real/intelmq/drop.txt'), '-f', 'csv'], { env: { NETSLEUTH_CACHE_DIR: seededCacheDir() } });
      expect(csv.stdout.split('\n')[0]).toMatch(/,listedIn$/);
      expect(csv.stdout.split('\n')[1]).toMatch(/,drop\.txt: 1\.4\.0\.0\/17 ; SBL256893$/);
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('RDAP failing: the RIR whois answers (source "whois", status detail says so); --no-whois asks no whois', async () => {
    const rdap = await startRdapReplay(recordedRdapAnswers(), () => '500');
    const answers = recordedWhoisAnswers();
    const whois = await startWhoisReplay((query) => answers.get(query.replace(/^n \+ /, '')) ?? null);
    try {
      const args = ['lookup', '62.239.237.1', '--no-dns', '--rdap', '--rdap-server', rdap.url, '--whois-server', whois.server, '--rdap-rate', '0', '--rdap-timeout', '500', '-f', 'json'];
      const result = await runCli(args, { env: { NETSLEUTH_CACHE_DIR: seededCacheDir() } });
      const rows = JSON.parse(result.stdout) as { network?: Record<string, unknown> | null }[];
      expect(rows[0]?.network).toMatchObject({ status: 'ok', source: 'whois', registry: 'RIPE NCC', range: '62.239.237.0/24', name: 'BT-CORPORATE', abuse: { emails: ['protect@bt.com'] }, url: null, detail: expect.stringContaining('HTTP 500') });
      expect(whois.queries).toEqual(['62.239.237.1']);
      const without = await runCli([...args, '--no-whois'], { env: { NETSLEUTH_CACHE_DIR: seededCacheDir() } });
      expect((JSON.parse(without.stdout) as { network?: Record<string, unknown> | null }[])[0]?.network).toMatchObject({ status: 'error', source: 'none' });
      expect(whois.queries).toHaveLength(1);
    } finally {
      await rdap.close();
      await whois.close();
    }
  });

  it('without --rdap and lists the JSON is unchanged (no network, no listedIn)', async () => {
    const result = await runCli(['lookup', '8.8.8.8', '--no-dns', '-f', 'json'], { env: { NETSLEUTH_CACHE_DIR: seededCacheDir() } });
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows[0]).not.toHaveProperty('network');
    expect(rows[0]).not.toHaveProperty('listedIn');
  });
});
