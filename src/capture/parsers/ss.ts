// iproute2 `ss`: -tan, -tanp, -tuna, -a, -e, -H (no header), with or without the Netid column,
// `users:(("httpd",pid=812,fd=4))`, `[::ffff:1.2.3.4]:80`, `127.0.0.53%lo:domain`, `*:*`.
// Sample:
//   Netid State  Recv-Q Send-Q Local Address:Port   Peer Address:Port Process
//   tcp   ESTAB  0      0      203.0.113.10:80      198.51.100.7:51234 users:(("httpd",pid=813,fd=9))
// Known gaps: a row with no State at all (very old iproute2, `tcp  0  128  *:25  *:*
// users:(("sendmail",3965,4))` in inspec/ss-tulpen) is reported, not read: without the state it
// cannot be told from a net-tools netstat row. Without a Netid column (`ss -tan`, `ss -uan`) the protocol is inferred: UNCONN rows
// are udp, the rest tcp. Non-inet netids (u_str, nl, p_raw, raw, sctp, mptcp...) are skipped.
import type { Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, toCount, tokenize, versionFromAddresses } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { SS_STATE_WORDS, lookupState } from '../states.js';

const INET_NETIDS = new Set(['tcp', 'udp']);
const OTHER_NETIDS = /^(u_str|u_dgr|u_seq|nl|p_raw|p_dgr|raw|sctp|mptcp|v_str|v_dgr|tipc|xdp|icmp6?|unknown|u_ugr)$/;
const SS_STATES = new RegExp(`^(${SS_STATE_WORDS.join('|')})$`);
// `pid=` is missing in old iproute2 (`users:(("sendmail",3965,4))`, inspec/ss-tulpen).
const USERS = /users:\(\("((?:[^"\\]|\\.)*)",(?:pid=)?(\d+)/;

export function detectSs(sample: string): number {
  const header = /^(Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local Address:Port\s+Peer Address:Port/m.test(sample);
  const { ratio, rows } = rowMatchRatio(
    sample,
    (line) => /^\S+\s+\S+\s+\d+\s+\d+\s/.test(line) || /^[A-Z-]+\s+\d+\s+\d+\s/.test(line),
    (line) => /^((tcp|udp|\S+)\s+)?(ESTAB|LISTEN|UNCONN|SYN-SENT|SYN-RECV|FIN-WAIT-[12]|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING|UNKNOWN)\s+\d+\s+\d+\s/.test(line),
  );
  if (rows === 0) return header ? 0.6 : 0;
  return Math.max(header ? 0.6 : 0, Math.min(1, ratio * 0.85 + (header ? 0.15 : 0)));
}

export function createSsParser(file: string, sink: ParseSink): LineParser {
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.length === 0) return;
      if (/^(Netid\s+)?State\s+Recv-Q/.test(line)) return;
      const tokens = tokenize(line);
      const first = tokens[0]?.text ?? '';
      let netid: string | null = null;
      let index = 0;
      if (!SS_STATES.test(first)) {
        netid = first;
        index = 1;
      }
      if (netid !== null && OTHER_NETIDS.test(netid)) return;
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      if (netid !== null && !INET_NETIDS.has(netid)) return reject(`not an ss socket row (netid '${netid}')`);
      const stateText = tokens[index]?.text ?? '';
      const state = lookupState(stateText);
      if (!SS_STATES.test(stateText)) return reject(`unknown state '${stateText}'`);
      const recvQ = toCount(tokens[index + 1]?.text);
      const sendQ = toCount(tokens[index + 2]?.text);
      if (recvQ === null || sendQ === null) return reject('Recv-Q/Send-Q are not numbers');
      const localText = tokens[index + 3]?.text ?? '';
      const remoteText = tokens[index + 4]?.text ?? '';
      const local = parseEndpoint(localText, 'colon');
      if (!local) return reject(`bad local address '${localText}'`);
      const remote = parseEndpoint(remoteText, 'colon');
      if (!remote) return reject(`bad peer address '${remoteText}'`);
      const protocol: Protocol = netid === 'udp' || (netid === null && stateText === 'UNCONN') ? 'udp' : 'tcp';
      const restToken = tokens[index + 5];
      const users = restToken ? USERS.exec(line.slice(restToken.start)) : null;
      sink.connection(buildConnection({
        protocol,
        ipVersion: versionFromAddresses(local, remote, localText),
        local, remote,
        state: state ?? 'UNKNOWN', rawState: stateText, recvQ, sendQ,
        pid: users ? Number(users[2]) : null,
        program: users ? (users[1] ?? '').replace(/\\(.)/g, '$1') : null,
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

export const ss: CaptureFormat = {
  name: 'ss',
  title: 'iproute2 ss (-tan, -tanp, -tuna, -a, -e, -H)',
  commands: ['ss -tan', 'ss -tanp', 'ss -tuna', 'ss -a', 'ss -tanepH'],
  sample: [
    'Netid State  Recv-Q Send-Q Local Address:Port   Peer Address:Port Process',
    'tcp   LISTEN 0      511    0.0.0.0:80           0.0.0.0:*         users:(("httpd",pid=812,fd=4))',
    'tcp   ESTAB  0      0      203.0.113.10:80      198.51.100.7:51234 users:(("httpd",pid=813,fd=9))',
  ].join('\n'),
  detect: detectSs,
  createParser: createSsParser,
  timeLines: true,
};
