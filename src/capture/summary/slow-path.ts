// The full Linux netstat parser as the summary's fallback for lines the byte scanner does not
// take (headers, IPv6, names, garbage). Loaded lazily by workers: most ranges never need it.
import type { Connection, ParseDiagnostic } from '../../model/connection.js';
import { ipv4ToInt } from '../../net/ip.js';
import type { LineParser } from '../parser-types.js';
import { withCaptureTimeLines } from '../capture-time-line.js';
import { createNetstatLinuxParser } from '../parsers/netstat-linux.js';
import { STATE_INDEX, type CountTable } from './count-table.js';

export function countConnection(table: CountTable, connection: Pick<Connection, 'remoteAddress' | 'state'>): void {
  const stateIndex = STATE_INDEX[connection.state];
  const key = ipv4ToInt(connection.remoteAddress);
  if (key >= 0) table.addIpv4(key, stateIndex);
  else table.addText(connection.remoteAddress, stateIndex);
}

export type SlowParserFactory = (file: string, table: CountTable, onDiagnostic: (diagnostic: ParseDiagnostic) => void) => LineParser;

// As parse does (createLineParser): `date` lines are no rows. The summary keeps no capture time.
export const createSlowSummaryParser: SlowParserFactory = (file, table, onDiagnostic) => {
  const sink = { connection: (connection: Connection) => countConnection(table, connection), diagnostic: onDiagnostic, meta: () => {} };
  return withCaptureTimeLines(createNetstatLinuxParser(file, sink), sink);
};
