// Connection counts by state under integer IPv4 keys (open addressing, Fibonacci hashing) plus a
// Map for everything else. No address maths here: summary workers load only this file and the
// scanner, so a worker starts in a few milliseconds.
import { CONNECTION_STATES, type ConnectionState } from '../../model/connection.js';

export const STATE_COUNT = CONNECTION_STATES.length;
export const STATE_INDEX: Readonly<Record<ConnectionState, number>> = Object.fromEntries(
  CONNECTION_STATES.map((state, index) => [state, index]),
) as Record<ConnectionState, number>;

/** Plain-data form for worker_threads messages. */
export interface SerializedSummary {
  ipv4Keys: Uint32Array;
  ipv4Counts: Uint32Array;
  text: [string, number[]][];
}

const INITIAL_CAPACITY = 1 << 12;

export class CountTable {
  protected capacity = INITIAL_CAPACITY;
  /** Fibonacci hashing keeps the high bits: 32 - log2(capacity). */
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  protected used = new Uint8Array(INITIAL_CAPACITY);
  protected keys = new Uint32Array(INITIAL_CAPACITY);
  protected counts = new Uint32Array(INITIAL_CAPACITY * STATE_COUNT);
  protected size = 0;
  protected readonly text = new Map<string, number[]>();

  /** Count `count` connections from IPv4 `key` (unsigned 32-bit) in state `stateIndex`. */
  addIpv4(key: number, stateIndex: number, count = 1): void {
    const slot = this.slotFor(key);
    this.counts[slot * STATE_COUNT + stateIndex]! += count;
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
    const ipv4Keys = new Uint32Array(this.size);
    const ipv4Counts = new Uint32Array(this.size * STATE_COUNT);
    let out = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (!this.used[slot]) continue;
      ipv4Keys[out] = this.keys[slot]!;
      ipv4Counts.set(this.counts.subarray(slot * STATE_COUNT, slot * STATE_COUNT + STATE_COUNT), out * STATE_COUNT);
      out++;
    }
    return { ipv4Keys, ipv4Counts, text: [...this.text.entries()] };
  }

  merge(other: SerializedSummary): void {
    for (let i = 0; i < other.ipv4Keys.length; i++) {
      const slot = this.slotFor(other.ipv4Keys[i]!);
      for (let s = 0; s < STATE_COUNT; s++) this.counts[slot * STATE_COUNT + s]! += other.ipv4Counts[i * STATE_COUNT + s]!;
    }
    for (const [address, row] of other.text) row.forEach((count, stateIndex) => count > 0 && this.addText(address, stateIndex, count));
  }

  private slotFor(key: number): number {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.used[slot]) {
      if (this.keys[slot] === key) return slot;
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = key;
    this.size++;
    return slot;
  }

  private grow(): void {
    const { capacity, used, keys, counts } = this;
    this.capacity = capacity * 2;
    this.shift--;
    this.used = new Uint8Array(this.capacity);
    this.keys = new Uint32Array(this.capacity);
    this.counts = new Uint32Array(this.capacity * STATE_COUNT);
    this.size = 0;
    const mask = this.capacity - 1;
    for (let old = 0; old < capacity; old++) {
      if (!used[old]) continue;
      const key = keys[old]!;
      let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (this.used[slot]) slot = (slot + 1) & mask;
      this.used[slot] = 1;
      this.keys[slot] = key;
      this.size++;
      this.counts.set(counts.subarray(old * STATE_COUNT, old * STATE_COUNT + STATE_COUNT), slot * STATE_COUNT);
    }
  }
}
