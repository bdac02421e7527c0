// Aguri-style hierarchical heavy hitters (Cho, Kaizaki, Kato 2001): walk the
// address tree bottom-up, one bit at a time. A prefix is reported when what is
// left under it, after its heavier sub-prefixes were reported and taken out,
// reaches the threshold; whatever stays below the threshold is folded into the parent.
// Works on per-remote counts (tens of thousands), never on connections.
// A leaf may carry a cap, the length of the routed block that holds it: the walk
// never lifts it above that block, because nobody owns a /5 made of leftovers of
// several networks. What is left at the cap is dropped from the prefix walk (the
// AS and country clusters still count it).
import { prefixText, v4Mask, v6Mask } from '../net/prefix.js';
import type { IpVersion } from '../model/connection.js';

export interface PrefixLeaf {
  /** IPv4 as unsigned integer, or IPv6 as 128-bit bigint. */
  address: number | bigint;
  connections: number;
  /** Shortest prefix length the leaf may be counted in (its route's length); 0 = no limit. */
  cap?: number;
}

export interface PrefixHit {
  version: IpVersion;
  network: number | bigint;
  length: number;
  /** Everything under the prefix. */
  connections: number;
  /** What remained after heavier sub-prefixes were taken out: the figure the threshold applies to. */
  ownConnections: number;
}

/**
 * Bottom-up merge over sorted leaves. Each level rewrites the arrays in place:
 * neighbours that share the shorter prefix are adjacent because the input is sorted.
 */
function walk<T extends number | bigint>(
  version: IpVersion,
  leaves: PrefixLeaf[],
  bits: number,
  mask: (length: number) => T,
  and: (a: T, b: T) => T,
  minOwn: number,
): PrefixHit[] {
  const sorted = [...leaves].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const keys: T[] = [];
  const totals: number[] = [];
  const remaining: number[] = [];
  const caps: number[] = [];
  for (const leaf of sorted) {
    // Duplicate addresses cannot occur (one leaf per remote), but merge defensively.
    if (keys.length > 0 && keys[keys.length - 1] === leaf.address) {
      totals[totals.length - 1]! += leaf.connections;
      remaining[remaining.length - 1]! += leaf.connections;
      continue;
    }
    keys.push(leaf.address as T);
    totals.push(leaf.connections);
    remaining.push(leaf.connections);
    caps.push(Math.min(Math.max(leaf.cap ?? 0, 0), bits));
  }
  const hits: PrefixHit[] = [];
  let count = keys.length;
  for (let length = bits; length >= 0 && count > 0; length--) {
    for (let i = 0; i < count; i++) {
      const own = remaining[i]!;
      if (own > 0 && own >= minOwn) {
        hits.push({ version, network: keys[i]!, length, connections: totals[i]!, ownConnections: own });
        remaining[i] = 0;
      }
    }
    if (length === 0) break;
    const parentMask = mask(length - 1);
    let out = -1;
    for (let i = 0; i < count; i++) {
      // At its route: what is left stays out of every coarser prefix.
      if (caps[i]! >= length) continue;
      const parent = and(keys[i]!, parentMask);
      // Entries that meet at a parent share one route (routes never overlap), hence one cap.
      if (out >= 0 && keys[out] === parent) {
        totals[out]! += totals[i]!;
        remaining[out]! += remaining[i]!;
      } else {
        out++;
        keys[out] = parent;
        totals[out] = totals[i]!;
        remaining[out] = remaining[i]!;
        caps[out] = caps[i]!;
      }
    }
    count = out + 1;
  }
  return hits;
}

/**
 * @param totalConnections the denominator of the threshold (all connections, both families,
 *   so IPv4 and IPv6 shares are comparable).
 * @param threshold fraction 0..1; a prefix is reported when its own connections reach threshold × total.
 */
export function aguriPrefixes(v4: PrefixLeaf[], v6: PrefixLeaf[], totalConnections: number, threshold: number): PrefixHit[] {
  if (totalConnections <= 0) return [];
  const minOwn = Math.max(threshold * totalConnections, Number.MIN_VALUE);
  return [
    ...walk<number>(4, v4, 32, v4Mask, (a, b) => (a & b) >>> 0, minOwn),
    ...walk<bigint>(6, v6, 128, v6Mask, (a, b) => a & b, minOwn),
  ];
}

export function formatPrefix(hit: Pick<PrefixHit, 'version' | 'network' | 'length'>): string {
  return prefixText(hit.version, hit.network, hit.length);
}

/** Does the prefix contain this address (same family)? */
export function prefixContains(hit: Pick<PrefixHit, 'version' | 'network' | 'length'>, address: number | bigint): boolean {
  if (hit.version === 4) return typeof address === 'number' && ((address & v4Mask(hit.length)) >>> 0) === hit.network;
  return typeof address === 'bigint' && (address & v6Mask(hit.length)) === hit.network;
}
