// Every remote against every list without a scan: per list, entries are cut into
// disjoint, sorted segments (each owned by the most specific entry covering it), and an
// address is one binary search per list. IPv4 lives in Uint32Arrays (the hot path);
// IPv6 segments are bigint (lists carry few of them); ASN entries are a Map.
import type { BlocklistHit } from '../../model/network.js';
import { ipv4ToInt } from '../../net/ip.js';
import { addressToBigInt } from '../../net/ip-range.js';
import type { BlocklistEntry } from './parse-blocklist.js';

export interface IndexedList {
  name: string;
  fetchedAt: string | null;
  entries: readonly BlocklistEntry[];
}

interface ListSegments {
  name: string;
  fetchedAt: string | null;
  entryTexts: string[];
  v4Starts: Uint32Array;
  v4Ends: Uint32Array;
  v4Entry: Uint32Array;
  v6Starts: bigint[];
  v6Ends: bigint[];
  v6Entry: number[];
  asns: Map<number, number>;
}

interface Interval<T> {
  start: T;
  end: T;
  entry: number;
  size: T;
}

/**
 * Disjoint segments where each point belongs to the smallest interval covering it: walk the
 * boundaries (every start and end+1) in order with the covering intervals in a min-heap by
 * size; intervals that ended are dropped lazily when they reach the top.
 */
function segmentsOf<T extends number | bigint>(intervals: Interval<T>[], succ: (value: T) => T, pred: (value: T) => T): { starts: T[]; ends: T[]; entries: number[] } {
  const starts: T[] = [];
  const ends: T[] = [];
  const entries: number[] = [];
  if (intervals.length === 0) return { starts, ends, entries };
  intervals.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.entry - b.entry));
  const boundarySet = new Set<T>();
  for (const interval of intervals) {
    boundarySet.add(interval.start);
    boundarySet.add(succ(interval.end));
  }
  const boundaries = [...boundarySet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const heap = new MinHeap<Interval<T>>((a, b) => (a.size < b.size ? true : a.size > b.size ? false : a.entry < b.entry));
  let next = 0;
  for (let i = 0; i < boundaries.length - 1; i++) {
    const point = boundaries[i]!;
    while (next < intervals.length && intervals[next]!.start <= point) heap.push(intervals[next++]!);
    while (heap.size > 0 && heap.peek()!.end < point) heap.pop();
    const owner = heap.peek();
    if (!owner) continue;
    const end = pred(boundaries[i + 1]!);
    const last = starts.length - 1;
    // Neighbouring segments of the same entry merge.
    if (last >= 0 && entries[last] === owner.entry && succ(ends[last]!) === point) ends[last] = end;
    else {
      starts.push(point);
      ends.push(end);
      entries.push(owner.entry);
    }
  }
  return { starts, ends, entries };
}

/** Intervals per list up to which the IPv4 sweep packs (start, position) into one sortable double. */
const PACK = 2 ** 21;

/**
 * segmentsOf for IPv4 on typed arrays (the lists that matter are IPv4 and large): the same
 * sweep, with the interval order, the boundaries and the heap held as numbers, sorted by
 * the engine's native numeric sort instead of a comparator over objects.
 */
function ipv4SegmentsOf(starts: Float64Array, ends: Float64Array, entries: Uint32Array): { starts: Uint32Array; ends: Uint32Array; entries: Uint32Array } {
  const count = starts.length;
  if (count >= PACK) {
    const generic = segmentsOf(
      Array.from(starts, (start, index) => ({ start, end: ends[index]!, entry: entries[index]!, size: ends[index]! - start })),
      (v) => v + 1,
      (v) => v - 1,
    );
    return { starts: Uint32Array.from(generic.starts), ends: Uint32Array.from(generic.ends), entries: Uint32Array.from(generic.entries) };
  }
  // Interval order by start, then by position (positions follow the list's entry order): start * 2^21 + position < 2^53.
  const keys = new Float64Array(count);
  for (let index = 0; index < count; index++) keys[index] = starts[index]! * PACK + index;
  keys.sort();
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = keys[index]! % PACK;
  const boundaries = new Float64Array(count * 2);
  for (let index = 0; index < count; index++) {
    boundaries[index * 2] = starts[index]!;
    boundaries[index * 2 + 1] = ends[index]! + 1;
  }
  boundaries.sort();
  let unique = 0;
  for (let index = 0; index < boundaries.length; index++) if (unique === 0 || boundaries[index] !== boundaries[unique - 1]) boundaries[unique++] = boundaries[index]!;
  // Min-heap of interval positions by (size, entry).
  const heap = new Uint32Array(count);
  let heapSize = 0;
  const less = (a: number, b: number): boolean => {
    const sizeA = ends[a]! - starts[a]!;
    const sizeB = ends[b]! - starts[b]!;
    return sizeA < sizeB || (sizeA === sizeB && entries[a]! < entries[b]!);
  };
  const push = (item: number): void => {
    let index = heapSize++;
    heap[index] = item;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!less(heap[index]!, heap[parent]!)) break;
      const swap = heap[index]!;
      heap[index] = heap[parent]!;
      heap[parent] = swap;
      index = parent;
    }
  };
  const pop = (): void => {
    heap[0] = heap[--heapSize]!;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heapSize && less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heapSize && less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) break;
      const swap = heap[index]!;
      heap[index] = heap[smallest]!;
      heap[smallest] = swap;
      index = smallest;
    }
  };
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  const outEntries: number[] = [];
  let next = 0;
  for (let index = 0; index < unique - 1; index++) {
    const point = boundaries[index]!;
    while (next < count && starts[order[next]!]! <= point) push(order[next++]!);
    while (heapSize > 0 && ends[heap[0]!]! < point) pop();
    if (heapSize === 0) continue;
    const owner = entries[heap[0]!]!;
    const end = boundaries[index + 1]! - 1;
    const last = outStarts.length - 1;
    // Neighbouring segments of the same entry merge.
    if (last >= 0 && outEntries[last] === owner && outEnds[last]! + 1 === point) outEnds[last] = end;
    else {
      outStarts.push(point);
      outEnds.push(end);
      outEntries.push(owner);
    }
  }
  return { starts: Uint32Array.from(outStarts), ends: Uint32Array.from(outEnds), entries: Uint32Array.from(outEntries) };
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(items[index]!, items[parent]!)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && this.less(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && this.less(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest]!, items[index]!];
        index = smallest;
      }
    }
    return top;
  }
}

