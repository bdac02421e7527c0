// netsleuth's own capture format, written by `netsleuth capture` and the health checker:
//   # netsleuth capture v1
//   # host: web1
//   # captured-at: 2026-11-28T16:49:23Z
//   # source: /proc/net/tcp,/proc/net/tcp6
//   protocol,ipVersion,localAddress,...   (the netsleuth CSV of `parse --format csv`)
// The writer is pure; the parser lives in parsers/netsleuth-capture.ts.
import { papaparse } from './papaparse-lazy.js';
import type { Connection } from '../model/connection.js';
import { sanitizeText } from '../net/sanitize.js';
import { NETSLEUTH_CSV_COLUMNS, connectionCsvCells } from './csv-cells.js';

export const NETSLEUTH_CAPTURE_MAGIC = '# netsleuth capture v1';

export interface NetsleuthCaptureHeader {
  host: string;
  /** ISO 8601 UTC. */
  capturedAt: string;
  /** Where the rows came from, e.g. `/proc/net/tcp,/proc/net/tcp6` or `ss -tanp`. */
  source: string;
}

/** One header value per line: newlines or control characters in a host name must not forge lines. */
function headerValue(value: string): string {
  return sanitizeText(value).trim();
}

export function formatNetsleuthCapture(header: NetsleuthCaptureHeader, connections: Connection[]): string {
  const lines = [
    NETSLEUTH_CAPTURE_MAGIC,
    `# host: ${headerValue(header.host)}`,
    `# captured-at: ${headerValue(header.capturedAt)}`,
    `# source: ${headerValue(header.source)}`,
  ];
  const body = papaparse().unparse({ fields: [...NETSLEUTH_CSV_COLUMNS], data: connections.map(connectionCsvCells) }, { newline: '\n' });
  return `${lines.join('\n')}\n${body}\n`;
}
