// netsleuth's own CSV: the columns `parse --format csv` writes and the csv/netsleuth-capture
// parsers read back, plus formula-injection-safe cells (a capture can carry attacker text).
import type { Connection } from '../model/connection.js';
import { escapeCsvCell } from '../output/escape.js';

export const NETSLEUTH_CSV_COLUMNS = [
  'protocol', 'ipVersion', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'rawState',
  'recvQ', 'sendQ', 'pid', 'program', 'file', 'line', 'scope', 'truncated',
] as const;

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
