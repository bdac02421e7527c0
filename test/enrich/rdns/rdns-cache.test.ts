// The on-disk cache: TTLs on an injected clock, RFC 2308 negative caching,
// atomic writes, and fully offline --dns-cache-only re-runs.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import type { RdnsResult } from '../../../src/model/attribution.js';
import { createReverseDnsBatch } from '../../../src/enrich/rdns/index.js';
import { CACHE_FILE_NAME, RdnsCache } from '../../../src/enrich/rdns/rdns-cache.js';
import { ptrRecord, RCODE, responseTo, soaRecord, startDnsTestServer, type TestDnsServer } from '../../support/dns-test-server.js';

const OK_IP = '203.0.113.1';
const NX_IP = '203.0.113.4';
const FAIL_IP = '203.0.113.9';
const running: TestDnsServer[] = [];
afterEach(async () => void (await Promise.all(running.splice(0).map((s) => s.stop()))));

/** PTR with TTL 600 for OK_IP, NXDOMAIN with SOA minimum 120 for NX_IP, SERVFAIL for FAIL_IP. */
async function zoneServer(): Promise<TestDnsServer> {
  const server = await startDnsTestServer(({ query, reply }) => {
    const name = query?.questions?.[0]?.name ?? '';
    if (!query) return;
    if (name.startsWith('1.113')) reply(responseTo(query, { answers: [ptrRecord(name, 'cached.example.test', 600)] }));
    else if (name.startsWith('4.113')) reply(responseTo(query, { rcode: RCODE.NXDOMAIN, authorities: [soaRecord('in-addr.arpa', 3600, 120)] }));
    else reply(responseTo(query, { rcode: RCODE.SERVFAIL }));
  });
  running.push(server);
  return server;
}

function clockAt(startMs: number) {
  const clock = { ms: startMs, now: () => new Date(clock.ms) };
  return clock;
}

const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });

