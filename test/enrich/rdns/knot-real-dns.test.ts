// Against a real authoritative server: knot, started by test/global-setup.ts
// with the zones in test/support/test-zone.ts.
import { inject, describe, expect, it } from 'vitest';
import { createReverseDnsBatch } from '../../../src/enrich/rdns/index.js';
import type { DnsClientStats } from '../../../src/enrich/rdns/index.js';
import type { RdnsResult } from '../../../src/model/attribution.js';
import { BIG_PTR_COUNT, LONG_NAME, ZONE_ADDRESSES as Z } from '../../support/test-zone.js';

const dnsServer = inject('dnsServer');
const NO_RESOLV_CONF = '/nonexistent/resolv.conf';

async function resolveAll(ips: string[], forwardConfirm = true): Promise<{ results: Map<string, RdnsResult>; stats: DnsClientStats }> {
  let stats: DnsClientStats | null = null;
  const batch = createReverseDnsBatch({ resolvConfPath: NO_RESOLV_CONF, env: {}, onStats: (s) => (stats = s) });
  const results = await batch(ips, { servers: [dnsServer as string], timeoutMs: 1000, retries: 1, forwardConfirm, cacheDir: null });
  return { results, stats: stats as unknown as DnsClientStats };
}

describe.skipIf(dnsServer === null)('reverse DNS against knot', () => {
  const cases: { ip: string; status: RdnsResult['status']; names: string[]; fcrdns?: RdnsResult['fcrdns']; ttl: number | null; detail?: RegExp }[] = [
    { ip: Z.confirmed, status: 'ok', names: ['host1.example.test'], fcrdns: 'confirmed', ttl: 3600 },
    { ip: Z.mismatch, status: 'ok', names: ['mismatch.example.test'], fcrdns: 'mismatch', ttl: 3600 },
    { ip: Z.multiple, status: 'ok', names: ['a.multi.example.test', 'b.multi.example.test'], fcrdns: 'confirmed', ttl: 3600 },
    { ip: Z.nxdomain, status: 'nxdomain', names: [], ttl: 300 },
    { ip: '198.51.100.77', status: 'nxdomain', names: [], ttl: 300 },
    { ip: Z.nodata, status: 'nodata', names: [], ttl: 300 },
    { ip: Z.forwardMissing, status: 'ok', names: ['gone.example.test'], fcrdns: 'mismatch', ttl: 3600 },
    { ip: Z.rfc2317, status: 'ok', names: ['classless.example.test'], fcrdns: 'mismatch', ttl: 3600 },
    { ip: Z.crossZoneCname, status: 'ok', names: ['outside.example.test'], fcrdns: 'confirmed', ttl: 3600 },
    { ip: Z.cnameLoop, status: 'error', names: [], ttl: null, detail: /CNAME loop/ },
    { ip: Z.controlChars, status: 'ok', names: ['evil\\027\\09131mred.example.test'], fcrdns: 'unknown', ttl: 3600, detail: /not valid hostnames/ },
    { ip: Z.markdown, status: 'ok', names: ['a\\124b\\096c.example.test'], fcrdns: 'unknown', ttl: 3600 },
    { ip: Z.html, status: 'ok', names: ['\\060script\\062alert\\0401\\041\\060\\047script\\062.example.test'], fcrdns: 'unknown', ttl: 3600 },
    { ip: Z.longName, status: 'ok', names: [LONG_NAME], fcrdns: 'unknown', ttl: 3600 },
    { ip: Z.nulNewline, status: 'ok', names: ['nul\\000nl\\010.example.test'], fcrdns: 'unknown', ttl: 3600 },
    { ip: Z.v6confirmed, status: 'ok', names: ['v6host.example.test'], fcrdns: 'confirmed', ttl: 3600 },
    { ip: Z.v6nxdomain, status: 'nxdomain', names: [], ttl: 300 },
  ];

  it('answers every zone case with its own outcome, names, TTL and FCrDNS verdict', async () => {
    const { results } = await resolveAll(cases.map((c) => c.ip));
    for (const expected of cases) {
      const result = results.get(expected.ip);
      expect(result, expected.ip).toBeDefined();
      expect({ ip: expected.ip, status: result?.status, names: result?.names, ttl: result?.ttl }).toEqual({ ip: expected.ip, status: expected.status, names: expected.names, ttl: expected.ttl });
      if (expected.fcrdns) expect(result?.fcrdns, expected.ip).toBe(expected.fcrdns);
      if (expected.detail) expect(result?.detail, expected.ip).toMatch(expected.detail);
      expect(result?.server).toBe(dnsServer);
      expect(result?.queriedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('records the rcode as evidence', async () => {
    const { results } = await resolveAll([Z.confirmed, Z.nxdomain, Z.nodata], false);
    expect(results.get(Z.confirmed)?.rcode).toBe('NOERROR');
    expect(results.get(Z.nxdomain)?.rcode).toBe('NXDOMAIN');
    expect(results.get(Z.nodata)?.rcode).toBe('NOERROR');
    expect(results.get(Z.confirmed)?.fcrdns).toBeUndefined();
  });

  it('never lets a control character, pipe, backtick or angle bracket through', async () => {
    const { results } = await resolveAll([Z.controlChars, Z.markdown, Z.html, Z.nulNewline], false);
    for (const result of results.values()) {
      for (const name of result.names) expect(name).not.toMatch(/[\u0000-\u001f\u007f|`<>]/);
    }
  });

  it('reads an answer too big for UDP over TCP (knot sets TC)', async () => {
    const { results, stats } = await resolveAll([Z.truncated], false);
    const result = results.get(Z.truncated);
    expect(result?.status).toBe('ok');
    expect(result?.names).toHaveLength(32);
    expect(result?.detail).toContain(`${BIG_PTR_COUNT - 32} more PTR names omitted`);
    expect(result?.detail).toContain('read over TCP');
    expect(stats.tcpFallbacks).toBe(1);
  });

  it('keeps 200 queries in flight over 2,000 addresses without losing an answer', async () => {
    const ips = Array.from({ length: 2000 }, (_, i) => `10.9.${i >> 8}.${i & 255}`);
    let stats: DnsClientStats | null = null;
    const batch = createReverseDnsBatch({ resolvConfPath: NO_RESOLV_CONF, env: {}, onStats: (s) => (stats = s) });
    const results = await batch(ips, { servers: [dnsServer as string], timeoutMs: 2000, retries: 0, concurrency: 200, cacheDir: null });
    expect([...results.values()].filter((r) => r.status === 'nxdomain')).toHaveLength(2000);
    expect((stats as DnsClientStats | null)?.timeouts).toBe(0);
  });
});
