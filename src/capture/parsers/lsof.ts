// lsof's Internet files, Linux and macOS/BSD: `lsof -i`, `lsof -nP -i`, `sudo lsof` (every open
// file: only the IPv4/IPv6 rows are connections), and the field output `lsof -nP -i -FpctPn`
// (also with u/L/f/T fields, and -F0 NUL separators).
// Sample (table):
//   COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME
//   sshd    16944 root    3u  IPv4 207375      0t0  TCP kbrazil-ubuntu:ssh->192.168.71.1:65159 (ESTABLISHED)
// Sample (fields, one per line: p pid, c command, u uid, L login, f fd, t type, P protocol, n name,
// T TCP info such as TST=LISTEN, TQR=0):
//   p8708 / csshd / tIPv4 / PTCP / n*:22
// Rows carry command, PID, user and FD; names are `host:port`, `[v6]:port`, `*:*` with
// `->` between the local and the remote end and the TCP state in parentheses.
// Known gaps: lsof cuts command names at 9 characters unless run with `+c 0` (a 9-character
// command is flagged in `truncated`); without `-n`/`-P` addresses are host names and ports
// service names (kept as printed; unknown service names leave the port empty); the field output
// has no TCP state unless `T` was selected (`-FpcnPT`), so its TCP rows are UNKNOWN then.
// Thread rows (the TID column of Linux lsof) repeat their process's socket and are read once;
// other file types (REG, DIR, unix, netlink, ...) and non-TCP/UDP Internet files (raw, ICMP) are
// no connections and are passed over.
import type { IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, toCount, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState } from '../states.js';

const HEADER = /^COMMAND\s+PID\s+(?:TID\s+)?(?:TASKCMD\s+)?USER\s+FD\s+TYPE\s+DEVICE\s+SIZE(?:\/OFF)?\s+NODE\s+NAME\s*$/;
// COMMAND PID [TID] USER FD TYPE DEVICE [SIZE/OFF] NODE NAME: DEVICE and SIZE/OFF may be blank.
const IP_ROW = /^(\S+)\s+(\d+)\s+(?:(\d+)\s+)?(\S+)\s+(\S+)\s+(IPv[46])\s+(?:\S+\s+){0,2}?(TCP|UDP|UDPLITE|SCTP|ICMP|ICMPV6|raw6?)\s+(\S.*)$/;
const ANY_ROW = /^\S+\s+\d+\s+\S/;
// lsof's default command width (CMDL): longer names are cut there unless `+c` widened it.
const COMMAND_WIDTH = 9;
const FIELD_LINE = /^[A-Za-z0-9][^\0]*$/;

export function detectLsof(sample: string): number {
  const lines = sample.split('\n', 200).map((line) => line.replace(/\r$/, ''));
  const first = lines.find((line) => line.trim().length > 0 && !line.startsWith('lsof: ') && !/^\s+Output information/.test(line)) ?? '';
  if (HEADER.test(first)) return 0.95;
  if (/^p\d+(?:\0|$)/.test(first)) {
    const fields = lines.filter((line) => line.length > 0);
    const fieldLike = fields.filter((line) => FIELD_LINE.test(line) || line.includes('\0')).length;
    const hasName = fields.some((line) => /(?:^|\0)n\S/.test(line));
    return hasName && fieldLike / fields.length >= 0.9 ? 0.9 : 0;
  }
  const candidates = lines.filter((line) => /\sIPv[46]\s/.test(line));
  if (candidates.length === 0) return 0;
  const rows = candidates.filter((line) => IP_ROW.test(line)).length;
  return (rows / candidates.length) * 0.8;
}

interface Socket {
  command: string | null;
  pid: number | null;
  user: string | null;
  fd: string | null;
  type: string | null;
  protocol: string;
  name: string;
  /** TCP info: state and queues (table: the parenthesised text; fields: T lines). */
  info: string[];
  line: number;
  raw: string;
}

