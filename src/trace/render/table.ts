// Plain terminal table, one block per path.
import { alignRow, fitWidths } from '../../output/align.js';
import type { TraceEntry } from '../trace-report.js';
import { escapeTerminal } from './escape.js';
import { formatAs, formatHints, formatRtts } from './format-hop.js';

const COLUMNS = ['TTL', 'ADDRESS', 'NAME', 'RTT MS', 'AS', 'CC', 'HINTS'] as const;

function pad(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) fitWidths(widths, row);
  return rows.map((row) => alignRow(row, widths));
}

export function renderTraceEntryTable(entry: TraceEntry): string {
  const { path, attribution } = entry;
  const target = path.target.name ? `${path.target.name} (${path.target.ip ?? '?'})` : (path.target.ip ?? 'unknown target');
  const lines = [`trace to ${escapeTerminal(target)}  [${path.format}${path.source ? `, ${escapeTerminal(path.source.file)}:${path.source.line}` : ''}]  ${path.reached ? 'reached' : 'destination silent'}`];
  const rows = [COLUMNS.slice() as string[]];
  path.hops.forEach((hop, index) => {
    const hopAttribution = attribution.hops[index];
    if (!hopAttribution) return;
    rows.push([String(hop.ttl), hopAttribution.ip ?? '*', escapeTerminal(hopAttribution.name ?? ''), formatRtts(hop, hopAttribution.ip), escapeTerminal(formatAs(hopAttribution)), hopAttribution.country ?? '', escapeTerminal(formatHints(hopAttribution))]);
  });
  lines.push(...pad(rows));
  if (attribution.asPath.length > 0) lines.push(`AS path: ${attribution.asPath.map((asn) => `AS${asn}`).join(' > ')}`);
  if (attribution.lastHopOutsideDestination) lines.push(`last hop outside the destination's network: ${attribution.lastHopOutsideDestination.ip} (hop ${attribution.lastHopOutsideDestination.ttl})`);
  if (entry.verdict) lines.push(`verdict: ${escapeTerminal(entry.verdict.summary)}`);
  if (entry.error) lines.push(`note: ${escapeTerminal(entry.error)}`);
  return `${lines.join('\n')}\n`;
}

export function renderTraceTable(entries: readonly TraceEntry[]): string {
  return entries.map(renderTraceEntryTable).join('\n');
}
