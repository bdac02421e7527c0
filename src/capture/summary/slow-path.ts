// The full netstat-linux and ss parsers as the summary's fallback for lines the row scanner does
// not take (headers, IPv6, names, garbage). Loaded lazily by workers: most ranges never need it.
import type { Connection, ParseDiagnostic } from '../../model/connection.js';
import { ipv4ToInt } from '../../net/ip.js';
import type { CaptureFormat, LineParser } from '../parser-types.js';
import { createLineParser } from '../line-parser.js';
import { netstatLinux } from '../parsers/netstat-linux.js';
import { ss } from '../parsers/ss.js';
import type { SocketRowFormat } from './socket-row-scanner.js';
import { STATE_INDEX } from '../../model/connection.js';
import type { CountTable } from './count-table.js';

export function countConnection(table: CountTable, connection: Pick<Connection, 'remoteAddress' | 'state'>): void {
  const stateIndex = STATE_INDEX[connection.state];
  const key = ipv4ToInt(connection.remoteAddress);
  if (key >= 0) table.addIpv4(key, stateIndex);
  else table.addText(connection.remoteAddress, stateIndex);
}

export type SlowParserFactory = (file: string, table: CountTable, onDiagnostic: (diagnostic: ParseDiagnostic) => void) => LineParser;

// The formats themselves, not the registry: a worker loads only the parser it needs.
const FORMATS: Record<SocketRowFormat, CaptureFormat> = { 'netstat-linux': netstatLinux, ss };

/** The parser of `format` counting into the table, built as parse builds it (createLineParser). */
export function slowSummaryParser(format: SocketRowFormat): SlowParserFactory {
  return (file, table, onDiagnostic) =>
    createLineParser(FORMATS[format], file, { connection: (connection) => countConnection(table, connection), diagnostic: onDiagnostic, meta: () => {} });
}
