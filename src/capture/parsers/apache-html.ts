// Apache httpd's HTML `server-status` page (mod_status), with `ExtendedStatus On` for the
// per-worker table. Shape (httpd 2.4; a row may span lines, as mod_status breaks them):
//   <h1>Apache Server Status for www.example.com (via 203.0.113.10)</h1>
//   <pre>RRRRRWK___....</pre>                     the scoreboard, 64 slots a line
//   <table border="0"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU
//   </th>...<th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>
//   <tr><td><b>0-0</b></td><td>2817</td><td>0/7/7</td><td><b>R</b>
//   </td>...<td>147.46.3.134</td><td>http/1.1</td><td nowrap>www.example.com:80</td><td nowrap></td></tr>
// Each busy worker (M = R reading, W writing, K keep-alive, D, C, L, G) becomes an ESTABLISHED
// tcp connection from its Client to the page's own address (`via`, else the VHost name) on the
// VHost's port (80 when it names none), carrying the worker state, request and vhost. The
// scoreboard gives the counts of every state (CaptureInfo.workers), and the reading/writing
// workers per client feed the slow-requests indicator.
// Known gaps: the client's port is not shown (remotePort null); idle workers (`_`) list their last
// client, which is not a connection and is not kept; no real capture of this page was at hand,
// samples/captures/apache-server-status.html is synthetic (samples/SOURCES.md).
import type { Connection, IpVersion, WorkerCounts } from '../../model/connection.js';
import { parseIpAddress } from '../../net/ip.js';
import { sanitizeText } from '../../net/sanitize.js';
import { diagnosticFor } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { BUSY_STATES, addCounts, countScoreboard, workerState } from '../worker-scoreboard.js';

/** Clients listed in the reading/writing figures (the counts cover all). */
const TOP_CLIENTS = 50;
/** Longest table row accumulated across lines before it is given up as garbage. */
const MAX_ROW_CHARS = 16 * 1024;
const SCOREBOARD_LINE = /^[_SRWKDCLGI.]+$/;

export function detectApacheHtml(sample: string): number {
  const title = /<title>\s*Apache Status\s*<\/title>/i.test(sample);
  const heading = /<h1>\s*Apache Server Status for /i.test(sample);
  if (!title && !heading) return 0;
  return title && heading ? 0.95 : 0.8;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The cells of one <tr>...</tr>: tag name and text (tags stripped, entities decoded, trimmed). */
function cellsOf(row: string): { header: boolean; text: string }[] {
  const cells: { header: boolean; text: string }[] = [];
  const pattern = /<(t[dh])\b[^>]*>([\s\S]*?)(?=<t[dh]\b|<\/tr>|$)/gi;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(row)) !== null) {
    const text = decodeEntities((match[2] ?? '').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    cells.push({ header: match[1]!.toLowerCase() === 'th', text });
  }
  return cells;
}

interface Columns {
  mode: number;
  client: number;
  vhost: number;
  request: number;
}

function columnsOf(names: string[]): Columns | null {
  const mode = names.indexOf('M');
  const client = names.indexOf('Client');
  if (mode < 0 || client < 0) return null;
  return { mode, client, vhost: names.indexOf('VHost'), request: names.indexOf('Request') };
}

