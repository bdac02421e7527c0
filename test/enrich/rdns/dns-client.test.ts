// The resolver against in-process servers that misbehave on purpose.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, inject, it } from 'vitest';
import * as dnsPacket from 'dns-packet';
import { DnsClient } from '../../../src/enrich/rdns/dns-client.js';
import { createReverseDnsBatch, DNS_SERVER_ENV } from '../../../src/enrich/rdns/index.js';
import type { DnsClientStats } from '../../../src/enrich/rdns/index.js';
import { parseServerAddress } from '../../../src/enrich/rdns/server-address.js';
import type { RdnsResult } from '../../../src/model/attribution.js';
import { ptrRecord, RCODE, responseTo, soaRecord, startDnsTestServer, type Responder, type TestDnsServer } from '../../support/dns-test-server.js';

const NAME = '1.113.0.203.in-addr.arpa';
const IP = '203.0.113.1';
const running: TestDnsServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function serve(udp: Responder, tcp?: Responder): Promise<TestDnsServer> {
  const server = await startDnsTestServer(udp, tcp);
  running.push(server);
  return server;
}

async function lookup(servers: TestDnsServer[], options: { timeoutMs?: number; retries?: number } = {}): Promise<{ result: RdnsResult; stats: DnsClientStats }> {
  let stats: DnsClientStats | null = null;
  const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {}, onStats: (s) => (stats = s) });
  const results = await batch([IP], { servers: servers.map((s) => s.server), timeoutMs: options.timeoutMs ?? 1000, retries: options.retries ?? 1, cacheDir: null });
  return { result: results.get(IP) as RdnsResult, stats: stats as unknown as DnsClientStats };
}

const okAnswer: Responder = ({ query, reply }) => {
  if (query) reply(responseTo(query, { answers: [ptrRecord(NAME, 'good.example.test')] }));
};

