// Windows PowerShell `Get-NetTCPConnection` (and `Get-NetUDPEndpoint`) as the console shows it
// (the default table and `| Format-Table -AutoSize`) and as `| ConvertTo-Json` writes it.
// Sample (table; numbers are right-aligned, AppliedSetting is often blank):
//   LocalAddress    LocalPort RemoteAddress  RemotePort State       AppliedSetting OwningProcess
//   ------------    --------- -------------  ---------- -----       -------------- -------------
//   203.0.113.10           80 198.51.100.7        51234 Established Internet                  4
// Sample (JSON): [{ "LocalAddress": "::", "LocalPort": 135, "RemoteAddress": "::", "RemotePort": 0,
//   "State": 2, "OwningProcess": 912 }] — State is MSFT_NetTCPConnection's number (2 = Listen)
//   unless -EnumsAsStrings made it a name; one connection is one object, not an array.
// Table columns are placed by the dashed underline, so blank cells stay blank.
// Known gaps: the default (not -AutoSize) table cuts long IPv6 addresses with `...` (PowerShell 5)
// or `…` (7): such an address is kept as printed and flagged in `truncated`. Process names are
// only there when the command added them (`Select-Object ..., @{n='ProcessName';e={...}}`).
// The JSON document is buffered whole.
import type { Connection, IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, toCount, tokenize, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState, powershellStateName } from '../states.js';

const TABLE_HEADER = /^\s*LocalAddress\s+LocalPort(?:\s|$)/;
const ELLIPSIS = /(?:\.\.\.|…)$/;

export function detectPowershell(sample: string): number {
  const text = sample.replace(/^\uFEFF/, '').trimStart();
  if ((text.startsWith('[') || text.startsWith('{')) && /"LocalAddress"\s*:/.test(text) && /"LocalPort"\s*:/.test(text)) return 0.95;
  const lines = sample.split('\n', 200).map((line) => line.replace(/\r$/, ''));
  const at = lines.findIndex((line) => TABLE_HEADER.test(line));
  if (at >= 0 && /^\s*-{3,}(\s+-{3,})+\s*$/.test(lines[at + 1] ?? '')) return 0.95;
  return 0;
}

interface Column {
  name: string;
  start: number;
  end: number;
}

interface Cells {
  [name: string]: string | undefined;
}

/** A printed address and port: a cut address (`fe80::1c2d:...`) is kept as text and flagged. */
function endpointOf(address: string | undefined, port: string | undefined): { endpoint: EndpointFields | null; cut: boolean } {
  if (address === undefined || address === '') return { endpoint: null, cut: false };
  const portText = port === undefined || port === '' ? '*' : port;
  if (ELLIPSIS.test(address)) {
    const portNumber = toCount(portText);
    return { endpoint: { address: address.replace(ELLIPSIS, ''), port: portNumber, isIp: false, version: null }, cut: true };
  }
  const bracketed = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return { endpoint: parseEndpoint(`${bracketed}:${portText}`, 'colon'), cut: false };
}

/** One Get-NetTCPConnection/Get-NetUDPEndpoint record (a table row or a JSON object) -> connection. */
function readRecord(cells: Cells, protocol: Protocol, file: string, line: number, raw: string, sink: ParseSink): void {
  const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, line, raw, reason));
  const localText = cells['LocalAddress'];
  const local = endpointOf(localText, cells['LocalPort']);
  if (!local.endpoint) return reject(`bad LocalAddress '${localText ?? ''}'`);
  const wildcard: EndpointFields = { address: '*', port: null, isIp: true, version: null };
  const remote = protocol === 'tcp' ? endpointOf(cells['RemoteAddress'], cells['RemotePort']) : { endpoint: wildcard, cut: false };
  if (!remote.endpoint) return reject(`bad RemoteAddress '${cells['RemoteAddress'] ?? ''}'`);
  const rawState = powershellStateName(cells['State'] ?? '');
  const state = rawState === '' ? null : lookupState(rawState);
  if (protocol === 'tcp' && state === null && !/^(Bound|DeleteTCB|Closed)$/i.test(rawState)) return reject(`unknown state '${rawState}'`);
  const pidText = cells['OwningProcess'];
  const pid = pidText === undefined || pidText === '' ? null : toCount(pidText);
  if (pidText !== undefined && pidText !== '' && pid === null) return reject(`bad OwningProcess '${pidText}'`);
  const program = cells['ProcessName'] ?? cells['Process'];
  const truncated: NonNullable<Connection['truncated']> = [];
  if (local.cut) truncated.push('localAddress');
  if (remote.cut) truncated.push('remoteAddress');
  const ipVersion: IpVersion = local.endpoint.version === 6 || (localText ?? '').includes(':') ? 6 : 4;
  sink.connection(buildConnection({
    protocol, ipVersion, local: local.endpoint, remote: remote.endpoint,
    state: state ?? 'UNKNOWN', rawState, pid,
    program: program === undefined || program === '' ? null : program,
    truncated, file, line,
  }));
}

