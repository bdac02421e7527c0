// vitest global setup, once per project: the loopback DNS server its tests resolve against.
// e2e gets knot with test/support/test-zone.ts when installed (each service module says visibly
// when it is missing, so a skip is never silent); unit gets a server that refuses every query,
// which starts in milliseconds. Either way no test falls back to /etc/resolv.conf and sends
// queries off the machine.
import type { TestProject } from 'vitest/node';
import { knotInstalled, startKnot } from './support/knot.js';
import { startRefusingDnsServer } from './support/dns-test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** '127.0.0.1:PORT' of the knot server with test/support/test-zone.ts, or null when knotd is missing. */
    dnsServer: string | null;
    /** What test/dns-server-env.ts puts in NETSLEUTH_DNS_SERVER: knot, else the refusing server. */
    defaultDnsServer: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.name !== 'unit' && knotInstalled()) {
    // A port picked free can be taken before knot binds it: one more try on another port.
    const knot = await startKnot().catch(() => startKnot());
    project.provide('dnsServer', knot.server);
    project.provide('defaultDnsServer', knot.server);
    return knot.stop;
  }
  if (project.name !== 'unit') console.warn('SKIP: knotd not installed — real-DNS tests skipped (apt-get install knot)');
  const refusing = await startRefusingDnsServer();
  project.provide('dnsServer', null);
  project.provide('defaultDnsServer', refusing.server);
  return refusing.stop;
}
