// A real traceroute through two routers, inside network namespaces this test builds and deletes:
//   client 198.51.100.10 -- 198.51.100.1 router1 198.51.100.129 -- 198.51.100.130 router2 203.0.113.1 -- 203.0.113.10 target
// Only TEST-NET addresses, only inside the namespaces; veth pairs are created directly inside them,
// so the host's own interfaces and routes are never touched. Skips with a printed notice where
// namespaces are not permitted (not root, no `ip netns`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveTraces, type TracerName } from '../../src/trace/live.js';
import { findOnPath } from '../../src/trace/live.js';
import { namespacesPermitted, TOPOLOGY_HOPS, TOPOLOGY_TARGET, twoRouterTopology } from '../support/netns-topology.js';

const PREFIX = `nsl-${process.pid}`;
const TARGET = TOPOLOGY_TARGET;
const EXPECTED_HOPS = TOPOLOGY_HOPS;
const topology = twoRouterTopology(PREFIX);
const NS = topology.ns;

const skipReason = namespacesPermitted(PREFIX);
if (skipReason) console.warn(`SKIP: live traceroute through network namespaces not run (${skipReason})`);

describe.skipIf(skipReason !== null)('live traces through client -> router1 -> router2 -> target namespaces', () => {
  beforeAll(topology.build);
  afterAll(topology.destroy);

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
