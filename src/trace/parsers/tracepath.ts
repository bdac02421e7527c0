// iputils `tracepath` / `tracepath6` (Linux), with or without -n.
// Sample: ' 2:  76-220-24-1.lightspeed.sntcca.sbcglobal.net          24.092ms ' and ' 3:  no reply'
// Reads: '1?: [LOCALHOST]  pmtu 1500' (skipped: not a probe), repeated TTLs (one line per probe),
// 'asymm  7', 'pmtu N', 'reached', newer 'name (ip)' responders, '     Resume: pmtu 1500 hops 11 back 11'.
// The target is the responder of the 'reached' line; without one, `reached` is false and the target unknown.
import type { TraceHop, TracePath } from '../../model/trace.js';
import { canonicalIp, cleanHostName, diagnostic, makeProbe, mergeHops, type TraceParser } from './common.js';

const LINE = /^\s*(\d{1,3})(\?)?:\s+(.*?)\s*$/;
const RESPONDER = /^(\S+)(?:\s+\(([^)\s]*)\))?\s+(\d+(?:\.\d+)?)ms\b(.*)$/;
const TRAILER = /^\s+(Resume|Too many hops|pmtu)\b/i;

export const tracepathParser: TraceParser = {
  name: 'tracepath',
  description: 'iputils tracepath / tracepath6',
  commands: ['tracepath', 'tracepath -n', 'tracepath6'],
  sample: ' 1?: [LOCALHOST]                                         pmtu 1500\n 1:  _gateway                                              0.874ms\n 2:  no reply\n     Too many hops: pmtu 1500\n',
  detect(lines) {
    const matches = lines.filter((line) => LINE.test(line) && /\[LOCALHOST\]|no reply|\d+\.\d+ms|pmtu/.test(line));
    return matches.length > 0 ? 0.9 : 0;
  },
  parse(lines, context) {
    const hops: TraceHop[] = [];
    const diagnostics: ReturnType<typeof diagnostic>[] = [];
    let target: TracePath['target'] = { ip: null, name: null };
    let reached = false;
    let firstLine = 0;
    lines.forEach((line, index) => {
      if (line.trim().length === 0 || TRAILER.test(line)) return;
      const match = LINE.exec(line);
      if (!match) {
        diagnostics.push(diagnostic(context, index, line, 'not a tracepath line'));
        return;
      }
      firstLine ||= index + 1;
      const ttl = Number(match[1]);
      const rest = match[3] as string;
      if (/^\[LOCALHOST\]/.test(rest)) return;
      if (ttl < 1) {
        diagnostics.push(diagnostic(context, index, line, `hop number ${ttl} out of range`));
        return;
      }
      if (/^no reply$/i.test(rest)) {
        hops.push({ ttl, probes: [makeProbe({})] });
        return;
      }
      const responder = RESPONDER.exec(rest);
      if (!responder) {
        diagnostics.push(diagnostic(context, index, line, 'unrecognised tracepath responder'));
        return;
      }
      const host = responder[1] as string;
      const ip = canonicalIp(responder[2]) ?? canonicalIp(host);
      const name = cleanHostName(host, ip);
      hops.push({ ttl, probes: [makeProbe({ ip, name, rttMs: Number(responder[3]) })] });
      if (/\breached\b/.test(responder[4] as string)) {
        reached = true;
        target = { ip, name };
      }
    });
    if (hops.length === 0) return { paths: [], diagnostics };
    return { paths: [{ target, hops: mergeHops(hops), reached, format: 'tracepath', source: { file: context.file, line: firstLine } }], diagnostics };
  },
};