describe('reverse-DNS cache', () => {
  it('serves answers within their TTL, negative ones for the SOA minimum, and asks again after', async () => {
    const server = await zoneServer();
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const clock = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const run = () => batch([OK_IP, NX_IP, FAIL_IP], { servers: [server.server], timeoutMs: 1000, retries: 0, cacheDir, now: clock.now });

    const first = await run();
    expect(server.counts.udp).toBe(3);
    expect(first.get(OK_IP)).toMatchObject({ status: 'ok', ttl: 600, queriedAt: '2026-01-01T00:00:00.000Z' });
    expect(first.get(NX_IP)).toMatchObject({ status: 'nxdomain', ttl: 120 });

    clock.ms += 100_000; // 100 s: both fresh, SERVFAIL is asked again
    const second = await run();
    expect(server.counts.udp).toBe(4);
    expect(second.get(OK_IP)).toEqual(first.get(OK_IP));

    clock.ms += 30_000; // 130 s: the NXDOMAIN (120 s) expired, the PTR (600 s) has not
    await run();
    expect(server.counts.udp).toBe(6);

    clock.ms += 600_000; // everything expired
    await run();
    expect(server.counts.udp).toBe(9);
  });

  it('reuses a fresh answer only from a server in use now: another resolver is asked afresh', async () => {
    const first = await zoneServer();
    const second = await zoneServer();
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const clock = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const before = await batch([OK_IP], { servers: [first.server], timeoutMs: 1000, retries: 0, cacheDir, now: clock.now });
    expect(before.get(OK_IP)).toMatchObject({ status: 'ok', server: first.server });

    const other = await batch([OK_IP], { servers: [second.server], timeoutMs: 1000, retries: 0, cacheDir, now: clock.now });
    expect(second.counts.udp).toBe(1);
    expect(other.get(OK_IP)).toMatchObject({ status: 'ok', server: second.server });

    const again = await batch([OK_IP], { servers: [second.server], timeoutMs: 1000, retries: 0, cacheDir, now: clock.now });
    expect(second.counts.udp).toBe(1);
    expect(again.get(OK_IP)).toEqual(other.get(OK_IP));
  });

  it('--dns-cache-only replays the cache offline, stale entries and failures included, and skips the rest', async () => {
    const server = await zoneServer();
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const clock = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const online = await batch([OK_IP, NX_IP, FAIL_IP], { servers: [server.server], timeoutMs: 1000, retries: 0, cacheDir, now: clock.now });
    const asked = server.counts.udp;

    clock.ms += 86_400_000;
    const offline = await batch([OK_IP, NX_IP, FAIL_IP, '198.51.100.1'], { servers: [server.server], cacheDir, cacheOnly: true, now: clock.now });
    expect(server.counts.udp).toBe(asked);
    expect(offline.get(OK_IP)).toEqual(online.get(OK_IP));
    expect(offline.get(NX_IP)).toEqual(online.get(NX_IP));
    expect(offline.get(FAIL_IP)).toMatchObject({ status: 'servfail' });
    expect(offline.get('198.51.100.1')).toEqual({ status: 'skipped', names: [], ttl: null, server: null, detail: 'not in cache' });
    const again = await batch([OK_IP, NX_IP, FAIL_IP, '198.51.100.1'], { servers: [], cacheDir, cacheOnly: true, now: clock.now });
    expect(again).toEqual(offline);
  });

  it('does not replace a cached name with a later failure', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const cache = await RdnsCache.load(cacheDir);
    const now = new Date('2026-01-01T00:00:00Z');
    cache.set(OK_IP, { status: 'ok', names: ['kept.example.test'], ttl: 60, server: '127.0.0.1:53' }, now);
    cache.set(OK_IP, { status: 'timeout', names: [], ttl: null, server: '127.0.0.1:53' }, new Date('2026-01-02T00:00:00Z'));
    expect(cache.get(OK_IP)?.result.names).toEqual(['kept.example.test']);
  });

  it('writes atomically (no temp file left), never overwrites a file that is not its cache, and re-checks a hostile one', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const now = new Date('2026-01-01T00:00:00Z');
    const cache = await RdnsCache.load(join(cacheDir, 'nested'));
    cache.set(OK_IP, { status: 'ok', names: ['a.example.test'], ttl: 60, server: '127.0.0.1:53' }, now);
    await cache.save();
    expect(await readdir(join(cacheDir, 'nested'))).toEqual([CACHE_FILE_NAME]);
    expect(JSON.parse(await readFile(join(cacheDir, 'nested', CACHE_FILE_NAME), 'utf8')).entries[OK_IP].expiresAt).toBe('2026-01-01T00:01:00.000Z');

    // Not ours (not our format): read nothing from it and never overwrite it.
    await writeFile(join(cacheDir, CACHE_FILE_NAME), '{"format":1,"entries":{');
    const foreign = await RdnsCache.load(cacheDir);
    expect(foreign.size).toBe(0);
    foreign.set(OK_IP, { status: 'ok', names: ['a.example.test'], ttl: 60, server: null }, now);
    await expect(foreign.save()).rejects.toThrow(UserError);
    expect(await readFile(join(cacheDir, CACHE_FILE_NAME), 'utf8')).toBe('{"format":1,"entries":{');

    const notADirectory = await RdnsCache.load(join(cacheDir, CACHE_FILE_NAME, 'sub'));
    notADirectory.set(OK_IP, { status: 'ok', names: ['a.example.test'], ttl: 60, server: null }, now);
    await expect(notADirectory.save()).rejects.toThrow(/cannot create the reverse-DNS cache directory/);

    const hostile = { format: 1, entries: { [OK_IP]: { expiresAt: '2099-01-01T00:00:00Z', result: { status: 'ok', names: ['evil\u001b]0;pwned\u0007.test', 42], ttl: 60, server: null } }, x: { result: { status: 'owned' } } } };
    await writeFile(join(cacheDir, CACHE_FILE_NAME), JSON.stringify(hostile));
    const loaded = await RdnsCache.load(cacheDir);
    expect(loaded.size).toBe(1);
    expect(loaded.get(OK_IP)?.result.names).toEqual(['evil.test']);
  });

  it('reads its own one-entry-per-line file lazily: hostile lines re-checked, broken ones dropped, unread ones written back as they were', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const file = join(cacheDir, CACHE_FILE_NAME);
    const line = (ip: string, entry: unknown) => `${JSON.stringify(ip)}:${JSON.stringify(entry)}`;
    const entry = (names: unknown[]) => ({ result: { status: 'ok', names, ttl: 60, server: '127.0.0.1:53', queriedAt: '2026-01-01T00:00:00.000Z', rcode: 'NOERROR' }, expiresAt: '2099-01-01T00:00:00.000Z' });
    const untouched = line('198.51.100.7', entry(['untouched.example.test']));
    const lines = [line(OK_IP, entry(['evil\u001b]0;pwned\u0007.test', 42])), '"203.0.113.2":{"result":{"status":"ok",}', line('203.0.113.3', { result: { status: 'owned', names: [] }, expiresAt: '2099-01-01T00:00:00Z' }), untouched];
    await writeFile(file, `{"format":1,"entries":{\n${lines.join(',\n')}\n}}\n`);
    const loaded = await RdnsCache.load(cacheDir);
    expect(loaded.problem).toBeNull();
    expect(loaded.get(OK_IP)?.result.names).toEqual(['evil.test']);
    expect(loaded.get('203.0.113.2')).toBeUndefined();
    expect(loaded.get('203.0.113.3')).toBeUndefined();
    loaded.set(NX_IP, { status: 'nxdomain', names: [], ttl: 120, server: '127.0.0.1:53' }, new Date('2026-01-01T00:00:00Z'));
    await loaded.save();
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toContain(`${untouched},`);
    const parsed = JSON.parse(text) as { entries: Record<string, { result: { names: string[] } }> };
    expect(Object.keys(parsed.entries)).toEqual(['198.51.100.7', OK_IP, NX_IP]);
    expect(parsed.entries[OK_IP]?.result.names).toEqual(['evil.test']);

    // Another layout of the same JSON (pretty-printed by hand) is read whole, the same way.
    await writeFile(file, JSON.stringify(parsed, null, 2));
    const pretty = await RdnsCache.load(cacheDir);
    expect(pretty.problem).toBeNull();
    expect(pretty.get('198.51.100.7')?.result.names).toEqual(['untouched.example.test']);
    expect(pretty.get(NX_IP)).toMatchObject({ result: { status: 'nxdomain', ttl: 120 }, expiresAt: '2026-01-01T00:02:00.000Z' });
  });

  it('writes many entries in pieces that read back the same, in address order', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const cache = await RdnsCache.load(cacheDir);
    const now = new Date('2026-01-01T00:00:00Z');
    const ips = Array.from({ length: 9000 }, (_, i) => `10.${i % 7}.${i >> 8}.${i & 255}`);
    for (const ip of ips) cache.set(ip, { status: 'ok', names: [`h${ip}.example.test`], ttl: 60, server: '127.0.0.1:53' }, now);
    await cache.save();
    const text = await readFile(join(cacheDir, CACHE_FILE_NAME), 'utf8');
    expect(Object.keys(JSON.parse(text).entries)).toEqual([...ips].sort());
    const again = await RdnsCache.load(cacheDir);
    expect(again.size).toBe(ips.length);
    for (const ip of ips) expect(again.get(ip)?.result.names).toEqual([`h${ip}.example.test`]);
  });

  it('writes each entry exactly as JSON.stringify would, whatever its names, server and fields', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const cache = await RdnsCache.load(cacheDir);
    const now = new Date('2026-01-01T00:00:00Z');
    // Keys in the order answers have them (status, names, ttl, server, queriedAt, rcode), and in others.
    const answer = (names: string[], over: Partial<RdnsResult> = {}): RdnsResult => ({ status: 'ok', names, ttl: 60, server: '127.0.0.1:53', queriedAt: '2026-01-01T00:00:00.000Z', rcode: 'NOERROR', ...over });
    const results: RdnsResult[] = [
      answer(['plain.example.test']),
      answer(['a\\124b\\096c.example.test']),
      answer(['quote"d.example.test'], { server: null }),
      answer(['lone\ud800.example.test']),
      answer(['x.example.test'], { ttl: null }),
      answer(['one.example.test', 'two.example.test']),
      answer(['confirmed.example.test'], { fcrdns: 'confirmed' }),
      { ttl: 60, status: 'ok', server: '127.0.0.1:53', names: ['reordered.example.test'], rcode: 'NOERROR', queriedAt: '2026-01-01T00:00:00.000Z' },
      { status: 'nxdomain', names: [], ttl: 120, server: '127.0.0.1:53', queriedAt: '2026-01-01T00:00:00.000Z', rcode: 'NXDOMAIN' },
      { status: 'error', names: [], ttl: null, server: null, detail: 'send failed: "EPERM"\nagain' },
    ];
    const ips = results.map((_, i) => `198.51.100.${i + 1}`);
    results.forEach((result, i) => cache.set(ips[i] as string, result, now));
    await cache.save();
    const text = await readFile(join(cacheDir, CACHE_FILE_NAME), 'utf8');
    for (const [i, result] of results.entries()) {
      const expiresAt = new Date(now.getTime() + (result.status === 'error' ? 0 : (result.ttl ?? 0) * 1000)).toISOString();
      expect(text).toContain(`${JSON.stringify(ips[i])}:${JSON.stringify({ result, expiresAt })}`);
    }
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('writes back an entry longer than a write piece intact, between ordinary ones', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rdns-cache-'));
    const file = join(cacheDir, CACHE_FILE_NAME);
    const names = Array.from({ length: 400 }, (_, i) => `n${i}-${'x'.repeat(200)}.example.test`);
    const long = `"198.51.100.2":${JSON.stringify({ result: { status: 'ok', names, ttl: 60, server: null }, expiresAt: '2099-01-01T00:00:00.000Z' })}`;
    expect(long.length).toBeGreaterThan(64 * 1024);
    await writeFile(file, `{"format":1,"entries":{\n${long}\n}}\n`);
    const cache = await RdnsCache.load(cacheDir);
    const now = new Date('2026-01-01T00:00:00Z');
    for (const ip of ['198.51.100.1', '198.51.100.3']) cache.set(ip, { status: 'ok', names: [`${ip}.example.test`], ttl: 60, server: null }, now);
    await cache.save();
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[2]).toBe(`${long},`);
    expect(Object.keys(JSON.parse(text).entries)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect((await RdnsCache.load(cacheDir)).get('198.51.100.2')?.result.names).toHaveLength(400);
  });
});