function findSegment<T extends number | bigint>(starts: ArrayLike<T>, ends: ArrayLike<T>, value: T): number {
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! > value) high = middle - 1;
    else if (ends[middle]! < value) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** Shared (frozen) answer for an address on no list. */
const NO_HITS: readonly BlocklistHit[] = Object.freeze([]);

export class BlocklistIndex {
  private readonly lists: ListSegments[];

  constructor(lists: readonly IndexedList[]) {
    this.lists = lists.map((list) => {
      const v4Starts = new Float64Array(list.entries.length);
      const v4Ends = new Float64Array(list.entries.length);
      const v4Entries = new Uint32Array(list.entries.length);
      let v4Count = 0;
      const v6: Interval<bigint>[] = [];
      const asns = new Map<number, number>();
      list.entries.forEach((entry, index) => {
        if (entry.asn !== null) {
          if (!asns.has(entry.asn)) asns.set(entry.asn, index);
        } else if (entry.range?.version === 4) {
          v4Starts[v4Count] = Number(entry.range.start);
          v4Ends[v4Count] = Number(entry.range.end);
          v4Entries[v4Count++] = index;
        } else if (entry.range) {
          v6.push({ start: entry.range.start, end: entry.range.end, entry: index, size: entry.range.end - entry.range.start });
        }
      });
      const s4 = ipv4SegmentsOf(v4Starts.subarray(0, v4Count), v4Ends.subarray(0, v4Count), v4Entries.subarray(0, v4Count));
      const s6 = segmentsOf(v6, (v) => v + 1n, (v) => v - 1n);
      return {
        name: list.name,
        fetchedAt: list.fetchedAt,
        entryTexts: list.entries.map((entry) => entry.text),
        v4Starts: s4.starts,
        v4Ends: s4.ends,
        v4Entry: s4.entries,
        v6Starts: s6.starts,
        v6Ends: s6.ends,
        v6Entry: s6.entries,
        asns,
      };
    });
  }

  /** Every list that covers the address (most specific entry per list), then ASN lists. */
  lookup(ip: string, asn: number | null = null): BlocklistHit[] {
    // Most addresses are on no list: no array is allocated for them.
    let hits: BlocklistHit[] | null = null;
    const v4 = ipv4ToInt(ip);
    let v6: bigint | null = null;
    if (v4 < 0) v6 = addressToBigInt(ip)?.value ?? null;
    for (const list of this.lists) {
      let entry = -1;
      if (v4 >= 0) {
        const segment = findSegment(list.v4Starts, list.v4Ends, v4);
        if (segment >= 0) entry = list.v4Entry[segment]!;
      } else if (v6 !== null && list.v6Starts.length > 0) {
        const segment = findSegment(list.v6Starts, list.v6Ends, v6);
        if (segment >= 0) entry = list.v6Entry[segment]!;
      }
      if (entry < 0 && asn !== null) entry = list.asns.get(asn) ?? -1;
      if (entry >= 0) (hits ??= []).push({ list: list.name, entry: list.entryTexts[entry] ?? '', fetchedAt: list.fetchedAt });
    }
    return hits ?? (NO_HITS as BlocklistHit[]);
  }

  /** IPv4 only, no allocation: how many lists cover the address (for the speed figure). */
  countV4(value: number): number {
    let count = 0;
    for (const list of this.lists) if (findSegment(list.v4Starts, list.v4Ends, value) >= 0) count++;
    return count;
  }

  get size(): number {
    return this.lists.length;
  }
}
