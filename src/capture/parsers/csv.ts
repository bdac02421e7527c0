// CSV captures, read with papaparse:
//  - PowerShell `Get-NetTCPConnection | Export-Csv` (with or without the `#TYPE` line, any column
//    subset that has LocalAddress/LocalPort; `Get-NetUDPEndpoint` exports read as udp);
//  - netsleuth's own CSV (`netsleuth parse --format csv`, the body of `netsleuth capture` files).
// Sample (PowerShell):
//   "LocalAddress","LocalPort","RemoteAddress","RemotePort","State","AppliedSetting","OwningProcess"
//   "203.0.113.10","80","198.51.100.7","51234","Established","Internet","4"
// Known gaps: line numbers assume no quoted cell spans lines; PowerShell's calculated columns other
// than ProcessName are ignored. The whole CSV is buffered (captures are small; use text formats
// for huge files).
import { papaparse } from '../papaparse-lazy.js';
import type { Connection, Protocol } from '../../model/connection.js';
import { sanitizeText } from '../../net/sanitize.js';
import { buildConnection, diagnosticFor, parseEndpoint, toCount } from '../build-connection.js';
import { unescapeCsvCell } from '../../output/escape.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState, powershellStateName } from '../states.js';

type TruncatedField = NonNullable<Connection['truncated']>[number];
const TRUNCATED_FIELDS: readonly TruncatedField[] = ['localAddress', 'remoteAddress', 'program'];

function firstDataLine(sample: string): string {
  for (const raw of sample.split('\n', 50)) {
    const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim().length === 0 || line.startsWith('#')) continue;
    return line;
  }
  return '';
}

export function detectCsv(sample: string): number {
  const header = firstDataLine(sample).replace(/"/g, '');
  if (/^protocol,ipVersion,localAddress,localPort,remoteAddress,remotePort,state/.test(header)) return 0.95;
  const columns = header.split(',');
  if (columns.includes('LocalAddress') && columns.includes('LocalPort')) return 0.9;
  return 0;
}

/** Parse CSV text whose line 1 is `firstLineNumber` in the input; used by netsleuth-capture too. */
export function parseCsvText(text: string, firstLineNumber: number, file: string, sink: ParseSink): void {
  const result = papaparse().parse<string[]>(text, { skipEmptyLines: false });
  let header: string[] | null = null;
  result.data.forEach((row, index) => {
    const lineNumber = firstLineNumber + index;
    if (row.length === 1 && (row[0] ?? '').trim() === '') return;
    if (header === null) {
      if ((row[0] ?? '').startsWith('#')) return;
      header = row.map((cell) => cell.replace(/^\uFEFF/, '').trim());
      return;
    }
    if ((row[0] ?? '').startsWith('#')) return;
    const record: Record<string, string> = {};
    header.forEach((name, at) => {
      record[name] = unescapeCsvCell((row[at] ?? '').trim());
    });
    const raw = row.join(',');
    const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, raw, reason));
    if (header.includes('protocol')) readNetsleuthRecord(record, file, lineNumber, sink, reject);
    else readPowerShellRecord(record, header, file, lineNumber, sink, reject);
  });
}

function endpointFrom(address: string | undefined, port: string | undefined) {
  if (address === undefined || address === '') return null;
  const portText = port === undefined || port === '' ? '*' : port;
  const bracketed = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return parseEndpoint(`${bracketed}:${portText}`, 'colon');
}

function readNetsleuthRecord(record: Record<string, string>, file: string, line: number, sink: ParseSink, reject: (reason: string) => void): void {
  const protocol = record['protocol'];
  if (protocol !== 'tcp' && protocol !== 'udp') return reject(`bad protocol '${protocol ?? ''}'`);
  const local = endpointFrom(record['localAddress'], record['localPort']);
  const remote = endpointFrom(record['remoteAddress'], record['remotePort']);
  if (!local || !remote) return reject('bad address');
  const ipVersion = record['ipVersion'] === '6' ? 6 : record['ipVersion'] === '4' ? 4 : null;
  if (ipVersion === null) return reject(`bad ipVersion '${record['ipVersion'] ?? ''}'`);
  const rawState = record['rawState'] ?? '';
  const stateText = record['state'] ?? '';
  const state = stateText === 'UNKNOWN' ? 'UNKNOWN' : lookupState(stateText);
  if (state === null) return reject(`unknown state '${stateText}'`);
  const program = record['program'];
  const truncated = (record['truncated'] ?? '').split(';').filter((field): field is TruncatedField => TRUNCATED_FIELDS.includes(field as TruncatedField));
  const connection = buildConnection({
    protocol, ipVersion, local, remote, state, rawState,
    recvQ: toCount(record['recvQ']), sendQ: toCount(record['sendQ']), pid: toCount(record['pid']),
    program: program === undefined || program === '' ? null : program,
    truncated,
    file, line,
  });
  const scope = record['scope'];
  if (scope !== undefined && scope !== '') connection.scope = sanitizeText(scope);
  sink.connection(connection);
}

function readPowerShellRecord(record: Record<string, string>, header: string[], file: string, line: number, sink: ParseSink, reject: (reason: string) => void): void {
  const protocol: Protocol = header.includes('RemoteAddress') ? 'tcp' : 'udp';
  const localText = record['LocalAddress'] ?? '';
  const local = endpointFrom(localText, record['LocalPort']);
  if (!local) return reject(`bad LocalAddress '${localText}'`);
  const remote = protocol === 'tcp' ? endpointFrom(record['RemoteAddress'], record['RemotePort']) : { address: '*', port: null, isIp: true, version: null };
  if (!remote) return reject(`bad RemoteAddress '${record['RemoteAddress'] ?? ''}'`);
  const stateField = record['State'] ?? '';
  const rawState = powershellStateName(stateField);
  const state = rawState === '' ? null : lookupState(rawState);
  if (protocol === 'tcp' && rawState !== '' && state === null && !/^(Bound|DeleteTCB)$/i.test(rawState)) return reject(`unknown state '${rawState}'`);
  const program = record['ProcessName'] ?? record['Process'];
  sink.connection(buildConnection({
    protocol,
    ipVersion: local.version === 6 || localText.includes(':') ? 6 : 4,
    local, remote, state: state ?? 'UNKNOWN', rawState,
    pid: toCount(record['OwningProcess']),
    program: program === undefined || program === '' ? null : program,
    file, line,
  }));
}

export function createCsvParser(file: string, sink: ParseSink): LineParser {
  const lines: string[] = [];
  return {
    line(text) {
      lines.push(text);
    },
    end() {
      parseCsvText(lines.join('\n'), 1, file, sink);
    },
  };
}

export const csv: CaptureFormat = {
  name: 'csv',
  title: 'CSV: PowerShell Get-NetTCPConnection | Export-Csv, netsleuth parse --format csv',
  commands: ['Get-NetTCPConnection | Export-Csv conns.csv', 'Get-NetUDPEndpoint | Export-Csv udp.csv', 'netsleuth parse --format csv'],
  sample: [
    '#TYPE Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetTCPConnection',
    '"LocalAddress","LocalPort","RemoteAddress","RemotePort","State","AppliedSetting","OwningProcess"',
    '"0.0.0.0","80","0.0.0.0","0","Listen",,"4"',
    '"203.0.113.10","80","198.51.100.7","51234","Established","Internet","4"',
  ].join('\r\n'),
  detect: detectCsv,
  createParser: createCsvParser,
};
