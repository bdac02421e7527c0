// Batch behaviour: bounded concurrency, rate limit, progress, dedupe, bad input.
import { afterEach, describe, expect, it } from 'vitest';
import { createReverseDnsBatch } from '../../../src/enrich/rdns/index.js';
import type { RdnsProgress } from '../../../src/model/services.js';
import { ptrRecord, responseTo, startDnsTestServer, type TestDnsServer } from '../../support/dns-test-server.js';

const running: TestDnsServer[] = [];
afterEach(async () => void (await Promise.all(running.splice(0).map((s) => s.stop()))));
const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });

/** Answers every PTR after `delayMs`, tracking how many questions were open at once. */
async function slowServer(delayMs: number) {
  const state = { open: 0, maxOpen: 0 };
  const server = await startDnsTestServer(({ query, reply }) => {
    if (!query) return;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    setTimeout(() => {
      state.open--;
      reply(responseTo(query, { answers: [ptrRecord(query.questions?.[0]?.name ?? '', 'slow.example.test')] }));
    }, delayMs);
  });
  running.push(server);
  return { server, state };
}

const addresses = (count: number) => Array.from({ length: count }, (_, i) => `198.51.100.${i}`);

describe('reverseDnsBatch', () => {
  it('keeps at most `concurrency` queries in flight', async () => {
    const { server, state } = await slowServer(20);
    const results = await batch(addresses(60), { servers: [server.server], concurrency: 7, timeoutMs: 1000, cacheDir: null });
    expect([...results.values()].every((r) => r.status === 'ok')).toBe(true);
    expect(state.maxOpen).toBe(7);
  });

  it('honours a rate limit', async () => {
    const { server } = await slowServer(0);
    const started = performance.now();
    await batch(addresses(21), { servers: [server.server], rateLimit: 200, timeoutMs: 1000, cacheDir: null });
    // 21 queries at 200/s: the last starts 100 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('reports progress from 0 to done === total', async () => {
    const { server } = await slowServer(1);
    const seen: RdnsProgress[] = [];
    await batch(addresses(50), { servers: [server.server], concurrency: 10, timeoutMs: 1000, cacheDir: null, onProgress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ done: 0, total: 50 });
    expect(seen.at(-1)).toMatchObject({ done: 50, total: 50, etaSeconds: 0 });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('asks once per distinct address however spelled, keeps input keys, and marks non-addresses as errors', async () => {
    const { server } = await slowServer(0);
    const results = await batch(['198.51.100.1', '198.51.100.1', '::ffff:198.51.100.2', 'not-an-ip', '', '198.51.100.2'], { servers: [server.server], timeoutMs: 1000, cacheDir: null });
    expect([...results.keys()]).toEqual(['198.51.100.1', '::ffff:198.51.100.2', 'not-an-ip', '', '198.51.100.2']);
    expect(server.counts.udp).toBe(2);
    expect(results.get('198.51.100.2')).toBe(results.get('::ffff:198.51.100.2'));
    expect(results.get('::ffff:198.51.100.2')).toMatchObject({ status: 'ok' });
    expect(results.get('not-an-ip')).toMatchObject({ status: 'error', detail: 'not an IP address' });
  });

  it('stops on an abort signal: finished answers kept, the rest skipped as cancelled, promptly', async () => {
    const controller = new AbortController();
    // Query 20 is sent only after the first 10 answers were recorded; abort then, before the second wave is answered.
    const server = await startDnsTestServer(({ query, reply, seq }) => {
      if (!query) return;
      if (seq === 20) controller.abort();
      setTimeout(() => reply(responseTo(query, { answers: [ptrRecord(query.questions?.[0]?.name ?? '', 'slow.example.test')] })), 30);
    });
    running.push(server);
    const started = performance.now();
    const results = await batch(addresses(40), { servers: [server.server], concurrency: 10, timeoutMs: 5000, cacheDir: null, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1000);
    const statuses = [...results.values()].map((r) => r.status);
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'skipped')).toHaveLength(30);
    expect([...results.values()].filter((r) => r.status === 'skipped').every((r) => r.detail === 'cancelled')).toBe(true);
    expect(results.size).toBe(40);
  });

  it('an empty batch asks nothing', async () => {
    expect((await batch([], { servers: [] })).size).toBe(0);
  });

  it('an invalid server string is a UserError', async () => {
    await expect(batch(['198.51.100.1'], { servers: ['dns.example'] })).rejects.toThrow(/invalid DNS server 'dns.example'/);
  });
});
