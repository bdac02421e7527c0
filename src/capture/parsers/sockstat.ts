// FreeBSD `sockstat` (also -4, -6, -c, -l, -q, -s, -w; NetBSD's sockstat has the same columns).
// Sample:
//   USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS
//   root     sshd       668   4  tcp6   *:22                  *:*
//   ?        ?          ?     ?  udp6   *:2049                *:*
// PROTO is tcp4/tcp6/tcp46/udp4/udp6/udp46 (sctp too); endpoints `127.0.0.1:25`, `*:22`, `*:*`,
// IPv6 `::1:25` or `[::1]:25` (split at the last ':'), NetBSD's dotted `10.0.0.1.22`. A `?` row is
// a socket no process owns (kernel NFS): no user, command or PID.
// Known gaps: without -s there is no TCP state (rows are UNKNOWN); with -s the CONN STATE column
// gives it. UNIX-domain rows (stream/dgram/seqpac) are no connections and are passed over, as are
// the indented extra-address lines of multihomed SCTP sockets.
import type { IpVersion, Protocol } from '../../model/connection.js';
import { endpointStyleOf } from '../../net/endpoint.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, tokenize } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState } from '../states.js';

const HEADER = /^USER\s+COMMAND\s+PID\s+FD\s+PROTO\s+LOCAL ADDRESS\s+FOREIGN ADDRESS/;
const INET_PROTO = /^(tcp|udp|sctp|udplite)(4|6|46)?$/;
const UNIX_PROTO = /^(stream|dgram|seqpac|seqpack)$/;
const ROW = /^\S+\s+\S.*?\s+(?:\d+|\?)\s+(?:\d+|\?)\s+(?:tcp|udp|sctp|udplite)(?:4|6|46)?\s+\S+\s+\S+/;

export function detectSockstat(sample: string): number {
  const header = /^USER\s+COMMAND\s+PID\s+FD\s+PROTO\s+LOCAL ADDRESS\s+FOREIGN ADDRESS/m.test(sample);
  const { ratio, rows } = rowMatchRatio(sample, (line) => /\s(tcp|udp|sctp)(4|6|46)?\s/.test(line) && !/^(tcp|udp)/.test(line), (line) => ROW.test(line));
  if (header) return 0.95;
  return rows === 0 ? 0 : ratio * 0.8;
}

export function createSockstatParser(file: string, sink: ParseSink): LineParser {
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.trim().length === 0 || HEADER.test(line)) return;
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      const tokens = tokenize(line);
      // Multihomed SCTP sockets list their further addresses alone on indented lines.
      if (/^\s/.test(line) && tokens.length <= 2) return;
      const protoIndex = tokens.findIndex((token, index) => index >= 3 && (INET_PROTO.test(token.text) || UNIX_PROTO.test(token.text)));
      if (protoIndex < 0) return reject('not a sockstat row');
      const protoText = tokens[protoIndex]!.text;
      if (UNIX_PROTO.test(protoText)) return;
      const protoMatch = INET_PROTO.exec(protoText)!;
      if (protoMatch[1] !== 'tcp' && protoMatch[1] !== 'udp') return;
      const localToken = tokens[protoIndex + 1];
      const remoteToken = tokens[protoIndex + 2];
      if (!localToken || !remoteToken) return reject('too few columns');
      const pidText = tokens[protoIndex - 2]!.text;
      const fdText = tokens[protoIndex - 1]!.text;
      if (!/^(\d+|\?)$/.test(pidText)) return reject(`bad PID '${pidText}'`);
      const local = parseEndpoint(localToken.text, endpointStyleOf(localToken.text));
      if (!local) return reject(`bad local address '${localToken.text}'`);
      const remote = parseEndpoint(remoteToken.text, endpointStyleOf(remoteToken.text));
      if (!remote) return reject(`bad foreign address '${remoteToken.text}'`);
      const user = tokens[0]!.text;
      // COMMAND may hold spaces: everything between USER and PID.
      const command = line.slice(tokens[1]!.start, tokens[protoIndex - 2]!.start).trim();
      let rawState = '';
      for (const token of tokens.slice(protoIndex + 3)) {
        if (lookupState(token.text) !== null) rawState = token.text;
      }
      const protocol = protoMatch[1] as Protocol;
      const family = protoMatch[2];
      const ipVersion: IpVersion = family === '6' || family === '46' ? 6 : family === '4' ? 4 : (local.version ?? remote.version ?? 4);
      const unknown = (value: string) => (value === '?' ? null : value);
      sink.connection(buildConnection({
        protocol, ipVersion, local, remote,
        state: rawState === '' ? 'UNKNOWN' : lookupState(rawState) ?? 'UNKNOWN', rawState,
        pid: pidText === '?' ? null : Number(pidText),
        program: unknown(command), user: unknown(user), fd: unknown(fdText),
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

export const sockstat: CaptureFormat = {
  name: 'sockstat',
  title: 'FreeBSD sockstat (-4, -6, -c, -l, -s)',
  commands: ['sockstat', 'sockstat -4', 'sockstat -6', 'sockstat -c', 'sockstat -l', 'sockstat -46s'],
  sample: [
    'USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS',
    'www      httpd      813   12 tcp4   203.0.113.10:80       198.51.100.7:51234',
    'root     httpd      812   4  tcp46  *:80                  *:*',
    '?        ?          ?     ?  udp6   *:2049                *:*',
  ].join('\n'),
  detect: detectSockstat,
  createParser: createSockstatParser,
  timeLines: true,
};
