// Windows `tracert` in any language (recognised by the shape of hop lines, not by English text).
// Sample: '  3     6 ms     2 ms     3 ms  122-56-168-186.n4l.sparkdigital.co.nz [122.56.168.186]'
// Reads: `<1 ms` (recorded as 0 ms, as tracert cannot say more), `*` mixed with times, names with
// `[ip]` or a bare address, 'Request timed out.' / 'Délai d'attente de la demande dépassé.',
// whitespace collapsed by copy-paste (rich-traceroute win_tracert_1), command echo lines.
// '  2  198.51.100.1  reports: Destination host unreachable.' keeps the reporting host with '!H'
// ('!N' for net unreachable, '!X' otherwise) and no RTT.
import type { TraceHop, TracePath } from '../../model/trace.js';
import { canonicalIp, cleanHostName, destinationAnswered, diagnostic, makeProbe, mergeHops, type TraceParser } from './common.js';

const RTT = String.raw`(?:<?\d+\s*ms|\*)`;
const HOP_LINE = new RegExp(String.raw`^\s*(\d{1,3})\s+(${RTT}(?:\s+${RTT})*)\s*(.*)$`);
const RTT_TOKEN = /<?\d+\s*ms|\*/g;
// 'Tracing route to one.one.one.one [1.1.1.1]' / 'Détermination de l’itinéraire vers lacuna.com [68.178.254.85]'
const NAMED_TARGET = /\s(\S+)\s+\[([0-9A-Fa-f.:]+(?:%\w+)?)\]/;
const HOST_WITH_IP = /^(\S+)\s+\[([^\]]+)\]$/;
const REPORTS = /^\s*(\d{1,3})\s+(\S+)\s+reports:\s*(.*)$/i;

export const tracertParser: TraceParser = {
  name: 'tracert',
  description: 'Windows tracert (any language; Windows-1252 files are decoded by the reader)',
  commands: ['tracert', 'tracert -d'],
  sample: 'Tracing route to one.one.one.one [1.1.1.1]\nover a maximum of 30 hops:\n\n  1     *        1 ms     1 ms  192.168.1.1\n  2    17 ms    17 ms    17 ms  one.one.one.one [1.1.1.1]\n\nTrace complete.\n',
  detect(lines) {
    // An RTT right after the hop number is tracert's shape; '* * *' alone is every tool's.
    if (!lines.some((line) => /^\s*\d{1,3}\s+(?:\*\s+)*<?\d+\s*ms\s/.test(line))) return 0;
    return lines.some((line) => /tracert|Tracing route to/i.test(line)) ? 0.95 : 0.8;
  },
  parse(lines, context) {
    const problems: ReturnType<typeof diagnostic>[] = [];
    let target: TracePath['target'] = { ip: null, name: null };
    let headerLine = 0;
    const hops: TraceHop[] = [];
    lines.forEach((line, index) => {
      if (line.trim().length === 0) return;
      const match = HOP_LINE.exec(line);
      const reports = match ? null : REPORTS.exec(line);
      const reporter = reports ? canonicalIp(reports[2]) : null;
      if (reports && reporter) {
        const reason = (reports[3] as string).toLowerCase();
        const annotation = /host/.test(reason) ? '!H' : /net/.test(reason) ? '!N' : '!X';
        hops.push({ ttl: Number(reports[1]), probes: [makeProbe({ ip: reporter, annotation })] });
        return;
      }
      if (!match) {
        if (hops.length === 0 && target.ip === null) {
          const named = NAMED_TARGET.exec(` ${line}`);
          if (named) {
            target = { ip: canonicalIp(named[2]), name: cleanHostName(named[1], canonicalIp(named[2])) };
            headerLine = index + 1;
            return;
          }
          // 'Tracing route to 22.110.0.1 over a maximum of 30 hops' (win_tracert_2): a bare address.
          const bare = line.split(/\s+/).map((token) => canonicalIp(token.replace(/[[\]:]+$/, ''))).find((ip) => ip !== null);
          if (bare) {
            target = { ip: bare, name: null };
            headerLine = index + 1;
            return;
          }
        }
        // Banner and trailer lines ('over a maximum of 30 hops:', 'Trace complete.', 'Itinéraire déterminé.')
        // carry no evidence; only lines that look like broken hop lines are reported.
        if (/^\s*\d+\s/.test(line)) problems.push(diagnostic(context, index, line, 'unrecognised tracert hop line'));
        return;
      }
      const ttl = Number(match[1]);
      const rtts = (match[2] as string).match(RTT_TOKEN) ?? [];
      const rest = (match[3] as string).trim();
      const withIp = HOST_WITH_IP.exec(rest);
      const ip = withIp ? canonicalIp(withIp[2]) : canonicalIp(rest);
      const name = withIp ? cleanHostName(withIp[1], ip) : null;
      if (ttl < 1 || ttl > 255) {
        problems.push(diagnostic(context, index, line, `hop number ${ttl} out of range`));
        return;
      }
      const probes = rtts.map((rtt) => {
        if (rtt === '*' || ip === null) return makeProbe({});
        return makeProbe({ ip, name, rttMs: rtt.startsWith('<') ? 0 : Number.parseInt(rtt, 10) });
      });
      hops.push({ ttl, probes });
    });
    const merged = mergeHops(hops);
    const paths: TracePath[] = merged.length > 0 || target.ip !== null
      ? [{ target, hops: merged, reached: destinationAnswered(target.ip, merged), format: 'tracert', source: { file: context.file, line: headerLine || 1 } }]
      : [];
    return { paths, diagnostics: problems };
  },
};
