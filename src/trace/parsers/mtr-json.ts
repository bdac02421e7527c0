// `mtr --json` (0.92 .. 0.95) and the flat mtr-like JSON some other tools write.
// mtr 0.92/0.93: {"report":{"mtr":{"dst":"8.8.8.8","tests":"5"},"hubs":[{"count":"1","host":"192.168.1.254","Loss%":0.00,"Avg":5.48}]}}
//   with `count`/`tests` as strings (rich-traceroute mtr_json_1); later versions write numbers; `-z` adds "ASN":"AS15169".
// Flat layout (rich-traceroute mtr_json_3): {"dst":"8.8.8.8","hops":[{"hop":1,"ipaddr":"...","host":"unresolved","asn":"AS???","losspercent":0,"avg":0.5}]}
// One probe per hub: rttMs = Avg, lossPct = Loss%.
import type { TraceHop, TracePath } from '../../model/trace.js';
import { canonicalIp, cleanHostName, destinationAnswered, diagnostic, makeProbe, mergeHops, parseAsnToken, type TraceParser } from './common.js';

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

/** mtr 0.92/0.93 write some numbers as strings. */
function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

interface HubStats {
  lossPct: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  sent: number | null;
}

function hopFrom(ttl: number | null, host: string | null, ipText: string | null, asnText: string | null, stats: HubStats): TraceHop | null {
  const { lossPct, avgMs } = stats;
  if (ttl === null || !Number.isInteger(ttl) || ttl < 1 || ttl > 255) return null;
  const ip = canonicalIp(ipText) ?? canonicalIp(host);
  // '???' is mtr's silent hop; 'unresolved' is the flat layout's missing PTR (mtr_json_3).
  const name = host === 'unresolved' ? null : cleanHostName(host, ip);
  if (ip === null && name === null) return { ttl, probes: [makeProbe({ lossPct: lossPct ?? 100, sent: stats.sent })] };
  const silent = lossPct !== null && lossPct >= 100;
  return { ttl, probes: [makeProbe({ ip, name, rttMs: silent ? null : avgMs, rttBestMs: stats.bestMs, rttWorstMs: stats.worstMs, sent: stats.sent, asn: asnText ? parseAsnToken(asnText) : null, lossPct })] };
}

export const mtrJsonParser: TraceParser = {
  name: 'mtr-json',
  description: 'mtr --json (string or number counts) and flat mtr-like JSON',
  commands: ['mtr --json', 'mtr -j'],
  sample: '{"report":{"mtr":{"src":"localhost","dst":"8.8.8.8","tests":"1"},"hubs":[{"count":"1","host":"192.168.1.254","Loss%":0.00,"Snt":1,"Last":4.09,"Avg":4.09,"Best":4.09,"Wrst":4.09,"StDev":0}]}}\n',
  detect(lines) {
    const first = lines.find((line) => line.trim().length > 0)?.trim() ?? '';
    if (!first.startsWith('{')) return 0;
    const head = lines.slice(0, 40).join('\n');
    return /"hubs"|"hops"|"report"/.test(head) ? 0.99 : 0.3;
  },
  parse(lines, context) {
    const text = lines.join('\n');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      return { paths: [], diagnostics: [diagnostic(context, 0, lines[0] ?? '', `invalid JSON: ${(error as Error).message}`)] };
    }
    const root = asRecord(document);
    const report = asRecord(root?.report);
    const hops: TraceHop[] = [];
    const diagnostics: ReturnType<typeof diagnostic>[] = [];
    let dst: string | null = null;
    if (report) {
      dst = asString(asRecord(report.mtr)?.dst);
      const hubs = Array.isArray(report.hubs) ? report.hubs : [];
      hubs.forEach((hubValue, index) => {
        const hub = asRecord(hubValue);
        const hop = hub ? hopFrom(asNumber(hub.count), asString(hub.host), null, asString(hub.ASN), { lossPct: asNumber(hub['Loss%']), avgMs: asNumber(hub.Avg), bestMs: asNumber(hub.Best), worstMs: asNumber(hub.Wrst), sent: asNumber(hub.Snt) }) : null;
        if (hop) hops.push(hop);
        else diagnostics.push(diagnostic(context, 0, JSON.stringify(hubValue) ?? '', `report.hubs[${index}] has no usable count/host`));
      });
    } else if (root && Array.isArray(root.hops)) {
      dst = asString(root.dst);
      root.hops.forEach((hopValue, index) => {
        const entry = asRecord(hopValue);
        const hop = entry ? hopFrom(asNumber(entry.hop), asString(entry.host), asString(entry.ipaddr), asString(entry.asn), { lossPct: asNumber(entry.losspercent), avgMs: asNumber(entry.avg), bestMs: asNumber(entry.best), worstMs: asNumber(entry.worst), sent: asNumber(entry.sent) }) : null;
        if (hop) hops.push(hop);
        else diagnostics.push(diagnostic(context, 0, JSON.stringify(hopValue) ?? '', `hops[${index}] has no usable hop number`));
      });
    } else {
      return { paths: [], diagnostics: [diagnostic(context, 0, lines[0] ?? '', 'JSON is neither mtr --json (report.hubs) nor a flat {hops: [...]} layout')] };
    }
    const merged = mergeHops(hops);
    const targetIp = canonicalIp(dst);
    const path: TracePath = {
      target: { ip: targetIp, name: targetIp === null && dst ? cleanHostName(dst, null) : null },
      hops: merged,
      reached: destinationAnswered(targetIp, merged),
      format: 'mtr-json',
      source: { file: context.file, line: 1 },
    };
    return { paths: [path], diagnostics };
  },
};
