// dns-packet is CommonJS and only the unusual answers need it (the plain ones are read by
// fast-answer.ts, queries are written by hand): required on first use, not at start-up.
import { createRequire } from 'node:module';
import type * as DnsPacketModule from 'dns-packet';

let loaded: typeof DnsPacketModule | null = null;

export function dnsPacket(): typeof DnsPacketModule {
  loaded ??= createRequire(import.meta.url)('dns-packet') as typeof DnsPacketModule;
  return loaded;
}
