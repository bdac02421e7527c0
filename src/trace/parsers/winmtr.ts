// WinMTR "Copy Text to clipboard" export (Windows).
// Sample: '| 172.17.217.48                           -    0 |   22 |   22 |    7 |    9 |   20 |    9 |'
// Columns: Host - Loss% | Sent | Recv | Best | Avrg | Wrst | Last; hop numbers are the row order.
// 'No response from host' rows are silent hops. One probe per row: rttMs = Avrg, lossPct = %.
// WinMTR prints no target line; an answering last row is taken as the target.
import type { TraceHop, TracePath } from '../../model/trace.js';
import { canonicalIp, cleanHostName, diagnostic, makeProbe, type TraceParser } from './common.js';

const ROW = /^\|\s*(.+?)\s+-\s+(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$/;

export const winmtrParser: TraceParser = {
  name: 'winmtr',
  description: 'WinMTR text export',
  commands: ['WinMTR (Copy Text)'],
  sample: '|                                      WinMTR statistics                                   |\n|                       Host              -   %  | Sent | Recv | Best | Avrg | Wrst | Last |\n| 192.168.1.1                             -    0 |   22 |   22 |    0 |    0 |    3 |    1 |\n',
  detect(lines) {
    if (lines.some((line) => /WinMTR statistics/i.test(line))) return 0.99;
    return lines.some((line) => ROW.test(line)) ? 0.7 : 0;
  },
  parse(lines, context) {
    const hops: TraceHop[] = [];
    const diagnostics: ReturnType<typeof diagnostic>[] = [];
    let firstRow = 0;
    lines.forEach((line, index) => {
      const row = ROW.exec(line);
      if (!row) {
        if (line.trim().length > 0 && !/^[|_\s-]*$|WinMTR statistics|Host\s+-\s+%/.test(line)) diagnostics.push(diagnostic(context, index, line, 'not a WinMTR row'));
        return;
      }
      firstRow ||= index + 1;
      const host = (row[1] as string).trim();
      const lossPct = Number(row[2]);
      const received = Number(row[4]);
      const ip = canonicalIp(host);
      const ttl = hops.length + 1;
      if (/^No response from host$/i.test(host) || received === 0) hops.push({ ttl, probes: [makeProbe({ lossPct, sent: Number(row[3]) })] });
      else hops.push({ ttl, probes: [makeProbe({ ip, name: cleanHostName(host, ip), rttMs: Number(row[6]), rttBestMs: Number(row[5]), rttWorstMs: Number(row[7]), sent: Number(row[3]), lossPct })] });
    });
    if (hops.length === 0) return { paths: [], diagnostics };
    const lastProbe = hops[hops.length - 1]?.probes.find((probe) => probe.rttMs !== null && (probe.ip !== null || probe.name !== null));
    const path: TracePath = {
      target: lastProbe ? { ip: lastProbe.ip, name: lastProbe.name } : { ip: null, name: null },
      hops,
      reached: lastProbe !== undefined,
      format: 'winmtr',
      source: { file: context.file, line: firstRow },
    };
    return { paths: [path], diagnostics };
  },
};
