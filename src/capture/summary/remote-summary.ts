// Per-remote-IP connection counts by state: what `netstat -tan | awk '{print $5}' | cut -d: -f1 |
// sort | uniq -c` gives, done properly. Storage is CountTable (integer IPv4 keys, no string per
// line); this adds Connection input and ordered rows.
import type { Connection, ConnectionState } from '../../model/connection.js';
import { compareIps, intToIpv4, ipv4ToInt } from '../../net/ip.js';
import { STATE_COUNT, STATE_INDEX } from '../../model/connection.js';
import { CountTable } from './count-table.js';


export interface RemoteSummaryRow {
  ip: string;
  connections: number;
  /** Every state, zero when absent (stable columns for JSON/CSV). */
  states: Record<ConnectionState, number>;
}

export class RemoteSummaryTable extends CountTable {
  addConnection(connection: Pick<Connection, 'remoteAddress' | 'state'>): void {
    const stateIndex = STATE_INDEX[connection.state];
    const key = ipv4ToInt(connection.remoteAddress);
    if (key >= 0) this.addIpv4(key, stateIndex);
    else this.addText(connection.remoteAddress, stateIndex);
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
    for (let offset = 0; offset < this.size * STATE_COUNT; offset += STATE_COUNT) {
      for (let s = 0; s < STATE_COUNT; s++) totals[s]! += this.entryCounts[offset + s]!;
    }
    for (const counts of this.text.values()) counts.forEach((count, s) => (totals[s]! += count));
    return totals;
  }

  /**
   * Visit rows in order without building row objects (the CSV writer's path):
   * `counts[offset + i]` is the count for CONNECTION_STATES[i].
   */
  visitRows(visit: (ip: string, connections: number, counts: ArrayLike<number>, offset: number) => void): void {
    this.visitRowsKeyed((key, connections, counts, offset) => visit(intToIpv4(key), connections, counts, offset), visit);
  }

  /**
   * visitRows with IPv4 rows handed over as their integer key, so a writer can format them
   * as bytes without building a string per row; other addresses go to `visitText`.
   */
  visitRowsKeyed(
    visitIpv4: (key: number, connections: number, counts: ArrayLike<number>, offset: number) => void,
    visitText: (address: string, connections: number, counts: ArrayLike<number>, offset: number) => void,
  ): void {
    const { refs, totals, textRows } = this.rowOrder();
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (ref >= 0) {
        visitIpv4(this.entryKeys[ref]!, totals[ref]!, this.entryCounts, ref * STATE_COUNT);
      } else {
        const text = textRows[~ref]!;
        visitText(text.address, text.total, text.row, 0);
      }
    }
  }

  /**
   * Rows in order, built one at a time: 50k row objects alive at once made the young-generation
   * GC copy them over and over (it cost more than scanning 1M lines).
   */
  *iterateRows(): Generator<RemoteSummaryRow> {
    const { refs, textRows } = this.rowOrder();
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (ref >= 0) yield toRow(intToIpv4(this.entryKeys[ref]!), this.entryCounts, ref * STATE_COUNT);
      else yield toRow(textRows[~ref]!.address, textRows[~ref]!.row, 0);
    }
  }

  /**
   * All rows in order as refs: an IPv4 entry (>= 0) or ~index of a text row. IPv4 entries by
   * (total desc, key asc), text rows by (total desc, compareIps); at equal totals IPv4 goes first,
   * as compareIps puts every IPv4 address before IPv6 and names.
   */
  private rowOrder(): RowOrder {
    const counts = this.entryCounts;
    const totals = new Float64Array(this.size);
    let maxTotal = 0;
    for (let entry = 0; entry < this.size; entry++) {
      let total = 0;
      for (let s = 0; s < STATE_COUNT; s++) total += counts[entry * STATE_COUNT + s]!;
      totals[entry] = total;
      if (total > maxTotal) maxTotal = total;
    }
    const order = this.size <= MAX_PACKED_ENTRIES && maxTotal <= Math.max(1 << 16, 4 * this.size) ? this.orderByCounting(totals, maxTotal) : this.orderByComparing(totals);
    const textRows = this.orderedTextRows();
    const refs = new Int32Array(order.length + textRows.length);
    let at = 0;
    let t = 0;
    for (let i = 0; i < order.length; i++) {
      const entry = order[i]!;
      while (t < textRows.length && textRows[t]!.total > totals[entry]!) refs[at++] = ~t++;
      refs[at++] = entry;
    }
    while (t < textRows.length) refs[at++] = ~t++;
    return { refs, totals, textRows };
  }

  /**
   * The IPv4 entries as stored and the other rows in order, for a writer that orders the IPv4 rows
   * itself (by connections descending, then key) and puts each other row before the first IPv4 row
   * with fewer connections, as rowOrder() does.
   */
  storedRows(): { keys: Uint32Array; counts: Uint32Array; textRows: TextRow[] } {
    return { keys: this.entryKeys.subarray(0, this.size), counts: this.entryCounts.subarray(0, this.size * STATE_COUNT), textRows: this.orderedTextRows() };
  }

  private orderedTextRows(): TextRow[] {
    return [...this.text.entries()]
      .map(([address, row]) => ({ address, row, total: row.reduce((sum, count) => sum + count, 0) }))
      .sort((a, b) => b.total - a.total || compareIps(a.address, b.address));
  }

  /**
   * Natively sorted numbers instead of a comparator (which cost ~25 ms for 50k remotes): entries
   * by key as key * 2^20 + entry (exact below 2^52), then a stable counting sort by total.
   */
  private orderByCounting(totals: Float64Array, maxTotal: number): Uint32Array {
    const byKey = new Float64Array(this.size);
    for (let entry = 0; entry < this.size; entry++) byKey[entry] = this.entryKeys[entry]! * MAX_PACKED_ENTRIES + entry;
    byKey.sort();
    // nextSlot[total]: where the next entry with that total goes, higher totals first.
    const nextSlot = new Uint32Array(maxTotal + 1);
    for (let entry = 0; entry < this.size; entry++) nextSlot[totals[entry]!]!++;
    let position = 0;
    for (let total = maxTotal; total >= 0; total--) {
      const entries = nextSlot[total]!;
      nextSlot[total] = position;
      position += entries;
    }
    const order = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const entry = byKey[i]! % MAX_PACKED_ENTRIES;
      order[nextSlot[totals[entry]!]!++] = entry;
    }
    return order;
  }

  private orderByComparing(totals: Float64Array): Uint32Array {
    const keys = this.entryKeys;
    const order = new Uint32Array(this.size);
    for (let entry = 0; entry < this.size; entry++) order[entry] = entry;
    return order.sort((a, b) => totals[b]! - totals[a]! || keys[a]! - keys[b]!);
  }
}

/** Entries that fit beside a 32-bit key in a double's 53-bit mantissa (see orderByCounting). */
const MAX_PACKED_ENTRIES = 2 ** 20;

export interface TextRow {
  address: string;
  row: number[];
  total: number;
}

interface RowOrder {
  refs: Int32Array;
  totals: Float64Array;
  textRows: TextRow[];
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