export function createApacheHtmlParser(file: string, sink: ParseSink): LineParser {
  let via: string | null = null;
  let inPre = false;
  let board: WorkerCounts | null = null;
  let columns: Columns | null = null;
  let row = '';
  let rowLine = 0;
  /** Counts from the table's M column, used when the page printed no scoreboard. */
  const tableCounts: WorkerCounts = { states: {}, slots: 0, server: 'apache' };
  const readingOrWriting = new Map<string, number>();

  const takeRow = (text: string, lineNumber: number): void => {
    const cells = cellsOf(text);
    if (cells.length === 0) return;
    if (cells.every((cell) => cell.header)) {
      columns = columnsOf(cells.map((cell) => cell.text));
      return;
    }
    // Other tables (the event MPM's process table, the column legend) are not workers.
    if (!columns || cells.some((cell) => cell.header)) return;
    const letter = cells[columns.mode]?.text ?? '';
    const state = workerState(letter, 'apache');
    if (state === null) {
      sink.diagnostic(diagnosticFor(file, lineNumber, text, `worker mode '${sanitizeText(letter, 10)}' is no Apache scoreboard letter`));
      return;
    }
    tableCounts.states[state] = (tableCounts.states[state] ?? 0) + 1;
    tableCounts.slots++;
    if (!BUSY_STATES.has(state)) return;
    const clientText = cells[columns.client]?.text ?? '';
    // A busy worker without a client yet (a fresh keep-alive slot prints '?' or nothing) is counted, not listed.
    if (clientText === '' || clientText === '?') return;
    const parsed = parseIpAddress(clientText);
    if (!parsed && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(clientText)) {
      sink.diagnostic(diagnosticFor(file, lineNumber, text, 'worker client is neither an address nor a host name'));
      return;
    }
    const client = parsed ? parsed.text : sanitizeText(clientText);
    const vhost = columns.vhost >= 0 ? cells[columns.vhost]?.text ?? '' : '';
    const port = /:(\d{1,5})$/.exec(vhost);
    const localPort = port && Number(port[1]) <= 65535 ? Number(port[1]) : 80;
    const vhostName = vhost.replace(/:\d{1,5}$/, '');
    const request = columns.request >= 0 ? cells[columns.request]?.text ?? '' : '';
    const ipVersion: IpVersion = parsed?.version ?? 4;
    const connection: Connection = {
      protocol: 'tcp',
      ipVersion,
      localAddress: via ?? (vhostName === '' ? '*' : sanitizeText(vhostName)),
      localPort,
      remoteAddress: client,
      remotePort: null,
      state: 'ESTABLISHED',
      rawState: letter,
      recvQ: null,
      sendQ: null,
      pid: null,
      program: null,
      worker: {
        state,
        letter,
        ...(request === '' ? {} : { request: sanitizeText(request, 200) }),
        ...(vhost === '' ? {} : { vhost: sanitizeText(vhost) }),
      },
      source: { file, line: lineNumber },
    };
    if (state === 'reading' || state === 'writing') readingOrWriting.set(client, (readingOrWriting.get(client) ?? 0) + 1);
    sink.connection(connection);
  };

  return {
    line(text, lineNumber) {
      const heading = /Apache Server Status for .*\(via ([^)\s]+)\)/i.exec(text);
      if (heading) {
        const address = parseIpAddress(heading[1] ?? '');
        if (address) via = address.text;
      }
      // The scoreboard: letters alone on the lines of the one <pre> block.
      let rest = text;
      const preStart = rest.search(/<pre>/i);
      if (!inPre && preStart >= 0) {
        inPre = true;
        rest = rest.slice(preStart + 5);
      }
      if (inPre) {
        const end = rest.search(/<\/pre>/i);
        const letters = (end >= 0 ? rest.slice(0, end) : rest).trim();
        if (letters.length > 0) {
          const counts = SCOREBOARD_LINE.test(letters) ? countScoreboard(letters, 'apache') : null;
          if (counts) {
            if (board) addCounts(board, counts);
            else board = counts;
          } else {
            sink.diagnostic(diagnosticFor(file, lineNumber, text, 'scoreboard line with letters Apache does not print'));
          }
        }
        if (end < 0) return;
        inPre = false;
        rest = rest.slice(end + 6);
      }
      // Table rows, which mod_status breaks over lines.
      while (rest.length > 0) {
        if (row.length === 0) {
          const start = rest.search(/<tr\b/i);
          if (start < 0) return;
          rest = rest.slice(start);
          rowLine = lineNumber;
        }
        const end = rest.search(/<\/tr>/i);
        if (end < 0) {
          row += `${rest}\n`;
          if (row.length > MAX_ROW_CHARS) {
            sink.diagnostic(diagnosticFor(file, rowLine, row, 'table row never closed'));
            row = '';
          }
          return;
        }
        takeRow(row + rest.slice(0, end), rowLine);
        row = '';
        rest = rest.slice(end + 5);
      }
    },
    end() {
      if (row.length > 0) sink.diagnostic(diagnosticFor(file, rowLine, row, 'input ends inside a table row'));
      row = '';
      const counts = board ?? (tableCounts.slots > 0 ? tableCounts : null);
      if (!counts) return;
      const workers: WorkerCounts = { ...counts, states: { ...counts.states } };
      if (columns !== null || readingOrWriting.size > 0) {
        const top = [...readingOrWriting].map(([client, count]) => ({ client, workers: count }))
          .sort((a, b) => b.workers - a.workers || (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
        workers.readingOrWritingClients = { clients: top.length, workers: top.reduce((sum, entry) => sum + entry.workers, 0), top: top.slice(0, TOP_CLIENTS) };
      }
      sink.meta({ workers });
    },
  };
}

export const apacheHtml: CaptureFormat = {
  name: 'apache-html',
  title: 'Apache server-status HTML page (ExtendedStatus On: one connection per busy worker)',
  commands: ['curl -s http://localhost/server-status', 'lynx -source http://localhost/server-status'],
  sample: [
    '<html><head>',
    '<title>Apache Status</title>',
    '</head><body>',
    '<h1>Apache Server Status for www.example.com (via 203.0.113.10)</h1>',
    '<pre>RRRW_K__</pre>',
    '<table border="0"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU',
    '</th><th>SS</th><th>Req</th><th>Dur</th><th>Conn</th><th>Child</th><th>Slot</th><th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>',
    '',
    '<tr><td><b>0-0</b></td><td>2817</td><td>0/7/7</td><td><b>R</b>',
    '</td><td>0.00</td><td>12</td><td>0</td><td>0</td><td>0.0</td><td>0.00</td><td>0.02',
    '</td><td>147.46.3.134</td><td>http/1.1</td><td nowrap>www.example.com:80</td><td nowrap></td></tr>',
    '</table>',
    '</body></html>',
  ].join('\n'),
  detect: detectApacheHtml,
  createParser: createApacheHtmlParser,
};
