// Forward-confirmed reverse DNS: a PTR name counts only if it resolves back to
// the address. A mismatch (the name points elsewhere or nowhere) is evidence:
// anyone can put any name in the reverse zone they control.
import { parseIpAddress, type ParsedIp } from '../../net/ip.js';
import type { DnsClient } from './dns-client.js';
import { resolveChain } from './resolve-chain.js';

/** Names checked per address; a zone listing more is not trusted further. */
export const MAX_CONFIRMED_NAMES = 8;

export type FcrdnsVerdict = 'confirmed' | 'mismatch' | 'unknown';

/** `names` must already be valid hostnames (escaped hostile names are never looked up). */
export async function forwardConfirm(client: DnsClient, parsed: ParsedIp, names: readonly string[]): Promise<FcrdnsVerdict> {
  if (names.length === 0) return 'unknown';
  let allDefinite = true;
  for (const name of names.slice(0, MAX_CONFIRMED_NAMES)) {
    const chain = await resolveChain(client, name, parsed.version === 4 ? 'A' : 'AAAA');
    if (chain.status === 'ok') {
      if (chain.data.some((address) => parseIpAddress(address)?.text === parsed.text)) return 'confirmed';
    } else if (chain.status !== 'nxdomain' && chain.status !== 'nodata') {
      allDefinite = false;
    }
  }
  return allDefinite ? 'mismatch' : 'unknown';
}
