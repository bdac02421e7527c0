// Windows `netstat -an`, `-ano`, `-anob` (and `-b` with names), English and German headers.
// Sample:
//     Proto  Local Address          Foreign Address        State           PID
//     TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       988
//     [svchost.exe]
// With -b the owning executable comes on a `[name.exe]` line AFTER its connection (module DLL
// lines and service-name lines in between are ignored), so each row is held until the next one.
// Piped through PowerShell's `Select-String`, matching rows start with `> ` (the marker is dropped).
// Known gaps: without -n, names are kept as printed; `Can not obtain ownership information` leaves
// program null.
import type { Connection, Protocol } from '../../model/connection.js';
import { sanitizeText } from '../../net/sanitize.js';
import { buildConnection, diagnosticFor, parseEndpoint, rowMatchRatio, toCount, tokenize, versionFromAddresses } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { readStateColumn } from '../states.js';

const ROW = /^>?\s+(TCP|UDP)\s+\S+:\S+\s+\S+:\S+/;
const HEADER = /^\s*(Proto|Protokoll)\s+(Local Address|Lokale Adresse)/;

export function detectNetstatWindows(sample: string): number {
  const { ratio, rows } = rowMatchRatio(sample, (line) => /^>?\s+(TCP|UDP)\s/.test(line), (line) => ROW.test(line));
  const header = HEADER.test(sample.split('\n').find((line) => HEADER.test(line)) ?? '');
  const title = /^\s*(Active Connections|Aktive Verbindungen)\s*$/m.test(sample.replace(/\r/g, ''));
  if (rows === 0) return header && title ? 0.6 : 0;
  return Math.max(header ? 0.6 : 0, Math.min(1, ratio * 0.8 + (header ? 0.1 : 0) + (title ? 0.1 : 0)));
}

export function createNetstatWindowsParser(file: string, sink: ParseSink): LineParser {
  let pending: Connection | null = null;
  const flush = () => {
    if (pending) sink.connection(pending);
    pending = null;
  };
  return {
    line(text, lineNumber) {
      // `netstat -anbo | Select-String -Pattern ...` marks each matching line with `>`.
      const line = (text.startsWith('>') ? ' ' + text.slice(1) : text).trimEnd();
      const trimmed = line.trim();
      if (trimmed.length === 0) return;
      if (/^(Active Connections|Aktive Verbindungen)$/.test(trimmed) || HEADER.test(line)) return;
      const exe = /^\[(.+)\]$/.exec(trimmed);
      if (exe) {
        if (pending) pending.program = sanitizeText(exe[1] ?? '');
        return;
      }
      const tokens = tokenize(line);
      const proto = tokens[0]?.text ?? '';
      if (proto !== 'TCP' && proto !== 'UDP') {
        // -b prints module paths, service names and "Can not obtain ownership information" under a row.
        if (pending || /ownership|Besitzer/i.test(trimmed)) return;
        sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a netstat connection row'));
        return;
      }
      flush();
      const reject = (reason: string) => sink.diagnostic(diagnosticFor(file, lineNumber, text, reason));
      const localText = tokens[1]?.text ?? '';
      const remoteText = tokens[2]?.text ?? '';
      const local = parseEndpoint(localText, 'colon');
      if (!local) return reject(`bad local address '${localText}'`);
      const remote = parseEndpoint(remoteText, 'colon');
      if (!remote) return reject(`bad foreign address '${remoteText}'`);
      const protocol: Protocol = proto === 'TCP' ? 'tcp' : 'udp';
      // A TCP row may end at the addresses, or give its PID where the state would be.
      const column = readStateColumn(tokens[3]?.text, protocol, (text) => text === undefined || /^\d+$/.test(text));
      if (typeof column === 'string') return reject(column);
      const { state, rawState } = column;
      const pidText = tokens[3 + column.width]?.text;
      pending = buildConnection({
        protocol,
        ipVersion: versionFromAddresses(local, remote, localText),
        local, remote, state: state ?? 'UNKNOWN', rawState,
        pid: toCount(pidText),
        file, line: lineNumber,
      });
    },
    end() {
      flush();
    },
  };
}

export const netstatWindows: CaptureFormat = {
  name: 'netstat-windows',
  title: 'Windows netstat (-an, -ano, -anob)',
  commands: ['netstat -an', 'netstat -ano', 'netstat -anob'],
  sample: [
    '',
    'Active Connections',
    '',
    '  Proto  Local Address          Foreign Address        State           PID',
    '  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING       4',
    '  TCP    203.0.113.10:80        198.51.100.7:51234     ESTABLISHED     4',
    '  UDP    [::]:500               *:*                                    696',
    '  [lsass.exe]',
  ].join('\r\n'),
  detect: detectNetstatWindows,
  createParser: createNetstatWindowsParser,
  timeLines: true,
};
