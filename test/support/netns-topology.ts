// client -> router1 -> router2 -> target network namespaces joined by veth pairs, for tests that
// run a real traceroute. Only TEST-NET addresses, only inside the namespaces; veth pairs are created
// directly inside them, so the host's own interfaces and routes are never touched.
//   client 198.51.100.10 -- 198.51.100.1 router1 198.51.100.129 -- 198.51.100.130 router2 203.0.113.1 -- 203.0.113.10 target
import { execFileSync } from 'node:child_process';

export const TOPOLOGY_TARGET = '203.0.113.10';
/** What a traceroute from the client to the target must see, in order. */
export const TOPOLOGY_HOPS = ['198.51.100.1', '198.51.100.130', TOPOLOGY_TARGET];

export const ipCommand = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
export const inNamespace = (ns: string, ...args: string[]) => ipCommand('netns', 'exec', ns, ...args);

/** null when this process may create namespaces, else why not (for a visible SKIP notice). */
export function namespacesPermitted(prefix: string): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    ipCommand('netns', 'add', `${prefix}-probe`);
    ipCommand('netns', 'del', `${prefix}-probe`);
    return null;
  } catch (error) {
    return `ip netns add failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
}

export interface TwoRouterTopology {
  ns: { client: string; router1: string; router2: string; target: string };
  build(): void;
  destroy(): void;
}

/** Namespace names start with `prefix` (make it unique per process: parallel test files). */
export function twoRouterTopology(prefix: string): TwoRouterTopology {
  const ns = { client: `${prefix}-c`, router1: `${prefix}-r1`, router2: `${prefix}-r2`, target: `${prefix}-t` };
  const link = (nsA: string, nameA: string, addressA: string, nsB: string, nameB: string, addressB: string) => {
    ipCommand('link', 'add', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
    inNamespace(nsA, 'ip', 'addr', 'add', addressA, 'dev', nameA);
    inNamespace(nsB, 'ip', 'addr', 'add', addressB, 'dev', nameB);
    inNamespace(nsA, 'ip', 'link', 'set', nameA, 'up');
    inNamespace(nsB, 'ip', 'link', 'set', nameB, 'up');
  };
  const destroy = () => {
    for (const name of Object.values(ns)) {
      try {
        ipCommand('netns', 'del', name);
      } catch {
        // not created
      }
    }
  };
  const build = () => {
    try {
      for (const name of Object.values(ns)) {
        ipCommand('netns', 'add', name);
        inNamespace(name, 'ip', 'link', 'set', 'lo', 'up');
      }
      link(ns.client, 'c0', '198.51.100.10/25', ns.router1, 'r1a', '198.51.100.1/25');
      link(ns.router1, 'r1b', '198.51.100.129/25', ns.router2, 'r2a', '198.51.100.130/25');
      link(ns.router2, 'r2b', '203.0.113.1/24', ns.target, 't0', `${TOPOLOGY_TARGET}/24`);
      inNamespace(ns.client, 'ip', 'route', 'add', 'default', 'via', '198.51.100.1');
      inNamespace(ns.router1, 'ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.130');
      inNamespace(ns.router2, 'ip', 'route', 'add', '198.51.100.0/25', 'via', '198.51.100.129');
      inNamespace(ns.target, 'ip', 'route', 'add', 'default', 'via', '203.0.113.1');
      // Inside the router namespaces only: forward, and answer every probe (later hops go missing otherwise).
      for (const router of [ns.router1, ns.router2]) inNamespace(router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0');
    } catch (error) {
      destroy();
      throw error;
    }
  };
  return { ns, build, destroy };
}
