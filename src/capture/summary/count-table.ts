// Connection counts by state under integer IPv4 keys (open addressing, Fibonacci hashing) plus a
// Map for everything else. No address maths here: summary workers load only this file and the
// scanner, so a worker starts in a few milliseconds.
import { STATE_COUNT } from '../../model/connection.js';

/** Plain-data form for worker_threads messages. */
export interface SerializedSummary {
  ipv4Keys: Uint32Array;
  ipv4Counts: Uint32Array;
  text: [string, number[]][];
}

const INITIAL_CAPACITY = 1 << 12;
/** Room for 32k remotes without a rehash (about 2 MB): what file summaries start with. */
export const LARGE_TABLE_CAPACITY = 1 << 16;

/**
 * Slots hold only key and entry number (8 bytes), counts live densely by entry (48 bytes each):
 * 50k remotes probe a 1 MiB slot array and a 2.4 MiB count array instead of 8 MiB of padded rows.
 */
export class CountTable {
  protected capacity: number;
  /** Fibonacci hashing keeps the high bits: 32 - log2(capacity). */
  private shift: number;
  private slotKeys: Uint32Array;
  /** Entry number + 1 per slot; 0 = empty. */
  private slotEntries: Int32Array;
  /** Key of each entry, in insertion order. */
  protected entryKeys: Uint32Array;
  /** STATE_COUNT counts per entry. */
  protected entryCounts: Uint32Array;
  protected size = 0;
  protected readonly text = new Map<string, number[]>();

  /** `capacity`: a power of two; big captures start at LARGE_TABLE_CAPACITY to skip rehashing. */
  constructor(capacity = INITIAL_CAPACITY) {
    this.capacity = 2 ** Math.max(4, Math.ceil(Math.log2(capacity)));
    this.shift = 32 - Math.log2(this.capacity);
    this.slotKeys = new Uint32Array(this.capacity);
    this.slotEntries = new Int32Array(this.capacity);
    this.entryKeys = new Uint32Array(this.capacity / 2);
    this.entryCounts = new Uint32Array((this.capacity / 2) * STATE_COUNT);
  }

  /** Count `count` connections from IPv4 `key` (unsigned 32-bit) in state `stateIndex`. */
  addIpv4(key: number, stateIndex: number, count = 1): void {
    // entryFor() may reallocate entryCounts: read the property only after it returns.
    const entry = this.entryFor(key);
    this.entryCounts[entry * STATE_COUNT + stateIndex]! += count;
  }

  addText(address: string, stateIndex: number, count = 1): void {
    let row = this.text.get(address);
    if (!row) {
      row = new Array<number>(STATE_COUNT).fill(0);
      this.text.set(address, row);
    }
    row[stateIndex]! += count;
  }

  serialize(): SerializedSummary {
    return {
      ipv4Keys: this.entryKeys.slice(0, this.size),
      ipv4Counts: this.entryCounts.slice(0, this.size * STATE_COUNT),
      text: [...this.text.entries()],
    };
  }

  merge(other: SerializedSummary): void {
    for (let i = 0; i < other.ipv4Keys.length; i++) {
      const offset = this.entryFor(other.ipv4Keys[i]!) * STATE_COUNT;
      for (let s = 0; s < STATE_COUNT; s++) this.entryCounts[offset + s]! += other.ipv4Counts[i * STATE_COUNT + s]!;
    }
    for (const [address, row] of other.text) row.forEach((count, stateIndex) => count > 0 && this.addText(address, stateIndex, count));
  }

  /**
   * merge() for an `other` much larger than this table (the WebAssembly scanner's counts against
   * the parser's few rows): take over its arrays as they are, rebuild the slots, then add this
   * table's own entries back. Entry order changes; rows are sorted by count and key anyway.
   */
  absorb(other: SerializedSummary): void {
    const incoming = other.ipv4Keys.length;
    if (incoming <= this.size) {
      this.merge(other);
      return;
    }
    const ownSize = this.size;
    const ownKeys = this.entryKeys.subarray(0, ownSize);
    const ownCounts = this.entryCounts.subarray(0, ownSize * STATE_COUNT);
    this.capacity = 2 ** Math.max(Math.log2(this.capacity), Math.ceil(Math.log2((incoming + ownSize + 1) * 2)));
    this.shift = 32 - Math.log2(this.capacity);
    this.entryKeys = new Uint32Array(this.capacity / 2);
    this.entryKeys.set(other.ipv4Keys);
    this.entryCounts = new Uint32Array((this.capacity / 2) * STATE_COUNT);
    this.entryCounts.set(other.ipv4Counts);
    this.size = incoming;
    this.rehash();
    this.merge({ ipv4Keys: ownKeys, ipv4Counts: ownCounts, text: other.text });
  }

  /** Entry number of the key, adding it when new. */
  private entryFor(key: number): number {
    const mask = this.capacity - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const entry = this.slotEntries[slot]!;
      if (entry === 0) break;
      if (this.slotKeys[slot] === key) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const entry = this.size++;
    if (entry >= this.entryKeys.length) {
      const keys = new Uint32Array(this.entryKeys.length * 2);
      keys.set(this.entryKeys);
      this.entryKeys = keys;
      const counts = new Uint32Array(this.entryCounts.length * 2);
      counts.set(this.entryCounts);
      this.entryCounts = counts;
    }
    this.entryKeys[entry] = key;
    this.slotKeys[slot] = key;
    this.slotEntries[slot] = entry + 1;
    if (this.size * 2 > this.capacity) this.grow();
    return entry;
  }

  private grow(): void {
    this.capacity *= 2;
    this.shift--;
    this.rehash();
  }

  /** Slots for every entry at the current capacity. */
  private rehash(): void {
    this.slotKeys = new Uint32Array(this.capacity);
    this.slotEntries = new Int32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let entry = 0; entry < this.size; entry++) {
      const key = this.entryKeys[entry]!;
      let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (this.slotEntries[slot] !== 0) slot = (slot + 1) & mask;
      this.slotKeys[slot] = key;
      this.slotEntries[slot] = entry + 1;
    }
  }
}
