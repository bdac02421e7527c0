// Precomputed orderings over the remotes so the table can sort and filter 100k
// rows per keypress: each sort is computed once (native Float64Array sort of
// packed keys, no comparator callbacks) and cached; filters scan a prebuilt
// lower-case search string per row, and a query that extends the previous one
// only rescans the previous matches.
import type { RemoteProfile } from '../model/analysis.js';
import { inRange, parseCidr } from '../net/cidr.js';
import { compareIps, ipv4ToInt } from '../net/ip.js';
import { remoteName } from '../analyze/profiles.js';

export { inRange, parseCidr } from '../net/cidr.js';

export type RemoteColumn = 'ip' | 'connections' | 'established' | 'synRecv' | 'country' | 'asn' | 'name' | 'rdns';
export type SortDirection = 'asc' | 'desc';

export const REMOTE_COLUMNS: readonly RemoteColumn[] = ['ip', 'connections', 'established', 'synRecv', 'country', 'asn', 'name', 'rdns'];

/** Numbers read best largest-first; names and addresses A→Z. */
export const DEFAULT_DIRECTION: Record<RemoteColumn, SortDirection> = {
  ip: 'asc', connections: 'desc', established: 'desc', synRecv: 'desc', country: 'asc', asn: 'asc', name: 'asc', rdns: 'asc',
};


/** What the rDNS column shows: the first PTR name, or the failure status. */
export function remoteRdnsText(remote: RemoteProfile): string {
  const first = remote.rdns.names[0];
  return first ?? (remote.rdns.status === 'ok' ? '' : remote.rdns.status);
}

const RECENT_QUERIES = 32;

// 2^20 rows of tie-breaker room: keys are packed as key * RANK_SPAN + ipRank.
const RANK_SPAN = 1 << 20;

export class RemoteIndex {
  readonly size: number;
  private ipRankCache: Uint32Array | null = null;
  private readonly orders = new Map<string, Uint32Array>();
  private searchText: string[] | null = null;
  private lastFilter: { query: string; matches: Uint32Array } | null = null;
  private readonly recentMatches = new Map<string, Uint32Array>();
  private lastView: { key: string; view: Uint32Array } | null = null;

  constructor(readonly remotes: readonly RemoteProfile[]) {
    if (remotes.length >= RANK_SPAN) throw new RangeError(`too many remotes for the index: ${remotes.length}`);
    this.size = remotes.length;
  }

  /**
   * Work to do while the user reads the first screen: each step builds one cached
   * order (or the search texts), so later keys find it ready. Run one step per tick.
   */
  warmUpSteps(): (() => void)[] {
    const steps: (() => void)[] = [() => this.searchTexts()];
    for (const column of REMOTE_COLUMNS) steps.push(() => this.order(column, DEFAULT_DIRECTION[column]));
    return steps;
  }

  /** Row indices in display order for this sort and filter (cached). */
  view(column: RemoteColumn, direction: SortDirection, query: string): Uint32Array {
    const key = `${column}:${direction}:${query}`;
    if (this.lastView?.key === key) return this.lastView.view;
    const order = this.order(column, direction);
    const trimmed = query.trim();
    let view: Uint32Array;
    if (trimmed === '') {
      view = order;
    } else {
      const mask = new Uint8Array(this.size);
      for (const index of this.matches(trimmed)) mask[index] = 1;
      view = new Uint32Array(this.size);
      let count = 0;
      for (let i = 0; i < order.length; i++) {
        const index = order[i]!;
        if (mask[index] === 1) view[count++] = index;
      }
      view = view.subarray(0, count);
    }
    this.lastView = { key, view };
    return view;
  }

  /** Rows sorted by column; ties broken by address order, so the result is total and deterministic. */
  order(column: RemoteColumn, direction: SortDirection): Uint32Array {
    const key = `${column}:${direction}`;
    const cached = this.orders.get(key);
    if (cached) return cached;
    const ipRank = this.ipRank();
    let order: Uint32Array;
    if (column === 'ip') {
      order = new Uint32Array(this.size);
      for (let i = 0; i < this.size; i++) order[direction === 'asc' ? ipRank[i]! : this.size - 1 - ipRank[i]!] = i;
    } else {
      // Missing values sort last in either direction.
      const keys = this.numericKeys(column);
      let max = 0;
      for (const value of keys) if (value > max) max = value;
      const packed = new Float64Array(this.size);
      for (let i = 0; i < this.size; i++) {
        const value = keys[i]!;
        const sortKey = value < 0 ? max + 1 : direction === 'asc' ? value : max - value;
        packed[i] = sortKey * RANK_SPAN + ipRank[i]!;
      }
      packed.sort();
      const byRank = new Uint32Array(this.size);
      for (let i = 0; i < this.size; i++) byRank[ipRank[i]!] = i;
      order = new Uint32Array(this.size);
      for (let i = 0; i < this.size; i++) order[i] = byRank[packed[i]! % RANK_SPAN]!;
    }
    this.orders.set(key, order);
    return order;
  }

