// The full netstat-linux and ss parsers as the summary's fallback for lines the row scanner does
// not take (headers, IPv6, names, garbage). Loaded lazily by workers: most ranges never need it.
import type { Connection, ParseDiagnostic } from '../../model/connection.js';
import { ipv4ToInt } from '../../net/ip.js';
import type { LineParser } from '../parser-types.js';
import { withCaptureTimeLines } from '../capture-time-line.js';
import { createNetstatLinuxParser } from '../parsers/netstat-linux.js';
import { createSsParser } from '../parsers/ss.js';
import type { ParseSink } from '../parser-types.js';
import type { SocketRowFormat } from './socket-row-scanner.js';
import { STATE_INDEX, type CountTable } from './count-table.js';

export function countConnection(table: CountTable, connection: Pick<Connection, 'remoteAddress' | 'state'>): void {
  const stateIndex = STATE_INDEX[connection.state];
  const key = ipv4ToInt(connection.remoteAddress);
  if (key >= 0) table.addIpv4(key, stateIndex);
  else table.addText(connection.remoteAddress, stateIndex);
}

export type SlowParserFactory = (file: string, table: CountTable, onDiagnostic: (diagnostic: ParseDiagnostic) => void) => LineParser;

const PARSERS: Record<SocketRowFormat, (file: string, sink: ParseSink) => LineParser> = { 'netstat-linux': createNetstatLinuxParser, ss: createSsParser };

/** The parser of `format` counting into the table. As parse does (createLineParser), `date` lines are no rows. */
export function slowSummaryParser(format: SocketRowFormat): SlowParserFactory {
  return (file, table, onDiagnostic) => {
    const sink = { connection: (connection: Connection) => countConnection(table, connection), diagnostic: onDiagnostic, meta: () => {} };
    return withCaptureTimeLines(PARSERS[format](file, sink), sink);
  };
}
