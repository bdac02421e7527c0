// Forward-confirmed reverse DNS: a PTR name counts only if it resolves back to
// the address. A mismatch (the name points elsewhere or nowhere) is evidence:
// anyone can put any name in the reverse zone they control.
import { parseIpAddress, type ParsedIp } from '../../net/ip.js';
import type { DnsClient } from './dns-client.js';
import { chainEnd, resolveChain, type ChainResult } from './resolve-chain.js';
import { formatServer } from './server-address.js';

/** Names checked per address; a zone listing more is not trusted further. */
export const MAX_CONFIRMED_NAMES = 8;

export type FcrdnsVerdict = 'confirmed' | 'mismatch' | 'unknown';

/** What one name's forward answer says: it leads back, it definitely does not, or we cannot tell. */
function judge(chain: ChainResult, parsed: ParsedIp): 'confirmed' | 'definite' | 'indefinite' {
  if (chain.status === 'ok') return chain.data.some((address) => parseIpAddress(address)?.text === parsed.text) ? 'confirmed' : 'definite';
  return chain.status === 'nxdomain' || chain.status === 'nodata' ? 'definite' : 'indefinite';
}

/** `names` must already be valid hostnames (escaped hostile names are never looked up). */
export async function forwardConfirm(client: DnsClient, parsed: ParsedIp, names: readonly string[]): Promise<FcrdnsVerdict> {
  if (names.length === 0) return 'unknown';
  let allDefinite = true;
  for (const name of names.slice(0, MAX_CONFIRMED_NAMES)) {
    const meaning = judge(await resolveChain(client, name, parsed.version === 4 ? 'A' : 'AAAA'), parsed);
    if (meaning === 'confirmed') return 'confirmed';
    if (meaning === 'indefinite') allDefinite = false;
  }
  return allDefinite ? 'mismatch' : 'unknown';
}

/**
 * The same verdict through a callback: one name (the usual case) whose answer is plain costs no
 * promise; anything else takes forwardConfirm(). `done` may be called before this returns.
 */
export function forwardConfirmFast(client: DnsClient, parsed: ParsedIp, names: readonly string[], done: (verdict: FcrdnsVerdict) => void, fail: (error: unknown) => void): void {
  if (names.length !== 1) {
    forwardConfirm(client, parsed, names).then(done, fail);
    return;
  }
  const name = names[0] as string;
  const type = parsed.version === 4 ? 'A' : 'AAAA';
  const verdictOf = (chain: ChainResult): FcrdnsVerdict => {
    const meaning = judge(chain, parsed);
    return meaning === 'confirmed' ? 'confirmed' : meaning === 'definite' ? 'mismatch' : 'unknown';
  };
  client.queryFast(name, type, (outcome) => {
    if (outcome.kind !== 'fast') {
      resolveChain(client, name, type, outcome).then((chain) => done(verdictOf(chain)), fail);
      return;
    }
    let verdict: FcrdnsVerdict;
    try {
      verdict = verdictOf(chainEnd(outcome.answer, formatServer(outcome.server)));
    } catch (error) {
      fail(error);
      return;
    }
    done(verdict);
  });
}
