// vitest global setup: starts the real services tests need when they are installed.
// Each service module says visibly when it is missing, so a skip is never silent.
import type { TestProject } from 'vitest/node';
import { DNS_SERVER_ENV } from '../src/enrich/rdns/server-address.js';
import { knotInstalled, startKnot } from './support/knot.js';
import { startRefusingDnsServer } from './support/dns-test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** '127.0.0.1:PORT' of the knot server with test/support/test-zone.ts, or null when knotd is missing. */
    dnsServer: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];

  // Reverse DNS: every test that does not name a server gets this one through
  // NETSLEUTH_DNS_SERVER, so no test ever falls back to /etc/resolv.conf and
  // sends queries off the machine.
  if (knotInstalled()) {
    // A port picked free can be taken before knot binds it: one more try on another port.
    const knot = await startKnot().catch(() => startKnot());
    teardowns.push(knot.stop);
    project.provide('dnsServer', knot.server);
    process.env[DNS_SERVER_ENV] = knot.server;
  } else {
    console.warn('SKIP: knotd not installed — real-DNS tests skipped (apt-get install knot)');
    const refusing = await startRefusingDnsServer();
    teardowns.push(refusing.stop);
    project.provide('dnsServer', null);
    process.env[DNS_SERVER_ENV] = refusing.server;
  }

  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
