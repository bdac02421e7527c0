// One question answered to the end: asks again when a CNAME chain leaves the
// answer, with a hop bound so a hostile zone cannot keep us busy.
import type { RecordType } from 'dns-packet';
import type { DnsClient, DnsQueryOutcome, FastQueryOutcome } from './dns-client.js';
import type { FastAnswer } from './fast-answer.js';
import { interpretAnswer } from './interpret-answer.js';
import { formatServer } from './server-address.js';

export const MAX_CNAME_HOPS = 8;

export type ChainStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'error';

export interface ChainResult {
  status: ChainStatus;
  data: string[];
  ttl: number | null;
  server: string | null;
  rcode: string | null;
  detail: string | null;
  viaTcp: boolean;
}

export type ChainOutcome = DnsQueryOutcome | FastQueryOutcome;

/** The client's question without a promise per layer: PTR, A and AAAA answers of the plain shape come back read from the wire. */
function ask(client: DnsClient, name: string, type: RecordType): Promise<ChainOutcome> {
  return new Promise((resolve) => client.queryFast(name, type, resolve));
}

/** A plain answer is the end of its chain: what interpretAnswer would say of it, with the TTL of the hops before. */
export function chainEnd(answer: FastAnswer, server: string, chainTtl = Number.POSITIVE_INFINITY): ChainResult {
  if (answer.kind === 'failed') return { status: answer.rcode === 'SERVFAIL' ? 'servfail' : 'refused', data: [], ttl: null, server, rcode: answer.rcode, detail: null, viaTcp: false };
  if (answer.kind === 'records') return { status: 'ok', data: answer.data, ttl: Math.min(chainTtl, answer.ttl), server, rcode: answer.rcode, detail: null, viaTcp: false };
  return { status: answer.kind, data: [], ttl: answer.ttl === null ? null : Math.min(chainTtl, answer.ttl), server, rcode: answer.rcode, detail: null, viaTcp: false };
}

/** `first`: the first question's outcome when the caller already asked it. */
export async function resolveChain(client: DnsClient, name: string, type: RecordType, first?: ChainOutcome): Promise<ChainResult> {
  let current = name;
  let chainTtl = Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const outcome = hop === 0 && first ? first : await ask(client, current, type);
    if (outcome.kind === 'fast') return chainEnd(outcome.answer, formatServer(outcome.server), chainTtl);
    if (outcome.kind !== 'response') {
      const server = outcome.server ? formatServer(outcome.server) : null;
      return { status: outcome.kind, data: [], ttl: null, server, rcode: null, detail: outcome.detail, viaTcp: false };
    }
    const server = formatServer(outcome.server);
    const base = { server, rcode: outcome.rcode, viaTcp: outcome.viaTcp };
    const meaning = interpretAnswer(outcome.packet, outcome.rcode, current, type);
    switch (meaning.kind) {
      case 'records':
        return { ...base, status: 'ok', data: meaning.data, ttl: Math.min(chainTtl, meaning.ttl), detail: null };
      case 'nxdomain':
      case 'nodata':
        return { ...base, status: meaning.kind, data: [], ttl: meaning.ttl === null ? null : Math.min(chainTtl, meaning.ttl), detail: null };
      case 'loop':
        return { ...base, status: 'error', data: [], ttl: null, detail: `CNAME loop: ${meaning.visited.join(' -> ')}` };
      case 'rcode': {
        const status = meaning.rcode === 'SERVFAIL' ? 'servfail' : meaning.rcode === 'REFUSED' ? 'refused' : 'error';
        return { ...base, status, data: [], ttl: null, detail: status === 'error' ? `server answered ${meaning.rcode}` : null };
      }
      case 'cname':
        seen.add(meaning.visited[0] ?? '');
        for (const visited of meaning.visited.slice(1)) {
          if (seen.has(visited)) return { ...base, status: 'error', data: [], ttl: null, detail: `CNAME loop through ${visited}` };
          seen.add(visited);
        }
        chainTtl = Math.min(chainTtl, meaning.ttl);
        current = meaning.target;
        break;
    }
  }
  return { status: 'error', data: [], ttl: null, server: null, rcode: null, detail: `CNAME chain longer than ${MAX_CNAME_HOPS} hops`, viaTcp: false };
}