/** Line numbers where each element of a JSON array (or the one top-level value) starts. */
function elementStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let topIsArray = false;
  let expectValue = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    const elementDepth = topIsArray ? 1 : 0;
    if (expectValue && depth === elementDepth && char !== ']') {
      starts.push(line);
      expectValue = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      if (depth === 0 && char === '[') {
        topIsArray = true;
        expectValue = true;
        starts.length = 0;
      }
      depth++;
    } else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === elementDepth) expectValue = true;
  }
  return starts;
}

function jsonCell(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function readJson(text: string, file: string, sink: ParseSink): void {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    sink.diagnostic(diagnosticFor(file, 1, text.slice(0, 200), `not valid JSON (${(error as Error).message})`));
    return;
  }
  const records = Array.isArray(document) ? document : [document];
  const lines = elementStartLines(text);
  records.forEach((record, index) => {
    const line = lines[index] ?? 1;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      sink.diagnostic(diagnosticFor(file, line, JSON.stringify(record) ?? '', 'not a connection object'));
      return;
    }
    const object = record as Record<string, unknown>;
    const cells: Cells = {};
    for (const name of ['LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'OwningProcess', 'ProcessName', 'Process']) {
      const value = jsonCell(object[name]);
      if (value !== undefined) cells[name] = value;
    }
    readRecord(cells, 'RemoteAddress' in object ? 'tcp' : 'udp', file, line, JSON.stringify(record).slice(0, 200), sink);
  });
}

export function createPowershellParser(file: string, sink: ParseSink): LineParser {
  let mode: 'json' | 'table' | null = null;
  const jsonLines: string[] = [];
  let headerText: string | null = null;
  let columns: Column[] | null = null;
  return {
    line(text, lineNumber) {
      if (mode === null) {
        if (text.trim().length === 0) return;
        mode = /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'table';
      }
      if (mode === 'json') {
        jsonLines.push(text);
        return;
      }
      const line = text.trimEnd();
      // Blank lines around tables and the prompt line of a pasted console are no rows.
      if (line.trim().length === 0 || /^PS [^>]*>/.test(line)) return;
      if (TABLE_HEADER.test(line)) {
        headerText = line;
        columns = null;
        return;
      }
      if (headerText !== null && columns === null && /^\s*-+(\s+-+)*$/.test(line)) {
        const names = tokenize(headerText);
        columns = tokenize(line).map((dash, index) => ({ name: names[index]?.text ?? '', start: dash.start, end: dash.start + dash.text.length }));
        return;
      }
      if (!columns) return sink.diagnostic(diagnosticFor(file, lineNumber, text, 'row before the LocalAddress/LocalPort header and its underline'));
      const cells: Cells = {};
      for (const token of tokenize(line)) {
        const end = token.start + token.text.length;
        // The column this cell overlaps most: left-aligned text starts in it, right-aligned numbers end in it.
        let best: Column | null = null;
        let bestOverlap = 0;
        for (const column of columns) {
          const overlap = Math.min(end, column.end) - Math.max(token.start, column.start);
          if (overlap > bestOverlap) {
            best = column;
            bestOverlap = overlap;
          }
        }
        if (!best) return sink.diagnostic(diagnosticFor(file, lineNumber, text, `'${token.text}' is under no column`));
        cells[best.name] = cells[best.name] === undefined ? token.text : `${cells[best.name]} ${token.text}`;
      }
      const protocol: Protocol = columns.some((column) => column.name === 'RemoteAddress') ? 'tcp' : 'udp';
      readRecord(cells, protocol, file, lineNumber, text, sink);
    },
    end() {
      if (mode === 'json') readJson(jsonLines.join('\n'), file, sink);
    },
  };
}

export const powershell: CaptureFormat = {
  name: 'powershell',
  title: 'PowerShell Get-NetTCPConnection (table, Format-Table -AutoSize, ConvertTo-Json)',
  commands: ['Get-NetTCPConnection', 'Get-NetTCPConnection | Format-Table -AutoSize', 'Get-NetTCPConnection | ConvertTo-Json', 'Get-NetUDPEndpoint'],
  sample: [
    'LocalAddress  LocalPort RemoteAddress RemotePort State       AppliedSetting OwningProcess',
    '------------  --------- ------------- ---------- -----       -------------- -------------',
    '203.0.113.10         80 198.51.100.7       51234 Established Internet                  4',
    '::                   80 ::                     0 Listen                                4',
  ].join('\r\n'),
  detect: detectPowershell,
  createParser: createPowershellParser,
};