  /** Indices of rows matching the query, ascending. */
  matches(query: string): Uint32Array {
    const lower = query.toLowerCase();
    if (this.lastFilter?.query === lower) return this.lastFilter.matches;
    // Backspace returns to a query typed a moment ago: keep recent answers.
    const recent = this.recentMatches.get(lower);
    if (recent) {
      this.lastFilter = { query: lower, matches: recent };
      return recent;
    }
    const range = parseCidr(lower);
    let result: Uint32Array;
    if (range) {
      result = this.collect((i) => inRange(this.remotes[i]!.ip, range));
    } else {
      const texts = this.searchTexts();
      // Typing one more character only narrows the previous matches.
      const previous = this.lastFilter && !parseCidr(this.lastFilter.query) && lower.startsWith(this.lastFilter.query) ? this.lastFilter.matches : null;
      if (previous) {
        const out = new Uint32Array(previous.length);
        let count = 0;
        for (const index of previous) if (texts[index]!.includes(lower)) out[count++] = index;
        result = out.subarray(0, count);
      } else {
        result = this.collect((i) => texts[i]!.includes(lower));
      }
    }
    this.lastFilter = { query: lower, matches: result };
    this.recentMatches.set(lower, result);
    if (this.recentMatches.size > RECENT_QUERIES) this.recentMatches.delete(this.recentMatches.keys().next().value!);
    return result;
  }

  private collect(predicate: (index: number) => boolean): Uint32Array {
    const out = new Uint32Array(this.size);
    let count = 0;
    for (let i = 0; i < this.size; i++) if (predicate(i)) out[count++] = i;
    return out.subarray(0, count);
  }

  private searchTexts(): string[] {
    if (this.searchText) return this.searchText;
    const texts = new Array<string>(this.size);
    for (let i = 0; i < this.size; i++) {
      const remote = this.remotes[i]!;
      let text = `${remote.ip}\u0000${remote.country ?? ''}\u0000${remote.countryName ?? ''}\u0000${remote.city ?? ''}\u0000${remote.asn === null ? '' : `as${remote.asn}`}\u0000${remote.asOrg ?? ''}\u0000${remote.institution?.name ?? ''}`;
      for (const name of remote.rdns.names) text += `\u0000${name}`;
      texts[i] = text.toLowerCase();
    }
    this.searchText = texts;
    return this.searchText;
  }

  /** Position of each row in address order. */
  private ipRank(): Uint32Array {
    if (this.ipRankCache) return this.ipRankCache;
    const v4: number[] = [];
    const other: number[] = [];
    const ints = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const value = ipv4ToInt(this.remotes[i]!.ip);
      ints[i] = value;
      (value >= 0 ? v4 : other).push(i);
    }
    const packed = new Float64Array(v4.length);
    for (let k = 0; k < v4.length; k++) packed[k] = ints[v4[k]!]! * RANK_SPAN + v4[k]!;
    packed.sort();
    other.sort((a, b) => compareIps(this.remotes[a]!.ip, this.remotes[b]!.ip) || a - b);
    const rank = new Uint32Array(this.size);
    let position = 0;
    for (const value of packed) rank[value % RANK_SPAN] = position++;
    for (const index of other) rank[index] = position++;
    this.ipRankCache = rank;
    return rank;
  }

  /** Non-negative sort keys per row; -1 = missing. Strings are replaced by their rank among distinct values. */
  private numericKeys(column: Exclude<RemoteColumn, 'ip'>): Float64Array {
    const keys = new Float64Array(this.size);
    const remotes = this.remotes;
    switch (column) {
      case 'connections':
        for (let i = 0; i < this.size; i++) keys[i] = remotes[i]!.connections;
        return keys;
      case 'established':
        for (let i = 0; i < this.size; i++) keys[i] = remotes[i]!.states.ESTABLISHED ?? 0;
        return keys;
      case 'synRecv':
        for (let i = 0; i < this.size; i++) keys[i] = remotes[i]!.states.SYN_RECV ?? 0;
        return keys;
      case 'asn':
        for (let i = 0; i < this.size; i++) keys[i] = remotes[i]!.asn ?? -1;
        return keys;
      case 'country':
        return stringRanks(remotes, (remote) => remote.country, keys);
      case 'name':
        return stringRanks(remotes, remoteName, keys);
      case 'rdns':
        return stringRanks(remotes, (remote) => remoteRdnsText(remote) || null, keys);
    }
  }
}

function stringRanks(remotes: readonly RemoteProfile[], pick: (remote: RemoteProfile) => string | null, keys: Float64Array): Float64Array {
  const values = remotes.map((remote) => pick(remote)?.toLowerCase() ?? null);
  // The default sort compares UTF-16 code units, like a < b, without a JS callback per comparison.
  const distinct = [...new Set(values.filter((value): value is string => value !== null))].sort();
  const rank = new Map(distinct.map((value, index) => [value, index]));
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    keys[i] = value === null || value === undefined ? -1 : rank.get(value)!;
  }
  return keys;
}

