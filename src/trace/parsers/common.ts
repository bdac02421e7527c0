// Shared pieces of the traceroute parsers: the parser contract, probe/path builders.
import type { ParseDiagnostic } from '../../model/connection.js';
import type { TraceHop, TracePath, TraceProbe } from '../../model/trace.js';
import { parseIpAddress } from '../../net/ip.js';
import { sanitizeText } from '../../net/sanitize.js';

export interface TraceParseContext {
  /** Display name of the input, used in diagnostics and TracePath.source. */
  file: string;
}

export interface TraceParseResult {
  paths: TracePath[];
  diagnostics: ParseDiagnostic[];
}

export interface TraceParser {
  /** Registered name, the value of --input-format and TracePath.format. */
  name: string;
  description: string;
  /** Commands/platforms whose output it reads. */
  commands: string[];
  /** A short real-shaped sample, used by the registry test and --help. */
  sample: string;
  /** 0 = not this format, 1 = certainly this format. Looks at the first lines only. */
  detect(lines: readonly string[]): number;
  parse(lines: readonly string[], context: TraceParseContext): TraceParseResult;
}

/** Canonical IP text, or null when the text is not an address. */
export function canonicalIp(text: string | null | undefined): string | null {
  if (!text) return null;
  return parseIpAddress(text)?.text ?? null;
}

/** Host name as printed: sanitized; null when absent, '???', or just the address again. */
export function cleanHostName(name: string | null | undefined, ip: string | null): string | null {
  if (name === null || name === undefined) return null;
  const cleaned = sanitizeText(name).trim();
  if (cleaned.length === 0 || cleaned === '???') return null;
  if (ip !== null && canonicalIp(cleaned) === ip) return null;
  return cleaned;
}

export function makeProbe(fields: Partial<TraceProbe>): TraceProbe {
  // One fixed shape for the common fields (hot path: one call per printed probe); optional mtr fields added only when given.
  const probe: TraceProbe = { ip: fields.ip ?? null, name: fields.name ?? null, rttMs: fields.rttMs ?? null, annotation: fields.annotation ?? null, asn: fields.asn ?? null };
  if (fields.lossPct !== undefined) probe.lossPct = fields.lossPct;
  if (fields.rttBestMs !== undefined) probe.rttBestMs = fields.rttBestMs;
  if (fields.rttWorstMs !== undefined) probe.rttWorstMs = fields.rttWorstMs;
  if (fields.sent !== undefined) probe.sent = fields.sent;
  return probe;
}

/** 'AS1234' / '[AS1234]' -> 1234; '[*]', 'AS???' -> null. */
export function parseAsnToken(token: string): number | null {
  const match = /^\[?AS(\d{1,10})\]?$/i.exec(token);
  if (!match?.[1]) return null;
  const asn = Number(match[1]);
  return asn <= 4294967295 ? asn : null;
}

/** Merge hops that share a TTL (tools print one line per responder sometimes) and sort by TTL. */
export function mergeHops(hops: readonly TraceHop[]): TraceHop[] {
  const byTtl = new Map<number, TraceHop>();
  for (const hop of hops) {
    const existing = byTtl.get(hop.ttl);
    if (existing) existing.probes.push(...hop.probes);
    else byTtl.set(hop.ttl, { ttl: hop.ttl, probes: [...hop.probes] });
  }
  return [...byTtl.values()].sort((a, b) => a.ttl - b.ttl);
}

/** The destination answered: some probe of the last hop came from the target address. */
export function destinationAnswered(targetIp: string | null, hops: readonly TraceHop[]): boolean {
  if (targetIp === null) return false;
  const last = [...hops].reverse().find((hop) => hop.probes.some((probe) => probe.ip !== null));
  return last?.probes.some((probe) => probe.ip === targetIp) === true;
}

export function diagnostic(context: TraceParseContext, lineIndex: number, raw: string, reason: string): ParseDiagnostic {
  return { file: context.file, line: lineIndex + 1, raw: sanitizeText(raw, 200), reason };
}
