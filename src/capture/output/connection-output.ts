// `netsleuth parse` views of the same records: JSON (one array for all inputs), CSV (netsleuth
// columns, formula-safe cells) and an aligned table for terminals. Text was sanitized where it
// entered the model; CSV cells are escaped again for spreadsheets.
import { papaparse } from '../papaparse-lazy.js';
import type { Connection } from '../../model/connection.js';
import { NETSLEUTH_CSV_COLUMNS, connectionCsvCells } from '../csv-cells.js';

/** JSON text in pieces, so a million rows never become one giant string. */
export function* connectionsJsonChunks(connections: readonly Connection[], rowsPerChunk = 2000): Generator<string> {
  if (connections.length === 0) {
    yield '[]\n';
    return;
  }
  for (let start = 0; start < connections.length; start += rowsPerChunk) {
    const rows = connections.slice(start, start + rowsPerChunk).map((connection) => '  ' + JSON.stringify(connection));
    yield (start === 0 ? '[\n' : ',\n') + rows.join(',\n');
  }
  yield '\n]\n';
}

export function* connectionsCsvChunks(connections: readonly Connection[], rowsPerChunk = 5000): Generator<string> {
  yield NETSLEUTH_CSV_COLUMNS.join(',') + '\n';
  for (let start = 0; start < connections.length; start += rowsPerChunk) {
    const data = connections.slice(start, start + rowsPerChunk).map(connectionCsvCells);
    yield papaparse().unparse(data, { newline: '\n' }) + '\n';
  }
}

export function formatEndpoint(address: string, port: number | null): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${port === null ? '*' : port}`;
}

/** Left-aligned columns, two spaces apart; numbers right-aligned. */
export function alignTable(header: string[], rows: string[][], numeric: boolean[] = []): string {
  // A loop, not Math.max(...rows): a million rows as arguments overflow the stack.
  const widths = header.map((title) => title.length);
  for (const row of rows) {
    for (let column = 0; column < widths.length; column++) widths[column] = Math.max(widths[column]!, (row[column] ?? '').length);
  }
  const render = (cells: string[]) =>
    cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
  return [render(header), ...rows.map(render)].join('\n') + '\n';
}

export function connectionsTable(connections: readonly Connection[]): string {
  const rows = connections.map((c) => [
    c.protocol + (c.ipVersion === 6 ? '6' : ''),
    formatEndpoint(c.localAddress, c.localPort),
    formatEndpoint(c.remoteAddress, c.remotePort),
    c.state,
    c.pid === null && c.program === null ? '-' : `${c.pid ?? '-'}/${c.program ?? '-'}`,
    `${c.source.file}:${c.source.line}` + (c.truncated ? ` (truncated: ${c.truncated.join(',')})` : ''),
  ]);
  return alignTable(['PROTO', 'LOCAL', 'REMOTE', 'STATE', 'PID/PROGRAM', 'SOURCE'], rows);
}