describe('resolver against misbehaving servers', () => {
  it('the test setup points NETSLEUTH_DNS_SERVER at a loopback server, never at resolv.conf', () => {
    const configured = process.env[DNS_SERVER_ENV];
    expect(configured).toBeDefined();
    expect(parseServerAddress(configured as string)?.host).toMatch(/^127\./);
    const knot = inject('dnsServer');
    if (knot !== null) expect(configured).toBe(knot);
  });

  it('sends a PTR question with a random ID, RD set and an EDNS0 OPT record', async () => {
    const seen: dnsPacket.DecodedPacket[] = [];
    const server = await serve((context) => {
      if (context.query) seen.push(context.query);
      okAnswer(context);
    });
    const client = new DnsClient({ servers: [parseServerAddress(server.server)!], timeoutMs: 200, retries: 0 });
    for (let i = 0; i < 8; i++) await client.query(NAME, 'PTR');
    await client.close();
    expect(seen).toHaveLength(8);
    expect(seen[0]?.questions).toEqual([{ name: NAME, type: 'PTR', class: 'IN' }]);
    expect(seen[0]?.flag_rd).toBe(true);
    expect(seen[0]?.additionals?.[0]).toMatchObject({ type: 'OPT', udpPayloadSize: 1232 });
    expect(new Set(seen.map((q) => q.id)).size).toBeGreaterThan(4);
  });

  it('times out on silence, retries with a doubled timeout, and says so', async () => {
    const server = await serve(() => undefined);
    const started = performance.now();
    const { result, stats } = await lookup([server], { timeoutMs: 50, retries: 2 });
    expect(result.status).toBe('timeout');
    expect(result.detail).toContain('within 200 ms');
    expect(server.counts.udp).toBe(3);
    expect(stats.timeouts).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(340);
  });

  it('stops asking a server that answered none of the first 200 attempts', async () => {
    const server = await serve(() => undefined);
    const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });
    const ips = Array.from({ length: 1000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const results = await batch(ips, { servers: [server.server], concurrency: 100, timeoutMs: 50, retries: 0, cacheDir: null });
    const values = [...results.values()];
    expect(values.every((r) => r.status === 'timeout')).toBe(true);
    // Every query sent reaches the server, but the last ones may still sit in its socket buffer
    // when the batch returns (a loaded machine): give them up to a second to be read.
    const asked = 1000 - values.filter((r) => r.detail?.startsWith('not asked:')).length;
    for (let waits = 0; server.counts.udp < asked && waits < 50; waits++) await new Promise((resolve) => setTimeout(resolve, 20));
    // Waves of 100: the third starts while the second is still timing out; none after it.
    expect(server.counts.udp).toBeGreaterThanOrEqual(200);
    expect(server.counts.udp).toBeLessThanOrEqual(300);
    expect(values.filter((r) => r.detail?.startsWith('not asked:')).length).toBe(1000 - server.counts.udp);
  });

  it('times out the questions a server ignores among thousands it answers, on schedule, with the answered ones dropped from the timeout queues', async () => {
    // Every 97th address is never answered: its attempts wait in the timeout queues among
    // thousands answered long before their deadline, which the queues drop as they go.
    const server = await serve(({ query, reply }) => {
      const name = query?.questions?.[0]?.name ?? '';
      if (query && Number(name.split('.')[0]) % 97 !== 0) reply(responseTo(query, { answers: [ptrRecord(name, `h${name.split('.')[0]}.example.test`)] }));
    });
    const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });
    const ips = Array.from({ length: 4000 }, (_, i) => `10.2.${i >> 8}.${i & 255}`);
    const started = performance.now();
    const results = await batch(ips, { servers: [server.server], concurrency: 200, timeoutMs: 300, retries: 1, cacheDir: null });
    const silent = ips.filter((ip) => Number(ip.split('.')[3]) % 97 === 0);
    for (const ip of ips) {
      const result = results.get(ip) as RdnsResult;
      if (silent.includes(ip)) expect(result).toMatchObject({ status: 'timeout', detail: expect.stringContaining('within 600 ms') });
      else expect(result).toMatchObject({ status: 'ok', names: [`h${ip.split('.')[3]}.example.test`] });
    }
    // Each silent address waits 300 + 600 ms, no less; the waves overlap, so the whole batch is not much more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.counts.udp).toBe(ips.length + silent.length);
  });

  it('answers after a lost first packet thanks to the retry', async () => {
    const server = await serve((context) => {
      if (context.seq > 1) okAnswer(context);
    });
    const { result } = await lookup([server], { timeoutMs: 200, retries: 1 });
    expect(result.status).toBe('ok');
    expect(result.names).toEqual(['good.example.test']);
  });

  it.each([
    ['SERVFAIL', RCODE.SERVFAIL, 'servfail'],
    ['REFUSED', RCODE.REFUSED, 'refused'],
    ['FORMERR without EDNS', RCODE.FORMERR, 'error'],
  ] as const)('keeps %s distinct', async (_label, rcode, status) => {
    const server = await serve(({ query, reply }) => query && reply(responseTo(query, { rcode })));
    const { result } = await lookup([server]);
    expect(result.status).toBe(status);
    expect(result.server).toBe(server.server);
  });

  it('retries without EDNS when a server answers FORMERR to the OPT record', async () => {
    const server = await serve(({ query, reply }) => {
      if (!query) return;
      if (query.additionals?.some((r) => r.type === 'OPT')) reply(responseTo(query, { rcode: RCODE.FORMERR }));
      else okAnswer({ query, reply } as never);
    });
    const { result } = await lookup([server]);
    expect(result.status).toBe('ok');
  });

  it('asks the next server after SERVFAIL', async () => {
    const failing = await serve(({ query, reply }) => query && reply(responseTo(query, { rcode: RCODE.SERVFAIL })));
    const working = await serve(okAnswer);
    const { result } = await lookup([failing, working], { retries: 1 });
    expect(result.status).toBe('ok');
    expect(result.server).toBe(working.server);
  });

  it('caches nothing it cannot trust: NXDOMAIN TTL comes from the SOA minimum (RFC 2308)', async () => {
    const server = await serve(({ query, reply }) => query && reply(responseTo(query, { rcode: RCODE.NXDOMAIN, authorities: [soaRecord('in-addr.arpa', 900, 120)] })));
    const { result } = await lookup([server]);
    expect(result).toMatchObject({ status: 'nxdomain', ttl: 120, rcode: 'NXDOMAIN' });
  });

  it('falls back to TCP when the UDP answer has TC set', async () => {
    const server = await serve(
      ({ query, reply }) => query && reply(responseTo(query, { truncated: true })),
      ({ query, reply }) => query && reply(responseTo(query, { answers: [ptrRecord(NAME, 'over-tcp.example.test')] })),
    );
    const { result, stats } = await lookup([server]);
    expect(result.status).toBe('ok');
    expect(result.names).toEqual(['over-tcp.example.test']);
    expect(server.counts.tcp).toBe(1);
    expect(stats.tcpFallbacks).toBe(1);
  });

  it('reports an error when TC is set and TCP is not served', async () => {
    const server = await serve(({ query, reply }) => query && reply(responseTo(query, { truncated: true })));
    const { result } = await lookup([server], { retries: 0 });
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/truncated over UDP and TCP failed/);
  });

  it('drops answers with a spoofed ID and still accepts the real one', async () => {
    const server = await serve(({ query, reply }) => {
      if (!query) return;
      for (let i = 1; i <= 5; i++) reply(responseTo(query, { id: ((query.id ?? 0) + i) & 0xffff, answers: [ptrRecord(NAME, 'spoofed.example.test')] }));
      setTimeout(() => reply(responseTo(query, { answers: [ptrRecord(NAME, 'real.example.test')] })), 10);
    });
    const { result, stats } = await lookup([server]);
    expect(result.names).toEqual(['real.example.test']);
    expect(stats.droppedUnknownId).toBe(5);
  });

  it('never takes an answer from another source port', async () => {
    const server = await serve(({ query, reply, replyFromOtherPort }) => {
      if (!query) return;
      replyFromOtherPort(responseTo(query, { answers: [ptrRecord(NAME, 'spoofed.example.test')] }));
      setTimeout(() => reply(responseTo(query, { answers: [ptrRecord(NAME, 'real.example.test')] })), 10);
    });
    const { result, stats } = await lookup([server]);
    expect(result.names).toEqual(['real.example.test']);
    // The sockets are connected, so the kernel already drops it; the address check stays as a second line.
    expect(stats.accepted).toBe(1);
  });

  it('refuses an answer to a different question: error after the retries, never its names', async () => {
    const server = await serve(({ query, reply }) => query && reply(responseTo(query, { questionName: '9.9.9.9.in-addr.arpa', answers: [ptrRecord('9.9.9.9.in-addr.arpa', 'other.example.test')] })));
    const { result, stats } = await lookup([server], { timeoutMs: 40, retries: 1 });
    expect(result.status).toBe('error');
    expect(result.names).toEqual([]);
    expect(result.detail).toMatch(/does not repeat our question/);
    expect(stats.droppedWrongQuestion).toBe(2);
  });

  const id = (query: dnsPacket.DecodedPacket) => {
    const header = Buffer.alloc(2);
    header.writeUInt16BE(query.id ?? 0);
    return header;
  };
  const malformed: [string, (query: dnsPacket.DecodedPacket) => Buffer][] = [
    ['a truncated header', (query) => Buffer.concat([id(query), Buffer.from([0x81])])],
    ['a header claiming records that are missing', (query) => Buffer.concat([id(query), Buffer.from([0x81, 0x80, 0, 1, 0, 9, 0, 0, 0, 0])])],
    ['a question cut mid-label', (query) => Buffer.concat([id(query), Buffer.from([0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0x61, 0x62])])],
    ['a compression pointer to itself (loop)', (query) => Buffer.concat([id(query), Buffer.from([0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 12, 0, 1])])],
    ['a forward compression pointer', (query) => Buffer.concat([id(query), Buffer.from([0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 40, 0, 12, 0, 1])])],
    ['a reserved label type', (query) => Buffer.concat([id(query), Buffer.from([0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 12, 0, 1])])],
    ['a query (QR bit clear) echoed back', (query) => dnsPacket.encode({ ...query, type: 'query' })],
  ];
  it.each(malformed)('survives %s: status error, counted, no crash', async (_label, build) => {
    const server = await serve(({ query, reply }) => query && reply(build(query)));
    const { result, stats } = await lookup([server], { timeoutMs: 40, retries: 0 });
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/malformed|mismatched/);
    expect(stats.droppedMalformed + stats.droppedWrongQuestion).toBeGreaterThanOrEqual(1);
  });

  it('survives a compression loop inside the answer section', async () => {
    const server = await serve(({ query, reply }) => {
      if (!query) return;
      const good = responseTo(query, {});
      // One answer record whose owner name is a pointer to itself.
      const looped = Buffer.concat([good, Buffer.from([0xc0, good.length, 0, 12, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12])]);
      looped.writeUInt16BE(1, 6);
      reply(looped);
    });
    const { result } = await lookup([server], { timeoutMs: 40, retries: 0 });
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/malformed answer: .*pointer/);
  });

  it('follows a CNAME chain across queries and stops at the hop bound', async () => {
    const server = await serve(({ query, reply }) => {
      const name = query?.questions?.[0]?.name ?? '';
      const hop = /^hop(\d+)\./.exec(name);
      const next = hop ? Number(hop[1]) + 1 : 0;
      if (query) reply(responseTo(query, { answers: [{ type: 'CNAME', name, ttl: 60, class: 'IN', data: `hop${next}.example.test` }] }));
    });
    const { result } = await lookup([server]);
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/CNAME chain longer than 8 hops/);
    expect(server.counts.udp).toBe(9);
  });

  it('talks to an IPv6 server ([::1]:PORT) and checks its address too', async () => {
    const socket = createSocket('udp6');
    await new Promise<void>((resolve) => socket.bind(0, '::1', () => resolve()));
    socket.on('message', (raw: Buffer, remote) => {
      const query = dnsPacket.decode(raw);
      socket.send(responseTo(query, { answers: [ptrRecord(NAME, 'v6-server.example.test')] }), remote.port, remote.address);
    });
    try {
      const server = `[::1]:${socket.address().port}`;
      const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });
      const results = await batch([IP], { servers: [server], timeoutMs: 200, retries: 0, cacheDir: null });
      expect(results.get(IP)).toMatchObject({ status: 'ok', names: ['v6-server.example.test'], server });
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  it('fails fast when nothing listens on the server port (ICMP port unreachable)', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });
    const started = performance.now();
    const results = await batch([IP], { servers: [`127.0.0.1:${port}`], timeoutMs: 3000, retries: 1, cacheDir: null });
    expect(results.get(IP)).toMatchObject({ status: 'error', detail: expect.stringMatching(/unreachable/) });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('returns error without touching the network when no server is configured', async () => {
    const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent/resolv.conf', env: {} });
    const results = await batch([IP], { servers: [] });
    expect(results.get(IP)).toMatchObject({ status: 'error', detail: 'no DNS server configured (/nonexistent/resolv.conf)' });
  });
});
