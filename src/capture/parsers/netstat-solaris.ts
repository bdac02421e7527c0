// Solaris / illumos `netstat -an` / `-n`: one block per protocol and family ("TCP: IPv4",
// "UDP: IPv6"), dashed underlines, dotted ports like BSD.
// Sample:
//   TCP: IPv4
//      Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State
//   -------------------- -------------------- ----- ------ ----- ------ -----------
//   203.0.113.10.80      198.51.100.7.51234   64240      0 128872      0 ESTABLISHED
// Known gaps: UDP rows without a remote address (`*.514  Idle`) get remote '*'; SCTP and UNIX
// blocks are skipped; Solaris `Idle`/`Bound`/`Unbound` become UNKNOWN (raw state kept).
import type { IpVersion, Protocol } from '../../model/connection.js';
import { buildConnection, diagnosticFor, parseEndpoint, toCount, tokenize, type EndpointFields } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { lookupState } from '../states.js';

const BLOCK = /^(TCP|UDP|SCTP): IPv(4|6)\s*$/;

export function detectNetstatSolaris(sample: string): number {
  const text = sample.replace(/\r/g, '');
  const blocks = (text.match(/^(TCP|UDP): IPv[46]\s*$/gm) ?? []).length;
  const dashes = /^-{10,} -{10,}/m.test(text);
  if (blocks === 0) return 0;
  return dashes ? 0.95 : 0.7;
}

export function createNetstatSolarisParser(file: string, sink: ParseSink): LineParser {
  let block: { protocol: Protocol | null; ipVersion: IpVersion; columns: string[] } | null = null;
  return {
    line(text, lineNumber) {
      const line = text.trimEnd();
      if (line.trim().length === 0) return;
      const blockMatch = BLOCK.exec(line);
      if (blockMatch) {
        block = { protocol: blockMatch[1] === 'SCTP' ? null : (blockMatch[1]?.toLowerCase() as Protocol), ipVersion: blockMatch[2] === '6' ? 6 : 4, columns: [] };
        return;
      }
      if (/^Active UNIX domain sockets/.test(line)) {
        block = null;
        return;
      }
      if (!block || block.protocol === null) return;
      if (/^\s*Local Address/.test(line)) {
        block.columns = line.trim().replace('Local Address', 'Local').replace('Remote Address', 'Remote').split(/\s+/);
        return;
      }
      if (/^[-\s]+$/.test(line)) return;
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      const tokens = tokenize(line).map((token) => token.text);
      const local = parseEndpoint(tokens[0] ?? '', 'dot');
      if (!local) return reject(`bad local address '${tokens[0] ?? ''}'`);
      let remote: EndpointFields | null = parseEndpoint(tokens[1] ?? '', 'dot');
      let values = tokens.slice(2);
      if (!remote && block.protocol === 'udp' && tokens.length === 2) {
        remote = { address: '*', port: null, isIp: true, version: null };
        values = tokens.slice(1);
      }
      if (!remote) return reject(`bad remote address '${tokens[1] ?? ''}'`);
      const columns = block.columns.slice(2);
      const column = (name: string) => {
        const at = columns.indexOf(name);
        return at >= 0 ? values[at] : undefined;
      };
      const rawState = column('State') ?? values[values.length - 1] ?? '';
      const state = lookupState(rawState);
      if (block.protocol === 'tcp' && state === null) return reject(`unknown state '${rawState}'`);
      sink.connection(buildConnection({
        protocol: block.protocol, ipVersion: block.ipVersion, local, remote,
        state: state ?? 'UNKNOWN', rawState,
        recvQ: toCount(column('Recv-Q')), sendQ: toCount(column('Send-Q')),
        file, line: lineNumber,
      }));
    },
    end() {},
  };
}

export const netstatSolaris: CaptureFormat = {
  name: 'netstat-solaris',
  title: 'Solaris / illumos netstat (-an, -n)',
  commands: ['netstat -an', 'netstat -n', 'netstat -an -f inet'],
  sample: [
    'TCP: IPv4',
    '   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State',
    '-------------------- -------------------- ----- ------ ----- ------ -----------',
    '203.0.113.10.80      198.51.100.7.51234   64240      0 128872      0 ESTABLISHED',
  ].join('\n'),
  detect: detectNetstatSolaris,
  createParser: createNetstatSolarisParser,
  timeLines: true,
};
