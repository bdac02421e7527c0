// Shared cell text for table and markdown hop rows (numbers formatted here, at the edge).
import type { HopAttribution, TraceHop } from '../../model/trace.js';

/** Probe RTTs in order; a probe from another responder than the hop's main one is prefixed with its address. */
export function formatRtts(hop: TraceHop | undefined, mainIp: string | null = null): string {
  if (!hop || hop.probes.length === 0) return '*';
  return hop.probes.map((probe) => {
    const other = probe.ip !== null && mainIp !== null && probe.ip !== mainIp ? `${probe.ip}: ` : '';
    if (probe.rttMs === null) return `${other}${probe.annotation ?? '*'}${probe.lossPct != null ? ` (${probe.lossPct}% loss)` : ''}`;
    const rtt = `${Number(probe.rttMs.toFixed(3))}`;
    const loss = probe.lossPct != null ? ` (${probe.lossPct}% loss)` : '';
    return `${other}${rtt}${probe.annotation ? ` ${probe.annotation}` : ''}${loss}`;
  }).join(' ');
}

export function formatAs(hop: HopAttribution): string {
  if (hop.asn === null) return '';
  return hop.asOrg ? `AS${hop.asn} ${hop.asOrg}` : `AS${hop.asn}`;
}

export function formatHints(hop: HopAttribution): string {
  return hop.hints.map((hint) => `${hint.city ?? hint.country ?? '?'}${hint.city && hint.country ? `/${hint.country}` : ''} (${hint.source}, ${hint.confidence})`).join('; ');
}