/** `host:port`, `host:port->host:port`, then `(ESTABLISHED)` or `(QR=0 QS=0 LISTEN)` in the table. */
function splitName(name: string): { ends: string[]; info: string[] } {
  const info: string[] = [];
  let text = name.trim();
  const paren = /\s*\(([^()]*)\)$/.exec(text);
  if (paren) {
    info.push(...(paren[1] ?? '').split(/\s+/).filter(Boolean));
    text = text.slice(0, paren.index).trim();
  }
  return { ends: text.split('->'), info };
}

export function createLsofParser(file: string, sink: ParseSink): LineParser {
  let mode: 'table' | 'fields' | null = null;
  const seen = new Set<string>();

  const emit = (socket: Socket) => {
    const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, socket.line, socket.raw, reason));
    const protocolText = socket.protocol.toLowerCase();
    if (protocolText !== 'tcp' && protocolText !== 'udp') return;
    const protocol = protocolText as Protocol;
    const { ends, info } = splitName(socket.name);
    if (ends.length > 2) return reject(`bad name '${socket.name}'`);
    const local = parseEndpoint(ends[0] ?? '', 'colon');
    if (!local) return reject(`bad local address '${ends[0] ?? ''}'`);
    const wildcard: EndpointFields = { address: '*', port: null, isIp: true, version: null };
    const remote = ends.length === 2 ? parseEndpoint(ends[1] ?? '', 'colon') : wildcard;
    if (!remote) return reject(`bad remote address '${ends[1] ?? ''}'`);
    let rawState = '';
    let recvQ: number | null = null;
    let sendQ: number | null = null;
    for (const item of [...info, ...socket.info]) {
      const pair = /^(TST|ST|TQR|QR|TQS|QS)=(.*)$/.exec(item);
      if (pair) {
        if (pair[1] === 'TST' || pair[1] === 'ST') rawState = pair[2] ?? '';
        else if (pair[1] === 'TQR' || pair[1] === 'QR') recvQ = toCount(pair[2]);
        else sendQ = toCount(pair[2]);
      } else if (!item.includes('=')) {
        rawState = item;
      }
    }
    const state = rawState === '' ? null : lookupState(rawState);
    // A thread row repeats its process's row: same PID, FD, type and name.
    if (socket.fd !== null) {
      const key = `${socket.pid ?? '?'}\0${socket.fd}\0${socket.type ?? ''}\0${socket.protocol}\0${socket.name}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    const printedV6 = (ends[0] ?? '').startsWith('[');
    const ipVersion: IpVersion = socket.type === 'IPv6' || (socket.type === null && (printedV6 || local.version === 6)) ? 6 : 4;
    sink.connection(buildConnection({
      protocol, ipVersion, local, remote,
      state: state ?? 'UNKNOWN', rawState, recvQ, sendQ,
      pid: socket.pid, program: socket.command, user: socket.user, fd: socket.fd,
      truncated: socket.command !== null && socket.command.length === COMMAND_WIDTH ? ['program'] : [],
      file, line: socket.line,
    }));
  };

  const tableLine = (text: string, lineNumber: number) => {
    if (HEADER.test(text)) return;
    const match = IP_ROW.exec(text);
    if (!match) {
      if (/\sIPv[46]\s/.test(text) || !ANY_ROW.test(text)) sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not an lsof row'));
      return;
    }
    emit({
      command: unescapeLsof(match[1] ?? ''), pid: toCount(match[2]), user: match[4] ?? null, fd: match[5] ?? null, type: match[6] ?? null,
      protocol: match[7] ?? '', name: match[8] ?? '', info: [], line: lineNumber, raw: text,
    });
  };

  // Field output: a process set (p, then c/u/L/g/R...) and file sets (f or the first repeated field).
  let process: { pid: number | null; command: string | null; user: string | null; login: string | null } | null = null;
  let fields: Map<string, string> | null = null;
  let tcpInfo: string[] = [];
  let fileLine = 0;
  let fileRaw: string[] = [];
  const flushFile = () => {
    if (fields && process) {
      const type = fields.get('t') ?? null;
      const protocol = fields.get('P');
      const name = fields.get('n');
      const isInternet = type === 'IPv4' || type === 'IPv6' || (type === null && protocol !== undefined);
      if (isInternet) {
        const socket: Socket = {
          command: process.command, pid: process.pid, user: process.login ?? process.user, fd: fields.get('f') ?? null,
          type, protocol: protocol ?? '', name: name ?? '', info: tcpInfo, line: fileLine, raw: fileRaw.join(' '),
        };
        if (protocol === undefined) sink.diagnostic(diagnosticFor(file, fileLine, socket.raw, 'no protocol (P) field for this Internet file'));
        else if (name === undefined) sink.diagnostic(diagnosticFor(file, fileLine, socket.raw, 'no name (n) field for this Internet file'));
        else emit(socket);
      }
    }
    fields = null;
    tcpInfo = [];
    fileRaw = [];
  };
  const field = (text: string, lineNumber: number) => {
    const id = text[0] ?? '';
    const value = text.slice(1);
    if (id === 'p') {
      flushFile();
      process = { pid: toCount(value), command: null, user: null, login: null };
      if (process.pid === null) sink.diagnostic(diagnosticFor(file, lineNumber, text, `bad PID '${value}'`));
      return;
    }
    if (process === null) return sink.diagnostic(diagnosticFor(file, lineNumber, text, 'field before the first process (p) line'));
    if (fields === null && 'cuLgRK'.includes(id)) {
      if (id === 'c') process.command = unescapeLsof(value);
      else if (id === 'u') process.user = value;
      else if (id === 'L') process.login = value;
      return;
    }
    if (id === 'f' || (fields !== null && id !== 'T' && fields.has(id))) flushFile();
    if (fields === null) {
      fields = new Map();
      fileLine = lineNumber;
    }
    fileRaw.push(text);
    if (id === 'T') tcpInfo.push(value);
    else fields.set(id, value);
  };

  return {
    line(text, lineNumber) {
      if (text.trim().length === 0) return;
      // `lsof: WARNING: can't stat() ...` and its indented second line go to stderr, but 2>&1 saves them.
      if (text.startsWith('lsof: ') || /^\s+Output information may be incomplete/.test(text)) return;
      if (mode === null) mode = /^p\d+(?:\0|$)/.test(text) ? 'fields' : 'table';
      if (mode === 'table') return tableLine(text.trimEnd(), lineNumber);
      for (const part of text.split('\0')) {
        if (part.length === 0) continue;
        if (!/^[A-Za-z0-9]/.test(part)) {
          sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not an lsof field (a letter, then its value)'));
          continue;
        }
        field(part, lineNumber);
      }
    },
    end() {
      if (mode === 'fields') flushFile();
    },
  };
}

/** lsof prints unprintable and space characters in names as `\xNN`. */
function unescapeLsof(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const lsof: CaptureFormat = {
  name: 'lsof',
  title: 'lsof Internet files (lsof -i, lsof -nP -i, -F field output)',
  commands: ['lsof -i', 'lsof -nP -i', 'sudo lsof', 'lsof -nP -i -FpctPn', 'lsof -nP -iTCP -sTCP:LISTEN'],
  sample: [
    'COMMAND   PID   USER   FD   TYPE DEVICE SIZE/OFF NODE NAME',
    'httpd     812   root    4u  IPv6  21474      0t0  TCP *:80 (LISTEN)',
    'httpd     813 apache   12u  IPv4  21731      0t0  TCP 203.0.113.10:80->198.51.100.7:51234 (ESTABLISHED)',
    'sshd      901   root    3u  IPv6  20110      0t0  TCP [::1]:22->[::1]:50022 (ESTABLISHED)',
  ].join('\n'),
  detect: detectLsof,
  createParser: createLsofParser,
  timeLines: true,
};
