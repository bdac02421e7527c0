// Shared cell text for table and markdown hop rows (numbers formatted here, at the edge).
import type { HopAttribution, TraceHop } from '../../model/trace.js';

export function formatRtts(hop: TraceHop | undefined): string {
  if (!hop || hop.probes.length === 0) return '*';
  return hop.probes.map((probe) => {
    if (probe.rttMs === null) return probe.lossPct != null ? `* (${probe.lossPct}% loss)` : '*';
    const rtt = `${Number(probe.rttMs.toFixed(3))}`;
    const loss = probe.lossPct != null ? ` (${probe.lossPct}% loss)` : '';
    return `${rtt}${probe.annotation ? ` ${probe.annotation}` : ''}${loss}`;
  }).join(' ');
}

export function formatAs(hop: HopAttribution): string {
  if (hop.asn === null) return '';
  return hop.asOrg ? `AS${hop.asn} ${hop.asOrg}` : `AS${hop.asn}`;
}

export function formatHints(hop: HopAttribution): string {
  return hop.hints.map((hint) => `${hint.city ?? hint.country ?? '?'}${hint.city && hint.country ? `/${hint.country}` : ''} (${hint.source}, ${hint.confidence})`).join('; ');
}
