// `netsleuth parse` views of the same records: JSON (one array for all inputs), CSV (netsleuth
// columns, formula-safe cells) and an aligned table for terminals. Text was sanitized where it
// entered the model; CSV cells are escaped again for spreadsheets.
import { papaparse } from '../papaparse-lazy.js';
import type { Connection } from '../../model/connection.js';
import { NETSLEUTH_CSV_COLUMNS, connectionCsvCells } from '../csv-cells.js';
import { alignTable } from '../../output/align.js';

// The table's own home is output/align.ts; kept here too for the capture outputs' callers.
export { alignTable };

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
