// Per-remote-IP connection counts by state: what `netstat -tan | awk '{print $5}' | cut -d: -f1 |
// sort | uniq -c` gives, done properly. Storage is CountTable (integer IPv4 keys, no string per
// line); this adds Connection input and ordered rows.
import { CONNECTION_STATES, type Connection, type ConnectionState } from '../../model/connection.js';
import { compareIps, intToIpv4, ipv4ToInt } from '../../net/ip.js';
import { CountTable, STATE_COUNT, STATE_INDEX } from './count-table.js';

export { STATE_COUNT, STATE_INDEX, type SerializedSummary } from './count-table.js';

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
    const ordering = this.rowOrder();
    const { totals, textRows } = ordering;
    for (const ref of orderedRefs(ordering)) {
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
    const ordering = this.rowOrder();
    const { textRows } = ordering;
    for (const ref of orderedRefs(ordering)) {
      if (ref >= 0) yield toRow(intToIpv4(this.entryKeys[ref]!), this.entryCounts, ref * STATE_COUNT);
      else yield toRow(textRows[~ref]!.address, textRows[~ref]!.row, 0);
    }
  }

  /** Entries by (total desc, key asc); text rows by (total desc, compareIps). */
  private rowOrder(): RowOrder {
    const keys = this.entryKeys;
    const counts = this.entryCounts;
    const totals = new Float64Array(this.size);
    const order = new Uint32Array(this.size);
    for (let entry = 0; entry < this.size; entry++) {
      let total = 0;
      for (let s = 0; s < STATE_COUNT; s++) total += counts[entry * STATE_COUNT + s]!;
      totals[entry] = total;
      order[entry] = entry;
    }
    // Sort by (total desc, key asc) as one float: total * 2^32 + (2^32 - 1 - key) would overflow
    // 2^53 only past 2^21 connections per remote, so compare in two steps instead.
    order.sort((a, b) => totals[b]! - totals[a]! || keys[a]! - keys[b]!);
    const textRows = [...this.text.entries()]
      .map(([address, row]) => ({ address, row, total: row.reduce((sum, count) => sum + count, 0) }))
      .sort((a, b) => b.total - a.total || compareIps(a.address, b.address));
    return { order, totals, textRows };
  }

}

interface RowOrder {
  order: Uint32Array;
  totals: Float64Array;
  textRows: { address: string; row: number[]; total: number }[];
}

/** The merged row order as numbers: an IPv4 entry (>= 0), or ~index of a text row (< 0). */
function* orderedRefs({ order, totals, textRows }: RowOrder): Generator<number> {
  let t = 0;
  for (let i = 0; i < order.length; i++) {
    const entry = order[i]!;
    // compareIps puts every IPv4 address before IPv6 and names: at equal counts IPv4 goes first.
    while (t < textRows.length && textRows[t]!.total > totals[entry]!) yield ~t++;
    yield entry;
  }
  while (t < textRows.length) yield ~t++;
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
