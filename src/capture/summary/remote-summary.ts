// Per-remote-IP connection counts by state: what `netstat -tan | awk '{print $5}' | cut -d: -f1 |
// sort | uniq -c` gives, done properly. IPv4 remotes are counted under integer keys in an
// open-addressing table (no string per line); names and IPv6 go to a Map.
import { CONNECTION_STATES, type Connection, type ConnectionState } from '../../model/connection.js';
import { compareIps, intToIpv4, ipv4ToInt } from '../../net/ip.js';

export const STATE_COUNT = CONNECTION_STATES.length;
export const STATE_INDEX: Readonly<Record<ConnectionState, number>> = Object.fromEntries(
  CONNECTION_STATES.map((state, index) => [state, index]),
) as Record<ConnectionState, number>;

export interface RemoteSummaryRow {
  ip: string;
  connections: number;
  /** Every state, zero when absent (stable columns for JSON/CSV). */
  states: Record<ConnectionState, number>;
}

/** Plain-data form for worker_threads messages. */
export interface SerializedSummary {
  ipv4Keys: Uint32Array;
  ipv4Counts: Uint32Array;
  text: [string, number[]][];
}

const INITIAL_CAPACITY = 1 << 12;

export class RemoteSummaryTable {
  private capacity = INITIAL_CAPACITY;
  /** Fibonacci hashing keeps the high bits: 32 - log2(capacity). */
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private used = new Uint8Array(INITIAL_CAPACITY);
  private keys = new Uint32Array(INITIAL_CAPACITY);
  private counts = new Uint32Array(INITIAL_CAPACITY * STATE_COUNT);
  private size = 0;
  private readonly text = new Map<string, number[]>();

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

  addConnection(connection: Pick<Connection, 'remoteAddress' | 'state'>): void {
    const stateIndex = STATE_INDEX[connection.state];
    const key = ipv4ToInt(connection.remoteAddress);
    if (key >= 0) this.addIpv4(key, stateIndex);
    else this.addText(connection.remoteAddress, stateIndex);
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

  /** Rows by connection count (descending), then address order (IPv4 numerically first, as compareIps). */
  rows(): RemoteSummaryRow[] {
    return [...this.iterateRows()];
  }

  /** Number of distinct remotes. */
  get remoteCount(): number {
    return this.size + this.text.size;
  }

  /** Connections per state over all remotes (which columns a table needs). */
  stateTotals(): number[] {
    const totals = new Array<number>(STATE_COUNT).fill(0);
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.used[slot]) for (let s = 0; s < STATE_COUNT; s++) totals[s]! += this.counts[slot * STATE_COUNT + s]!;
    }
    for (const counts of this.text.values()) counts.forEach((count, s) => (totals[s]! += count));
    return totals;
  }

  /**
   * Rows in order, built one at a time: 50k row objects alive at once made the young-generation
   * GC copy them over and over (it cost more than scanning 1M lines).
   */
  *iterateRows(): Generator<RemoteSummaryRow> {
    const slots = new Uint32Array(this.size);
    const totals = new Float64Array(this.capacity);
    let n = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (!this.used[slot]) continue;
      let total = 0;
      for (let s = 0; s < STATE_COUNT; s++) total += this.counts[slot * STATE_COUNT + s]!;
      totals[slot] = total;
      slots[n++] = slot;
    }
    const keys = this.keys;
    slots.sort((a, b) => totals[b]! - totals[a]! || keys[a]! - keys[b]!);
    const textRows = [...this.text.entries()]
      .map(([address, counts]) => ({ address, counts, total: counts.reduce((sum, count) => sum + count, 0) }))
      .sort((a, b) => b.total - a.total || compareIps(a.address, b.address));
    let t = 0;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      // compareIps puts every IPv4 address before IPv6 and names: at equal counts IPv4 goes first.
      while (t < textRows.length && textRows[t]!.total > totals[slot]!) {
        const row = textRows[t++]!;
        yield toRow(row.address, row.counts, 0);
      }
      yield toRow(intToIpv4(keys[slot]!), this.counts, slot * STATE_COUNT);
    }
    while (t < textRows.length) {
      const row = textRows[t++]!;
      yield toRow(row.address, row.counts, 0);
    }
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

function toRow(ip: string, counts: ArrayLike<number>, offset: number): RemoteSummaryRow {
  // A literal in CONNECTION_STATES order gives every row the same shape (fast, stable JSON order).
  const states: Record<ConnectionState, number> = {
    ESTABLISHED: counts[offset] ?? 0, SYN_SENT: counts[offset + 1] ?? 0, SYN_RECV: counts[offset + 2] ?? 0,
    FIN_WAIT1: counts[offset + 3] ?? 0, FIN_WAIT2: counts[offset + 4] ?? 0, TIME_WAIT: counts[offset + 5] ?? 0,
    CLOSE: counts[offset + 6] ?? 0, CLOSE_WAIT: counts[offset + 7] ?? 0, LAST_ACK: counts[offset + 8] ?? 0,
    LISTEN: counts[offset + 9] ?? 0, CLOSING: counts[offset + 10] ?? 0, UNKNOWN: counts[offset + 11] ?? 0,
  };
  let connections = 0;
  for (let index = 0; index < STATE_COUNT; index++) connections += counts[offset + index] ?? 0;
  return { ip, connections, states };
}
