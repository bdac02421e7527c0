// netsleuth's own CSV: the columns `parse --format csv` writes and the csv/netsleuth-capture
// parsers read back, plus formula-injection-safe cells (a capture can carry attacker text).
import type { Connection } from '../model/connection.js';

export const NETSLEUTH_CSV_COLUMNS = [
  'protocol', 'ipVersion', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'rawState',
  'recvQ', 'sendQ', 'pid', 'program', 'file', 'line', 'scope', 'truncated',
] as const;

// A formula start, after any run of quotes: a value that itself begins `'=` gets the prefix
// too, so reading back removes exactly the one quote writing added (a program named `'=x`
// survives the round trip instead of coming back as `=x`).
const NEEDS_PREFIX = /^'*[=+\-@\t\r]/;

/** Spreadsheet apps run cells starting with = + - @ TAB CR as formulas: prefix a quote. */
export function escapeCsvCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

export function unescapeCsvCell(value: string): string {
  return value.startsWith("'") && NEEDS_PREFIX.test(value.slice(1)) ? value.slice(1) : value;
}

export function connectionCsvCells(connection: Connection): string[] {
  const cell = (value: string | number | null) => (value === null ? '' : escapeCsvCell(String(value)));
  return [
    connection.protocol, String(connection.ipVersion), cell(connection.localAddress), cell(connection.localPort),
    cell(connection.remoteAddress), cell(connection.remotePort), connection.state, cell(connection.rawState),
    cell(connection.recvQ), cell(connection.sendQ), cell(connection.pid), cell(connection.program),
    cell(connection.source.file), String(connection.source.line),
    cell(connection.scope ?? null), connection.truncated ? connection.truncated.join(';') : '',
  ];
}
