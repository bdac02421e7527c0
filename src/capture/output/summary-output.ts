// `netsleuth parse --summary` views: one row per remote address with counts by state.
// Each yields text in pieces from a row iterator, so 50k+ remotes never sit in memory as objects.
import { CONNECTION_STATES, type ConnectionState } from '../../model/connection.js';
import { escapeCsvCell } from '../csv-cells.js';
import type { RemoteSummaryRow, RemoteSummaryTable } from '../summary/remote-summary.js';
import { alignTable } from './connection-output.js';

const ROWS_PER_CHUNK = 2000;

function* chunked(rows: Iterable<RemoteSummaryRow>, first: string, render: (row: RemoteSummaryRow, index: number) => string, last: string): Generator<string> {
  let parts: string[] = [first];
  let index = 0;
  for (const row of rows) {
    parts.push(render(row, index++));
    if (parts.length >= ROWS_PER_CHUNK) {
      yield parts.join('');
      parts = [];
    }
  }
  parts.push(last);
  yield parts.join('');
}

export function* summaryJsonChunks(rows: Iterable<RemoteSummaryRow>): Generator<string> {
  let wrote = false;
  for (const chunk of chunked(rows, '[', (row, index) => {
    wrote = true;
    return (index === 0 ? '\n  ' : ',\n  ') + JSON.stringify(row);
  }, '')) yield chunk;
  yield wrote ? '\n]\n' : ']\n';
}

/**
 * CSV columns: ip,connections, then one column per state (all states, fixed order).
 * Written by hand, not papaparse: 50k rows through Papa.unparse cost more than scanning 1M lines.
 */
export function* summaryCsvChunks(table: RemoteSummaryTable): Generator<string> {
  const parts: string[] = [['ip', 'connections', ...CONNECTION_STATES].join(',') + '\n'];
  table.visitRows((ip, connections, c, o) => {
    parts.push(`${csvText(ip)},${connections},${c[o]},${c[o + 1]},${c[o + 2]},${c[o + 3]},${c[o + 4]},${c[o + 5]},${c[o + 6]},${c[o + 7]},${c[o + 8]},${c[o + 9]},${c[o + 10]},${c[o + 11]}\n`);
  });
  for (let start = 0; start < parts.length; start += ROWS_PER_CHUNK) yield parts.slice(start, start + ROWS_PER_CHUNK).join('');
}

/** RFC 4180 quoting after formula escaping (host names are attacker-chosen text). */
function csvText(value: string): string {
  const cell = escapeCsvCell(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Terminal table: only the states that occur somewhere (`stateTotals` from the table). */
export function summaryTable(rows: Iterable<RemoteSummaryRow>, stateTotals: readonly number[]): string {
  const states = CONNECTION_STATES.filter((_, index) => (stateTotals[index] ?? 0) > 0);
  const header = ['REMOTE', 'CONNECTIONS', ...states];
  const body: string[][] = [];
  for (const row of rows) body.push([row.ip, String(row.connections), ...states.map((state: ConnectionState) => String(row.states[state]))]);
  return alignTable(header, body, header.map((_, column) => column > 0));
}
