// Linux net-tools `netstat`: -tan, -tanp, -tunap, -an (the UNIX-socket section is skipped),
// -e/-ee (User, Inode), -o (Timer), wide program names with spaces, and the old 2.x layout.
// Sample:
//   Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
//   tcp        0      0 192.168.0.103:44922     1.2.3.4:143             ESTABLISHED 25820/thunderbird-b
// Long IPv6 addresses are cut by net-tools to fit the column (flagged in `truncated`, see isCutAddress).
// Known gaps: raw/udpl rows are skipped (no tcp/udp connection); program names are cut at 19
// characters of `PID/name` by netstat itself (flagged in `truncated`, kept verbatim); with -W the
// cut cannot be seen; host names (without -n) are kept as printed.
import type { Connection, IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, toCount, tokenize, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { readStateColumn } from '../states.js';

const PROTO = /^(tcp|udp)(6)?$/;
const SKIPPED_PROTO = /^(raw6?|udpl6?|unix|sctp6?|ax25|netrom|ipx|bluetooth|l2cap|rfcomm)$/;
const ROW = /^(tcp|udp|raw)6?\s+\d+\s+\d+\s+\S*:\S+\s+\S*:\S+/;
// net-tools snprintf()s "PID/name" into 20 bytes: exactly 19 characters means it was probably cut
// (`25820/thunderbird-b` in parse-netstat/netstat-anp-linux is thunderbird-bin).
const PROGRAM_COLUMN_WIDTH = 19;
// Address plus port text, before the `:` between them (net-tools' 22-byte cut).
const ENDPOINT_COLUMN_WIDTH = 22;

interface Columns {
  user: boolean;
  inode: boolean;
  program: boolean;
  timer: boolean;
}

export function detectNetstatLinux(sample: string): number {
  const { ratio, rows } = rowMatchRatio(sample, (line) => /^(tcp|udp|raw)\d*\s/.test(line), (line) => ROW.test(line));
  // Linux prints `State`; BSD/macOS print `(state)`.
  const header = /^Proto\s+Recv-Q\s+Send-Q\s+Local Address\s+Foreign Address\s+State/m.test(sample);
  const linuxTitle = /^Active Internet connections \((servers and established|w\/o servers|only servers)\)/m.test(sample);
  if (rows === 0) return header ? 0.6 : 0;
  // A header is strong evidence: a capture whose rows are mostly garbled is still read (and the
  // bad rows reported) rather than refused.
  return Math.max(header ? 0.6 : 0, Math.min(1, ratio * 0.85 + (header ? 0.1 : 0) + (linuxTitle ? 0.05 : 0)));
}

export function createNetstatLinuxParser(file: string, sink: ParseSink): LineParser {
  let columns: Columns | null = null;
  let inInternetSection = true;
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.length === 0) return;
      if (line.startsWith('Active ')) {
        inInternetSection = line.startsWith('Active Internet connections');
        return;
      }
      if (line.startsWith('Proto ')) {
        if (/Foreign Address/.test(line)) {
          columns = { user: /\bUser\b/.test(line), inode: /\bInode\b/.test(line), program: /PID\/Program/.test(line), timer: /\bTimer\b/.test(line) };
        }
        return;
      }
      const tokens = tokenize(line);
      const proto = tokens[0]?.text ?? '';
      if (SKIPPED_PROTO.test(proto)) return;
      const protoMatch = PROTO.exec(proto);
      if (!protoMatch) {
        if (inInternetSection) sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a netstat connection row'));
        return;
      }
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      if (tokens.length < 5) return reject('too few columns');
      const recvQ = toCount(tokens[1]?.text);
      const sendQ = toCount(tokens[2]?.text);
      if (recvQ === null || sendQ === null) return reject('Recv-Q/Send-Q are not numbers');
      const localText = tokens[3]?.text ?? '';
      const remoteText = tokens[4]?.text ?? '';
      const local = parseEndpoint(localText, 'colon');
      if (!local) return reject(`bad local address '${localText}'`);
      const remote = parseEndpoint(remoteText, 'colon');
      if (!remote) return reject(`bad foreign address '${remoteText}'`);
      const protocol = protoMatch[1] as Protocol;
      const ipVersion: IpVersion = protoMatch[2] === '6' ? 6 : 4;
      const column = readStateColumn(tokens[5]?.text, protocol);
      if (typeof column === 'string') return reject(column);
      const { state, rawState } = column;
      let index = 5 + column.width;
      const layout: Columns = columns ?? { user: false, inode: false, program: true, timer: false };
      if (layout.user) index++;
      if (layout.inode) index++;
      let pid: number | null = null;
      let program: string | null = null;
      let programTruncated = false;
      const programToken = tokens[index];
      if (layout.program && programToken) {
        let programText = line.slice(programToken.start);
        if (layout.timer) programText = programText.replace(/\s+(on|off|keepalive|timewait)\s*\([^)]*\)$/, '');
        // `s`: a carriage return inside a program name (it is attacker-chosen) must not lose the row's PID and name.
        const match = /^(\d+)\/(.*)$/s.exec(programText.trim());
        if (match) {
          pid = Number(match[1]);
          program = match[2] ?? null;
          programTruncated = match[0].length === PROGRAM_COLUMN_WIDTH;
        }
      }
      const truncated: NonNullable<Connection['truncated']> = [];
      if (isCutAddress(localText, local)) truncated.push('localAddress');
      if (isCutAddress(remoteText, remote)) truncated.push('remoteAddress');
      if (programTruncated) truncated.push('program');
      sink.connection(buildConnection({
        protocol, ipVersion, local, remote,
        state: state ?? 'UNKNOWN', rawState, recvQ, sendQ, pid, program,
        truncated,
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

/**
 * net-tools cuts the address so that address and port fit 22 characters, then appends `:port`:
 * a long IPv6 address loses its tail and looks glued to the port (`fe80::42:acff:fe11::123` is
 * `fe80::42:acff:fe11:` + `:123`, inspec/netstat-tulpen-busybox). A cut at a group boundary can
 * even leave a valid-looking address, so every IPv6 endpoint of exactly that width is flagged
 * (possibly cut); the text is kept as printed. IPv4 endpoints never reach the width.
 */
function isCutAddress(printed: string, endpoint: EndpointFields): boolean {
  return printed.length === ENDPOINT_COLUMN_WIDTH + 1 && endpoint.address.includes(':');
}

export const netstatLinux: CaptureFormat = {
  name: 'netstat-linux',
  title: 'Linux net-tools netstat (-tan, -tanp, -tunap, -an, -e)',
  commands: ['netstat -tan', 'netstat -tanp', 'netstat -tunap', 'netstat -an', 'netstat -taneep'],
  sample: [
    'Active Internet connections (servers and established)',
    'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
    'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      812/httpd',
    'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/httpd',
  ].join('\n'),
  detect: detectNetstatLinux,
  createParser: createNetstatLinuxParser,
  timeLines: true,
};
