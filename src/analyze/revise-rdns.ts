// Reverse DNS can arrive after the analysis (the TUI resolves in the background while the screens
// are already up). What reads it: each remote's rdns, the status counts, the rdns-anomaly
// indicator and, through the indicators, the verdict. This judges those again over the new
// profiles; everything else in the analysis is independent of reverse DNS and is kept.
import type { Analysis, Indicator, RemoteProfile } from '../model/analysis.js';
import type { RdnsResult } from '../model/attribution.js';
import { INDICATOR_DETECTORS } from './indicators/index.js';
import { detectRdnsAnomaly, rdnsAnomaly } from './indicators/rdns-anomaly.js';
import { severityRank, verdictText } from './summary.js';

/** Severity first, then the registry's order (the report's order for equal severities). */
export function orderIndicators(indicators: Indicator[]): Indicator[] {
  const registryOrder = (indicator: Indicator) => INDICATOR_DETECTORS.findIndex((detector) => detector.kind === indicator.kind);
  return [...indicators].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || registryOrder(a) - registryOrder(b));
}

/** Remotes per rDNS status, keys in sorted order (stable JSON). */
export function countRdnsStatuses(profiles: readonly RemoteProfile[]): Analysis['rdnsCounts'] {
  const counts: Partial<Record<RdnsResult['status'], number>> = {};
  for (const profile of profiles) counts[profile.rdns.status] = (counts[profile.rdns.status] ?? 0) + 1;
  const ordered: typeof counts = {};
  for (const status of Object.keys(counts).sort() as RdnsResult['status'][]) ordered[status] = counts[status]!;
  return ordered;
}

/** The analysis with `remotes` (same remotes, newer rdns) and what depends on their names. */
export function reviseAnalysisForRdns(analysis: Analysis, remotes: RemoteProfile[]): Analysis {
  const revised = detectRdnsAnomaly(remotes, analysis.options);
  const others = analysis.indicators.filter((indicator) => indicator.kind !== rdnsAnomaly.kind);
  const indicators = orderIndicators(revised ? [...others, revised] : others);
  return {
    ...analysis,
    remotes,
    rdnsCounts: countRdnsStatuses(remotes),
    indicators,
    verdict: verdictText(indicators, analysis.summary, analysis.totals.connections, remotes.length),
  };
}
