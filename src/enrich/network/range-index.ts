// Which cached networks hold an address, without a scan: the address space is cut into
// disjoint sorted segments, each listing the ranges that cover it smallest first, so a
// look-up is one binary search and a walk down one short list (registry ranges nest: an
// allocation, its assignments). Ranges are added one at a time as answers come in;
// adding them in start order (as a loaded cache is) only ever touches the last segments.
import type { IpVersion } from '../../model/connection.js';

interface Item<T> {
  start: bigint;
  end: bigint;
  size: bigint;
  value: T;
}

interface Segment<T> {
  start: bigint;
  end: bigint;
  /** Ranges covering the whole segment, smallest first. */
  items: Item<T>[];
}

export class RangeIndex<T> {
  private readonly segments: Record<IpVersion, Segment<T>[]> = { 4: [], 6: [] };

  /** The first segment whose end is at or after `point`. */
  private firstEndingFrom(list: readonly Segment<T>[], point: bigint): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle]!.end < point) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(version: IpVersion, start: bigint, end: bigint, value: T): void {
    const list = this.segments[version];
    const item: Item<T> = { start, end, size: end - start, value };
    let index = this.firstEndingFrom(list, start);
    let cursor = start;
    while (cursor <= end) {
      const segment = list[index];
      if (!segment || segment.start > cursor) {
        // A gap: a new segment up to the next one (or the range's end).
        const gapEnd = segment && segment.start - 1n < end ? segment.start - 1n : end;
        list.splice(index, 0, { start: cursor, end: gapEnd, items: [item] });
        cursor = gapEnd + 1n;
        index++;
        continue;
      }
      if (segment.start < cursor) {
        // Split off the part before the range.
        list.splice(index, 0, { start: segment.start, end: cursor - 1n, items: [...segment.items] });
        segment.start = cursor;
        index++;
      }
      if (segment.end > end) {
        // Split off the part after the range.
        list.splice(index + 1, 0, { start: end + 1n, end: segment.end, items: [...segment.items] });
        segment.end = end;
      }
      const at = segment.items.findIndex((other) => other.size > item.size);
      if (at < 0) segment.items.push(item);
      else segment.items.splice(at, 0, item);
      cursor = segment.end + 1n;
      index++;
    }
  }

  /** Removes the ranges exactly [start, end] (a newer answer for the same range replaces them). */
  remove(version: IpVersion, start: bigint, end: bigint): void {
    const list = this.segments[version];
    for (let index = this.firstEndingFrom(list, start); index < list.length && list[index]!.start <= end; index++) {
      const segment = list[index]!;
      segment.items = segment.items.filter((item) => item.start !== start || item.end !== end);
    }
  }

  /** The smallest range holding `point` whose value `accept`s, or null. */
  find(version: IpVersion, point: bigint, accept: (value: T) => boolean = () => true): T | null {
    const list = this.segments[version];
    const segment = list[this.firstEndingFrom(list, point)];
    if (!segment || segment.start > point) return null;
    for (const item of segment.items) if (accept(item.value)) return item.value;
    return null;
  }

  /** Segments held (for tests of the structure's size). */
  get segmentCount(): number {
    return this.segments[4].length + this.segments[6].length;
  }
}
