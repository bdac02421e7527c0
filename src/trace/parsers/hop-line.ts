// The responder grammar shared by traceroute-style outputs (Linux, BSD/macOS, IOS-XR):
//   " 5  185.235.236.4 (185.235.236.4)  1.620 ms  1.228 ms 185.235.236.8 (185.235.236.8)  1.606 ms"
//   " 1  [AS198949] dsldevice (192.168.1.254)  6.070 ms"        (macOS -a: AS tag before the host)
//   " 1  131.240.100.12 (131.240.100.12) [AS1739]  0.676 ms !P"  (Linux -A: AS tag after the host)
//   " 1 192.168.0.1  9.87ms"                                      (no space before the unit)
//   " 5  1.2.1.2 125 msec  *"                                     (IOS-XR)
import type { TraceHop, TracePath, TraceProbe } from '../../model/trace.js';
import { canonicalIp, cleanHostName, destinationAnswered, diagnostic, mergeHops, parseAsnToken, type TraceParseContext, type TraceParseResult } from './common.js';

interface Responder {
  ip: string | null;
  name: string | null;
  asn: number | null;
  answered: boolean;
  /** cleanHostName(name, ip), computed at the first RTT (the address may follow the name). */
  cleanName?: string | null;
}

const RTT_WITH_UNIT = /^<?(\d+(?:\.\d+)?)(ms|msec)$/;
const RTT_NUMBER = /^<?(\d+(?:\.\d+)?)$/;
const UNIT = /^(ms|msec)$/;
const ASN_TAG = /^\[(?:AS[\d/]+|\*|AS\?+)\]$/i;

/** Probes of one hop line's responder part (everything after the TTL). null when a token makes no sense. */
export function parseResponders(text: string): TraceProbe[] | null {
  // '8  * *^C' (rich-traceroute linux_2): an interrupted trace.
  let cleaned = text.includes('^C') ? text.replace(/\^C/g, ' ') : text;
  if (cleaned.includes('[')) cleaned = cleaned.replace(/\[AS (\d+)\]/gi, '[AS$1]').replace(/\[MPLS:[^\]]*\]/gi, ' ');
  const tokens = cleaned.trim().split(/\s+/);
  const probes: TraceProbe[] = [];
  let responder: Responder | null = null;
  let pendingAsn: number | null | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (token.length === 0) continue;
    const next = tokens[index + 1];
    if (token === '*') {
      probes.push({ ip: null, name: null, rttMs: null, annotation: null, asn: null });
      continue;
    }
    if (ASN_TAG.test(token)) {
      const asn = parseAsnToken(token.split('/')[0]?.replace(/\]$/, '') ?? '');
      if (responder && !responder.answered) responder.asn = asn;
      else pendingAsn = asn;
      continue;
    }
    if (token.startsWith('!')) {
      const last = probes[probes.length - 1];
      if (!last || last.rttMs === null) return null;
      last.annotation = token;
      continue;
    }
    const glued = RTT_WITH_UNIT.exec(token);
    const bare = glued ? null : RTT_NUMBER.exec(token);
    if (glued || (bare && next !== undefined && UNIT.test(next))) {
      if (!responder) return null;
      const rttMs = Number((glued ?? bare)?.[1]);
      if (bare) index++;
      responder.answered = true;
      if (responder.cleanName === undefined) responder.cleanName = cleanHostName(responder.name, responder.ip);
      probes.push({ ip: responder.ip, name: responder.cleanName, rttMs, annotation: null, asn: responder.asn });
      continue;
    }
    // Linux `traceroute -e` prints ICMP extensions after the address: '<MPLS:L=24005,E=0,S=1,T=1>'.
    if (UNIT.test(token) || (token.startsWith('<') && token.endsWith('>') && token.length > 2)) continue;
    const parenthesised = /^\((.*)\)$/.exec(token);
    if (parenthesised) {
      if (!responder) return null;
      // 'Internal (Internal)' (jc generic/traceroute5): a name where the address should be.
      responder.ip = canonicalIp(parenthesised[1]);
      continue;
    }
    const ip = canonicalIp(token);
    responder = { ip, name: ip ? null : token, asn: pendingAsn ?? null, answered: false };
    pendingAsn = undefined;
  }
  return probes;
}

export interface HopLineOptions {
  format: string;
  /** Returns the target when the line is a header (a new path starts). */
  header(line: string): { ip: string | null; name: string | null } | null;
  /** Lines that are known chatter (warnings, banners, timestamps). */
  ignore(line: string): boolean;
}

const HOP_LINE = /^\s*(\d{1,3})\s+(\S.*)$/;
const CONTINUATION = /^\s+(\S.*)$/;

export function parseHopLines(lines: readonly string[], context: TraceParseContext, options: HopLineOptions): TraceParseResult {
  const paths: TracePath[] = [];
  const diagnostics: TraceParseResult['diagnostics'] = [];
  let current: { target: TracePath['target']; hops: TraceHop[]; line: number } | null = null;
  const flush = () => {
    if (current && (current.hops.length > 0 || current.target.ip !== null)) {
      const hops = mergeHops(current.hops);
      paths.push({ target: current.target, hops, reached: destinationAnswered(current.target.ip, hops), format: options.format, source: { file: context.file, line: current.line } });
    }
    current = null;
  };
  lines.forEach((line, index) => {
    if (line.trim().length === 0) return;
    const target = options.header(line);
    if (target) {
      flush();
      current = { target, hops: [], line: index + 1 };
      return;
    }
    const hopMatch = HOP_LINE.exec(line);
    if (hopMatch) {
      const ttl = Number(hopMatch[1]);
      const probes = parseResponders(hopMatch[2] as string);
      // ' 0 -  *  *  *' (rich-traceroute linux_6): a TTL 0 line carries nothing.
      if (probes === null || ttl < 1 || ttl > 255) {
        diagnostics.push(diagnostic(context, index, line, ttl < 1 || ttl > 255 ? `hop number ${ttl} out of range` : 'unrecognised hop line'));
        return;
      }
      current ??= { target: { ip: null, name: null }, hops: [], line: index + 1 };
      current.hops.push({ ttl, probes });
      return;
    }
    const continuation = CONTINUATION.exec(line);
    const lastHop = current?.hops[current.hops.length - 1];
    if (continuation && lastHop) {
      const probes = parseResponders(continuation[1] as string);
      if (probes !== null && probes.length > 0) {
        lastHop.probes.push(...probes);
        return;
      }
    }
    if (options.ignore(line)) return;
    diagnostics.push(diagnostic(context, index, line, 'not a hop line'));
  });
  flush();
  return { paths, diagnostics };
}
