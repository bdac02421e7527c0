// A real traceroute through two routers, inside network namespaces this test builds and deletes:
//   client 198.51.100.10 -- 198.51.100.1 router1 198.51.100.129 -- 198.51.100.130 router2 203.0.113.1 -- 203.0.113.10 target
// Only TEST-NET addresses, only inside the namespaces; veth pairs are created directly inside them,
// so the host's own interfaces and routes are never touched. Skips with a printed notice where
// namespaces are not permitted (not root, no `ip netns`).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveTraces, type TracerName } from '../../src/trace/live.js';
import { findOnPath } from '../../src/trace/live.js';

const PREFIX = `nsl-${process.pid}`;
const NS = { client: `${PREFIX}-client`, router1: `${PREFIX}-r1`, router2: `${PREFIX}-r2`, target: `${PREFIX}-target` };
const TARGET = '203.0.113.10';
const EXPECTED_HOPS = ['198.51.100.1', '198.51.100.130', TARGET];

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, ...args);

function namespacesPermitted(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    ip('netns', 'add', `${PREFIX}-probe`);
    ip('netns', 'del', `${PREFIX}-probe`);
    return null;
  } catch (error) {
    return `ip netns add failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
}

function link(nsA: string, nameA: string, addressA: string, nsB: string, nameB: string, addressB: string): void {
  ip('link', 'add', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
  inNs(nsA, 'ip', 'addr', 'add', addressA, 'dev', nameA);
  inNs(nsB, 'ip', 'addr', 'add', addressB, 'dev', nameB);
  inNs(nsA, 'ip', 'link', 'set', nameA, 'up');
  inNs(nsB, 'ip', 'link', 'set', nameB, 'up');
}

function buildTopology(): void {
  for (const ns of Object.values(NS)) {
    ip('netns', 'add', ns);
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  }
  link(NS.client, 'c0', '198.51.100.10/25', NS.router1, 'r1a', '198.51.100.1/25');
  link(NS.router1, 'r1b', '198.51.100.129/25', NS.router2, 'r2a', '198.51.100.130/25');
  link(NS.router2, 'r2b', '203.0.113.1/24', NS.target, 't0', `${TARGET}/24`);
  inNs(NS.client, 'ip', 'route', 'add', 'default', 'via', '198.51.100.1');
  inNs(NS.router1, 'ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.130');
  inNs(NS.router2, 'ip', 'route', 'add', '198.51.100.0/25', 'via', '198.51.100.129');
  inNs(NS.target, 'ip', 'route', 'add', 'default', 'via', '203.0.113.1');
  // Inside the router namespaces only: forward, and answer every probe (later hops go missing otherwise).
  for (const router of [NS.router1, NS.router2]) inNs(router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0');
}

function deleteNamespaces(): void {
  for (const ns of Object.values(NS)) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not created
    }
  }
}

const skipReason = namespacesPermitted();
if (skipReason) console.warn(`SKIP: live traceroute through network namespaces not run (${skipReason})`);

describe.skipIf(skipReason !== null)('live traces through client -> router1 -> router2 -> target namespaces', () => {
  beforeAll(() => {
    try {
      buildTopology();
    } catch (error) {
      deleteNamespaces();
      throw error;
    }
  });
  afterAll(deleteNamespaces);

  it.each(['traceroute', 'tracepath', 'mtr'] as TracerName[])('%s -n from the client sees both routers and reaches the target', async (tracer) => {
    if (!(await findOnPath(tracer))) {
      console.warn(`SKIP: ${tracer} not installed — its namespace trace not run`);
      return;
    }
    const progress: string[] = [];
    const [result] = await runLiveTraces([TARGET], {
      tracer,
      commandPrefix: ['ip', 'netns', 'exec', NS.client],
      perTraceTimeoutMs: 20_000,
      totalTimeoutMs: 30_000,
      concurrency: 1,
      maxHops: 8,
      onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.ip} ${p.ok}`),
    });
    expect(result!.error).toBeNull();
    const path = result!.path!;
    expect(path.format).toBe(`live:${tracer}`);
    expect(path.raw).toContain(TARGET);
    expect(path.reached).toBe(true);
    // The first answering address of every hop (tracepath may print a TTL twice, mtr once per hop).
    const hops = path.hops.map((hop) => hop.probes.find((probe) => probe.ip !== null)?.ip ?? null);
    expect(hops).toEqual(EXPECTED_HOPS);
    expect(progress).toEqual([`1/1 ${TARGET} true`]);
  }, 40_000);
});
