// BSD and macOS `netstat`: -an, -a, -Aa/-An (Socket/Flowhash, Tcpcb or AIX PCB/ADDR columns first),
// -anv -p tcp (rhiwat shiwat pid epid ... or process:pid), FreeBSD/macOS tcp4/tcp6/tcp46/udp4/udp6/udp46,
// FreeBSD -T (Rexmit OOORcv 0-win instead of the queues, no state), -x (socket-buffer and timer
// columns after the addresses, no state), -L (listen queues `0/0/128` and the local address only),
// OpenBSD (`TCP-State`), NetBSD, AIX (`netstat -Aan`) and HP-UX (`netstat -an -f inet`).
// Sample:
//   Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)
//   tcp4       0      0  10.8.0.6.54433         203.0.113.4.443        ESTABLISHED
// Endpoints use dotted ports: `10.0.0.1.80`, `*.22`, `*.*`, `::1.6012`.
// The header says which columns come between Proto and Local Address and whether a state column
// follows; without a header the classic -an layout is assumed.
// Known gaps: macOS cuts the address part at 16 characters (`fe80::aede:48ff:.5`,
// `kbrazil-mac.attl.62979`) and, with -A, the whole endpoint at its column width (port digits are
// lost: `192.168.1.221.5486`). Such endpoints are kept verbatim and flagged in `truncated`.
// Rows of -T and -x have no state (UNKNOWN). UNIX, kernel-control, kernel-event and multipath
// sections are skipped.
import type { Connection, IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, toCount, tokenize, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { NO_STATE_COLUMN, readStateColumn, type StateColumn } from '../states.js';

const PROTO = /^(tcp|udp)(4|6|46)?$/;
const OTHER_PROTO = /^(unix|icm4|icm6|icmp6?|raw[46]?|div[46]?|ip6?|kevt|kctl|gre|pim|sctp[46]?)$/;
// Queues (Recv-Q Send-Q), -T counters (Rexmit OOORcv 0-win), or -L's qlen/incqlen/maxqlen.
const ROW = /^(?:[0-9a-f]{8,18}\s+(?:[0-9a-f]{1,8}\s+)?)?(tcp|udp)(4|6|46)?\s+(?:\d+\s+\d+\s+(?:\d+\s+)?|\d+\/\d+\/\d+\s+)\S+\.\S+(?:\s+\S+\.\S+|\s*$)/;
const HEADER = /^(?:\S+\s+){0,2}Proto\s+(.*?)\s*Local Address/;
// macOS keeps 16 characters of the host part (`kbrazil-mac.attl`, `fe80::aede:48ff:`).
const MACOS_HOST_WIDTH = 16;

interface Layout {
  /** Columns between Proto and Local Address: Recv-Q Send-Q (2), Rexmit OOORcv 0-win (3), Listen (1). */
  counters: string[];
  /** -L: no foreign address; every row is a listener. */
  listenOnly: boolean;
  /** (state) / State / TCP-State printed (not with -T, -x). */
  hasState: boolean;
  /** Start column of Local Address / Foreign Address / (state) in the header, for -A width checks. */
  localStart: number;
  foreignStart: number;
  stateStart: number;
  /** Header names after (state), e.g. rhiwat shiwat pid epid state options. */
  extras: string[];
}

export function detectNetstatBsd(sample: string): number {
  const { ratio, rows } = rowMatchRatio(
    sample,
    (line) => /^(tcp|udp)\S*\s/.test(line) || /^[0-9a-f]{8,18}\s+([0-9a-f]{1,8}\s+)?(tcp|udp)/.test(line),
    (line) => {
      const match = ROW.exec(line);
      if (!match) return false;
      const endpoint = tokenize(line).find((token) => /\.\S+$/.test(token.text) && !/^\d+$/.test(token.text));
      return endpoint !== undefined && endpoint.text.lastIndexOf('.') > endpoint.text.lastIndexOf(':');
    },
  );
  const header = /^(Socket\s+Flowhash\s+|Tcpcb\s+|PCB\/ADDR\s+)?Proto\s+(Recv-Q\s+Send-Q\s+Local Address\s+Foreign Address\s+(\(state\)|TCP-State|R-HIWA)|Rexmit\s+OOORcv\s+0-win\s+Local Address|Listen\s+Local Address)/m.test(sample);
  if (rows === 0) return header ? 0.6 : 0;
  return Math.max(header ? 0.6 : 0, Math.min(1, ratio * 0.85 + (header ? 0.15 : 0)));
}

export function createNetstatBsdParser(file: string, sink: ParseSink): LineParser {
  let layout: Layout | null = null;
  let inInternetSection = true;
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.length === 0) return;
      if (line.startsWith('Active ') || line.startsWith('Registered ')) {
        inInternetSection = /^Active (Internet|Internet6) connections/.test(line);
        return;
      }
      if (!inInternetSection) return;
      // FreeBSD -L prints this title before its `Proto Listen Local Address` header.
      if (line.startsWith('Current listen queue sizes')) return;
      const header = HEADER.exec(line);
      if (header) {
        const stateMatch = /\((state)\)|\bTCP-State\b|\bState\b/.exec(line);
        const stateAt = stateMatch ? stateMatch.index : -1;
        const stateLength = stateMatch ? stateMatch[0].length : 0;
        const counters = (header[1] ?? '').split(/\s+/).filter(Boolean);
        layout = {
          counters,
          listenOnly: counters.length === 1 && counters[0] === 'Listen',
          hasState: stateAt >= 0,
          localStart: line.indexOf('Local Address'),
          foreignStart: line.indexOf('Foreign Address'),
          stateStart: stateAt,
          extras: stateAt >= 0 ? line.slice(stateAt + stateLength).trim().split(/\s+/).filter(Boolean) : [],
        };
        return;
      }
      const tokens = tokenize(line);
      // macOS -A lists icm4/icm6 and raw sockets in the same table (jc/osx-10.14.6/netstat-An.out).
      if (tokens.slice(0, 3).some((token) => OTHER_PROTO.test(token.text))) return;
      const protoIndex = tokens.findIndex((token, index) => index < 3 && PROTO.test(token.text));
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      if (protoIndex < 0) return reject('not a netstat connection row');
      const protoMatch = PROTO.exec(tokens[protoIndex]?.text ?? '');
      const counters = layout?.counters ?? ['Recv-Q', 'Send-Q'];
      const listenOnly = layout?.listenOnly ?? false;
      const localAt = protoIndex + 1 + counters.length;
      if (!protoMatch || tokens.length < localAt + (listenOnly ? 1 : 2)) return reject('too few columns');
      let recvQ: number | null = null;
      let sendQ: number | null = null;
      if (listenOnly) {
        if (!/^\d+\/\d+\/\d+$/.test(tokens[protoIndex + 1]?.text ?? '')) return reject('listen queue is not qlen/incqlen/maxqlen');
      } else {
        const values = counters.map((_, at) => toCount(tokens[protoIndex + 1 + at]?.text));
        if (values.some((value) => value === null)) return reject(`${counters.join('/')} are not numbers`);
        if (counters[0] === 'Recv-Q') {
          recvQ = values[0] ?? null;
          sendQ = values[1] ?? null;
        }
      }
      const localToken = tokens[localAt];
      const remoteToken = listenOnly ? undefined : tokens[localAt + 1];
      if (!localToken || (!listenOnly && !remoteToken)) return reject('too few columns');
      const local = parseEndpoint(localToken.text, 'dot');
      if (!local) return reject(`bad local address '${localToken.text}'`);
      const remote = remoteToken ? parseEndpoint(remoteToken.text, 'dot') : { address: '*', port: null, isIp: true, version: null };
      if (!remote) return reject(`bad foreign address '${remoteToken?.text ?? ''}'`);
      const protocol = protoMatch[1] as Protocol;
      // tcp46 is a dual-stack IPv6 socket.
      const ipVersion: IpVersion = protoMatch[2] === '6' || protoMatch[2] === '46' ? 6 : 4;
      const stateAt = localAt + (listenOnly ? 1 : 2);
      // -T and -x print no state column: nothing after the addresses is a state.
      const column: StateColumn | string = listenOnly
        ? { state: 'LISTEN', rawState: '', width: 0 }
        : layout && !layout.hasState
          ? NO_STATE_COLUMN
          : readStateColumn(tokens[stateAt]?.text, protocol);
      if (typeof column === 'string') return reject(column);
      const { state, rawState } = column;
      const index = stateAt + column.width;
      let pid: number | null = null;
      let program: string | null = null;
      if (layout && layout.extras.length > 0) {
        const rest = tokens.slice(index).map((token) => token.text);
        const processAt = layout.extras.indexOf('process:pid');
        const pidAt = layout.extras.indexOf('pid');
        if (processAt >= 0 && rest[processAt] !== undefined) {
          const match = /^(.*):(\d+)$/.exec(rest[processAt] ?? '');
          if (match) {
            program = match[1] ?? null;
            pid = Number(match[2]);
          }
        } else if (pidAt >= 0) {
          pid = toCount(rest[pidAt]);
        }
      }
      const truncated: NonNullable<Connection['truncated']> = [];
      const localWidth = layout && layout.foreignStart > layout.localStart ? layout.foreignStart - layout.localStart - 1 : Infinity;
      const remoteWidth = layout && layout.stateStart > layout.foreignStart ? layout.stateStart - layout.foreignStart - 1 : Infinity;
      if (isTruncated(localToken.text, local, localWidth)) truncated.push('localAddress');
      if (remoteToken && isTruncated(remoteToken.text, remote, remoteWidth)) truncated.push('remoteAddress');
      sink.connection(buildConnection({
        protocol, ipVersion, local, remote, state: state ?? 'UNKNOWN', rawState, recvQ, sendQ, pid, program, truncated,
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

function isTruncated(printed: string, endpoint: EndpointFields, columnWidth: number): boolean {
  // -A narrows the column: an endpoint that fills it exactly may have lost port digits.
  if (printed.length >= columnWidth && columnWidth < 22) return true;
  const hostLength = printed.lastIndexOf('.');
  return !endpoint.isIp && hostLength >= MACOS_HOST_WIDTH;
}

export const netstatBsd: CaptureFormat = {
  name: 'netstat-bsd',
  title: 'BSD and macOS netstat (-an, -Aa, -anv -p tcp)',
  commands: ['netstat -an', 'netstat -Aan', 'netstat -anv -p tcp', 'netstat -f inet -an'],
  sample: [
    'Active Internet connections (including servers)',
    'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)',
    'tcp4       0      0  203.0.113.10.80        198.51.100.7.51234     ESTABLISHED',
    'tcp46      0      0  *.80                   *.*                    LISTEN',
    'udp4       0      0  *.*                    *.*',
  ].join('\n'),
  detect: detectNetstatBsd,
  createParser: createNetstatBsdParser,
  timeLines: true,
};
