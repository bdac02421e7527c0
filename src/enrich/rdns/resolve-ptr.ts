// One address's reverse DNS as evidence: PTR names (validated, escaped,
// sanitized), the outcome, TTL, the server that answered, when and its rcode.
import type { RdnsResult } from '../../model/attribution.js';
import type { ParsedIp } from '../../net/ip.js';
import type { DnsClient } from './dns-client.js';
import { forwardConfirm } from './forward-confirm.js';
import { presentPtrName, type PresentedName } from './ptr-name.js';
import { resolveChain } from './resolve-chain.js';
import { reverseNameFor } from './reverse-name.js';

/** More PTR names than this is a hostile or broken zone; the rest are counted, not kept. */
export const MAX_PTR_NAMES = 32;

export interface ResolvePtrOptions {
  forwardConfirm: boolean;
  now: () => Date;
}

export async function resolvePtr(client: DnsClient, parsed: ParsedIp, options: ResolvePtrOptions): Promise<RdnsResult> {
  const chain = await resolveChain(client, reverseNameFor(parsed), 'PTR');
  const result: RdnsResult = { status: chain.status, names: [], ttl: chain.ttl, server: chain.server, queriedAt: options.now().toISOString() };
  if (chain.rcode !== null) result.rcode = chain.rcode;
  const notes: string[] = [];
  if (chain.detail !== null) notes.push(chain.detail);
  if (chain.status === 'ok') {
    const presented = chain.data.length === 1 ? [presentPtrName(chain.data[0] ?? '')] : distinctSorted(chain.data.map(presentPtrName));
    const kept = presented.slice(0, MAX_PTR_NAMES);
    result.names = kept.map((name) => name.name);
    if (presented.length > kept.length) notes.push(`${presented.length - kept.length} more PTR names omitted`);
    const invalid = kept.filter((name) => !name.valid).length;
    if (invalid > 0) notes.push(`${invalid} PTR name(s) not valid hostnames, shown escaped`);
    if (chain.viaTcp) notes.push('answer truncated over UDP, read over TCP');
    if (options.forwardConfirm) result.fcrdns = await forwardConfirm(client, parsed, kept.filter((name) => name.valid).map((name) => name.name));
  }
  if (notes.length > 0) result.detail = notes.join('; ');
  return result;
}

function distinctSorted(names: PresentedName[]): PresentedName[] {
  const distinct = [...new Map(names.map((name) => [name.name, name])).values()];
  // Names are unique after the Map, so the name alone is a total order.
  return distinct.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
