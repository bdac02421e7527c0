// One address's reverse DNS as evidence: PTR names (validated, escaped,
// sanitized), the outcome, TTL, the server that answered, when and its rcode.
import type { RdnsResult } from '../../model/attribution.js';
import { presentPtrName, type PresentedName } from './ptr-name.js';
import type { ChainResult } from './resolve-chain.js';

/** More PTR names than this is a hostile or broken zone; the rest are counted, not kept. */
export const MAX_PTR_NAMES = 32;

export interface PtrEvidence {
  /** Without its detail: a forward check's verdict goes first (the key order the cache file has always had). */
  result: RdnsResult;
  /** The kept names that are valid hostnames: the only ones a forward check may look up. */
  hostnames: string[];
  detail: string | null;
}

/** The result with its forward-check verdict (when one was made) and its detail. */
export function finishPtrResult(evidence: PtrEvidence, fcrdns?: RdnsResult['fcrdns']): RdnsResult {
  if (fcrdns !== undefined) evidence.result.fcrdns = fcrdns;
  if (evidence.detail !== null) evidence.result.detail = evidence.detail;
  return evidence.result;
}

export function ptrEvidence(chain: ChainResult, queriedAt: string): PtrEvidence {
  let names: string[] = [];
  let hostnames: string[] = names;
  let notes: string[] | null = chain.detail !== null ? [chain.detail] : null;
  if (chain.status === 'ok' && chain.data.length === 1) {
    // The usual answer: one name, a valid hostname, the same array serving as both lists.
    const only = presentPtrName(chain.data[0] ?? '');
    names = [only.name];
    hostnames = only.valid ? names : [];
    if (!only.valid) notes = [...(notes ?? []), '1 PTR name(s) not valid hostnames, shown escaped'];
  } else if (chain.status === 'ok') {
    const presented = distinctSorted(chain.data.map(presentPtrName));
    const kept = presented.length > MAX_PTR_NAMES ? presented.slice(0, MAX_PTR_NAMES) : presented;
    hostnames = [];
    let invalid = 0;
    for (const name of kept) {
      names.push(name.name);
      if (name.valid) hostnames.push(name.name);
      else invalid++;
    }
    if (presented.length > kept.length) (notes ??= []).push(`${presented.length - kept.length} more PTR names omitted`);
    if (invalid > 0) (notes ??= []).push(`${invalid} PTR name(s) not valid hostnames, shown escaped`);
  }
  if (chain.status === 'ok' && chain.viaTcp) (notes ??= []).push('answer truncated over UDP, read over TCP');
  const result: RdnsResult = { status: chain.status, names, ttl: chain.ttl, server: chain.server, queriedAt };
  if (chain.rcode !== null) result.rcode = chain.rcode;
  return { result, hostnames, detail: notes === null ? null : notes.join('; ') };
}

function distinctSorted(names: PresentedName[]): PresentedName[] {
  const distinct = [...new Map(names.map((name) => [name.name, name])).values()];
  // Names are unique after the Map, so the name alone is a total order.
  return distinct.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
