// Apache httpd `server-status?auto` (mod_status, machine-readable) and lighttpd's
// `server-status?auto`: one `Key: value` per line, the worker scoreboard last.
// Sample (netdata go.d's Apache 2.4 capture; httpd >= 2.4 starts with the bare server name):
//   127.0.0.1
//   ServerVersion: Apache/2.4.37 (Unix)
//   BusyWorkers: 1
//   IdleWorkers: 99
//   Scoreboard: ____W___......
// lighttpd prints BusyServers/IdleServers and its own letters (`khr___`).
// This page names no client, so it gives counts only: the scoreboard by worker state
// (CaptureInfo.workers), which the slow-requests indicator reads; no connections.
// Known gaps: a page without a Scoreboard line (ExtendedStatus Off on httpd < 2.4) gives nothing.
import { diagnosticFor, rowMatchRatio } from '../build-connection.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { countScoreboard, type StatusServer } from '../worker-scoreboard.js';

const KEY_VALUE = /^([A-Za-z][\w .()-]{0,60}):\s*(.*)$/;
/** Keys only a status page prints. */
const STATUS_KEYS = /^(Scoreboard|BusyWorkers|IdleWorkers|BusyServers|IdleServers|Total Accesses|ServerMPM|ServerUptimeSeconds|ReqPerSec):/m;

export function detectServerStatus(sample: string): number {
  if (!/^Scoreboard: /m.test(sample) || !STATUS_KEYS.test(sample.replace(/^Scoreboard:/m, ''))) return 0;
  const { ratio } = rowMatchRatio(sample, (line) => line.trim().length > 0, (line) => KEY_VALUE.test(line.trim()) || /^[\w.:-]+$/.test(line.trim()));
  return ratio;
}

export function createServerStatusParser(file: string, sink: ParseSink): LineParser {
  let server: StatusServer = 'apache';
  let seenScoreboard = false;
  return {
    line(text, lineNumber) {
      const line = text.trim();
      if (line.length === 0) return;
      const match = KEY_VALUE.exec(line);
      if (!match) {
        // httpd 2.4 opens with the server's name or address alone on the first line.
        if (lineNumber === 1 && /^[\w.:-]+$/.test(line)) return;
        sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a Key: value status line'));
        return;
      }
      const [, key = '', value = ''] = match;
      if (key === 'BusyServers' || key === 'IdleServers') server = 'lighttpd';
      if (key !== 'Scoreboard') return;
      const counts = countScoreboard(value.trim(), server);
      if (!counts || seenScoreboard) {
        sink.diagnostic(diagnosticFor(file, lineNumber, text, seenScoreboard ? 'a second Scoreboard line' : `scoreboard letter that ${server} does not print`));
        return;
      }
      seenScoreboard = true;
      sink.meta({ workers: counts });
    },
    end() {},
  };
}

export const serverStatus: CaptureFormat = {
  name: 'server-status',
  title: 'Apache / lighttpd server-status?auto (scoreboard: worker counts, no clients)',
  commands: ['curl -s http://localhost/server-status?auto', 'curl -s http://localhost/server-status?auto (lighttpd)'],
  sample: [
    'www.example.com',
    'ServerVersion: Apache/2.4.57 (Debian)',
    'ServerMPM: prefork',
    'BusyWorkers: 150',
    'IdleWorkers: 0',
    'Scoreboard: RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRWWWWWKKKKKKKKKKRRRRRRRRRR......',
  ].join('\n'),
  detect: detectServerStatus,
  createParser: createServerStatusParser,
};
