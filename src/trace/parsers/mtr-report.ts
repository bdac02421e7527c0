// mtr text: `mtr --report`, `--report-wide`, `-z` (AS column), Junos `mtr` and copies of the curses screen.
// Sample: '  1.|-- 192.168.1.254              0.0%     2    3.8   6.4   3.8   9.1   3.7'
// Junos prints no '|--' (rich-traceroute junos_1) and '???' rows with '100.0' and no '%';
// screen copies start with 'My traceroute [v0.93]' and may end with '(waiting for reply)'.
// One probe per responder: rttMs = Avg, lossPct = Loss%. mtr prints no target line; it stops
// at the destination, so an answering last hop is taken as the target.
// Extra responders of a hop come on indented lines under its row, as addresses or (without -n)
// names alone. Known gaps: those extra responders keep no statistics.
import type { TraceHop, TracePath } from '../../model/trace.js';
import { canonicalIp, cleanHostName, diagnostic, makeProbe, mergeHops, parseAsnToken, type TraceParser } from './common.js';

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const ROW = new RegExp(String.raw`^\s*(\d{1,3})\.(?:\|--|\s)\s*(?:(AS\S+)\s+)?(\S+)(?:\s+\(([^)\s]*)\))?\s+${NUMBER}%?\s+(\d+)\s+${NUMBER}\s+${NUMBER}\s+${NUMBER}\s+${NUMBER}(?:\s|$)`);
const WAITING = /^\s*(\d{1,3})\.(?:\|--|\s)\s*(?:AS\S+\s+)?\(waiting for reply\)\s*$/;
const EXTRA_RESPONDER = /^\s+[|`\s-]*?(?:`\|--|\|--)?\s*(\S+)(?:\s+\(([^)\s]*)\))?\s*$/;
const HEADER = /\bLoss%\s+Snt\b/;
// A DNS name with a letter in it (an IP-only line is handled as an address).
const HOST_NAME = /^(?=[^\s]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$/;

export const mtrReportParser: TraceParser = {
  name: 'mtr-report',
  description: 'mtr --report / --report-wide / -z, Junos mtr, copies of the mtr screen',
  commands: ['mtr --report', 'mtr --report-wide', 'mtr -rwz', 'mtr (screen copy)', 'mtr (Junos)'],
  sample: 'Start: 2021-02-07T13:51:06+0100\nHOST: localhost                   Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.1.254              0.0%     2    3.8   6.4   3.8   9.1   3.7\n  2.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n',
  detect(lines) {
    if (lines.some((line) => HEADER.test(line))) return 0.95;
    return lines.some((line) => ROW.test(line)) ? 0.6 : 0;
  },
  parse(lines, context) {
    const hops: TraceHop[] = [];
    const diagnostics: ReturnType<typeof diagnostic>[] = [];
    let firstRow = 0;
    lines.forEach((line, index) => {
      if (line.trim().length === 0) return;
      const row = ROW.exec(line);
      if (row) {
        firstRow ||= index + 1;
        const ttl = Number(row[1]);
        const host = row[3] as string;
        const ip = canonicalIp(row[4]) ?? canonicalIp(host);
        const lossPct = Number(row[5]);
        const silent = host === '???' || (ip === null && lossPct >= 100);
        hops.push({
          ttl,
          probes: [silent
            ? makeProbe({ lossPct, sent: Number(row[6]) })
            : makeProbe({ ip, name: cleanHostName(host, ip), rttMs: lossPct >= 100 ? null : Number(row[8]), rttBestMs: Number(row[9]), rttWorstMs: Number(row[10]), sent: Number(row[6]), asn: row[2] ? parseAsnToken(row[2]) : null, lossPct })],
        });
        return;
      }
      const waiting = WAITING.exec(line);
      if (waiting) {
        hops.push({ ttl: Number(waiting[1]), probes: [makeProbe({})] });
        return;
      }
      const extra = hops.length > 0 ? EXTRA_RESPONDER.exec(line) : null;
      const lastHop = hops[hops.length - 1];
      if (extra && lastHop && (canonicalIp(extra[2]) ?? canonicalIp(extra[1]))) {
        const ip = canonicalIp(extra[2]) ?? canonicalIp(extra[1]);
        lastHop.probes.push(makeProbe({ ip, name: cleanHostName(extra[1], ip) }));
        return;
      }
      // Without -n the screen lists further responders by name alone (`    ae-5.r01.example.net`).
      if (extra && lastHop && extra[2] === undefined && HOST_NAME.test(extra[1] as string)) {
        lastHop.probes.push(makeProbe({ ip: null, name: cleanHostName(extra[1], null) }));
        return;
      }
      // Banner lines come before the first row: 'Start: ...', 'HOST: ...', 'My traceroute [v0.93]', 'Keys: ...'.
      if (firstRow === 0) return;
      diagnostics.push(diagnostic(context, index, line, 'not an mtr row'));
    });
    const merged = mergeHops(hops);
    if (merged.length === 0) return { paths: [], diagnostics };
    const lastProbe = merged[merged.length - 1]?.probes.find((probe) => probe.ip !== null && probe.rttMs !== null);
    const path: TracePath = {
      target: lastProbe ? { ip: lastProbe.ip, name: lastProbe.name } : { ip: null, name: null },
      hops: merged,
      reached: lastProbe !== undefined,
      format: 'mtr-report',
      source: { file: context.file, line: firstRow },
    };
    return { paths: [path], diagnostics };
  },
};
