// The incident sample's synthetic registry answers (samples/incident/registry/registry.json)
// served from loopback: RDAP by address, KISA-style whois by the network holding the query.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressToBigInt, parseRangeText } from '../../src/net/ip-range.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';
import { startRdapReplay, startWhoisReplay, type RdapBehaviour, type RdapReplay, type WhoisReplay } from './registry-servers.js';

interface SampleRegistry {
  rdap: { handle: string }[];
  kisaWhois: Record<string, string>;
}

export function sampleRegistry(): SampleRegistry {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'samples/incident/registry/registry.json'), 'utf8')) as SampleRegistry;
}

export async function startSampleRegistry(behaviour?: (ip: string, attempt: number) => RdapBehaviour): Promise<{ rdap: RdapReplay; whois: WhoisReplay; close(): Promise<void> }> {
  const data = sampleRegistry();
  const rdap = await startRdapReplay(data.rdap, behaviour);
  const whois = await startWhoisReplay((query) => {
    const address = addressToBigInt(query);
    for (const [range, text] of Object.entries(data.kisaWhois)) {
      const parsed = parseRangeText(range);
      if (address && parsed && parsed.start <= address.value && address.value <= parsed.end) return text.replace('{query}', query);
    }
    return `query : ${query}\n\nNo match.\n`;
  });
  return { rdap, whois, close: async () => void (await Promise.all([rdap.close(), whois.close()])) };
}
