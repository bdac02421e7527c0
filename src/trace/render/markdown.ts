// Markdown, one section per path; every cell escaped (names are attacker-controlled).
import type { TraceEntry } from '../trace-report.js';
import { escapeMarkdown } from '../../output/escape.js';
import { formatAs, formatHints, formatRtts } from './format-hop.js';

export function renderTraceEntryMarkdown(entry: TraceEntry): string {
  const { path, attribution } = entry;
  const target = path.target.name ? `${path.target.name} (${path.target.ip ?? '?'})` : (path.target.ip ?? 'unknown target');
  const lines = [`## Trace to ${escapeMarkdown(target)}`, ''];
  lines.push(`- Format: ${escapeMarkdown(path.format)}${path.source ? `, from ${escapeMarkdown(`${path.source.file}:${path.source.line}`)}` : ''}`);
  lines.push(`- Destination: ${path.reached ? 'answered' : 'silent'}`);
  if (attribution.asPath.length > 0) lines.push(`- AS path: ${attribution.asPath.map((asn) => `AS${asn}`).join(' → ')}`);
  if (attribution.lastHopOutsideDestination) lines.push(`- Last hop outside the destination's network: ${attribution.lastHopOutsideDestination.ip} (hop ${attribution.lastHopOutsideDestination.ttl})`);
  if (entry.verdict) lines.push(`- Verdict: ${escapeMarkdown(entry.verdict.summary)}`);
  if (entry.error) lines.push(`- Note: ${escapeMarkdown(entry.error)}`);
  lines.push('', '| TTL | Address | Name | RTT (ms) | AS | Country | Location hints |', '|---:|---|---|---|---|---|---|');
  path.hops.forEach((hop, index) => {
    const hopAttribution = attribution.hops[index];
    if (!hopAttribution) return;
    const cells = [String(hop.ttl), hopAttribution.ip ?? '\\*', hopAttribution.name ?? '', formatRtts(hop, hopAttribution.ip), formatAs(hopAttribution), hopAttribution.country ?? '', formatHints(hopAttribution)];
    lines.push(`| ${cells.map((cell, column) => (column === 1 ? cell : escapeMarkdown(cell))).join(' | ')} |`);
  });
  return `${lines.join('\n')}\n`;
}

export function renderTraceMarkdown(entries: readonly TraceEntry[]): string {
  return `# Traceroute evidence\n\n${entries.map(renderTraceEntryMarkdown).join('\n')}`;
}
