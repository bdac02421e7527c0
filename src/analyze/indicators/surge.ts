// Surge: connections well above normal. "Normal" is the --baseline captures (their
// mean) when given, else the first capture of the series; the busiest later capture
// is compared against it.
import type { Indicator, Severity } from '../../model/analysis.js';
import type { Aggregate } from '../aggregate.js';
import { EVIDENCE_REMOTE_LIMIT, peakIndex, rankRemotes, type IndicatorDetector } from './types.js';

export interface SurgeReference {
  /** Mean connections per capture of the reference. */
  connections: number;
  /** Mean connections per remote (canonical IP) in the reference. */
  perRemote: Map<string, number>;
  source: 'baseline' | 'first-capture';
}

export function surgeReference(aggregate: Aggregate, baseline: Aggregate | null): SurgeReference | null {
  if (baseline && baseline.captures.length > 0) {
    const count = baseline.captures.length;
    const perRemote = new Map<string, number>();
    for (const stats of baseline.remotes) perRemote.set(stats.identity.ip, stats.connections / count);
    return { connections: baseline.connections / count, perRemote, source: 'baseline' };
  }
  if (aggregate.captures.length < 2) return null;
  const perRemote = new Map<string, number>();
  for (const stats of aggregate.remotes) if ((stats.perCapture[0] ?? 0) > 0) perRemote.set(stats.identity.ip, stats.perCapture[0] ?? 0);
  return { connections: aggregate.captures[0]?.connections ?? 0, perRemote, source: 'first-capture' };
}

/** First capture at or above factor × reference (captures after the first when the first is the reference). */
export function surgeStartIndex(aggregate: Aggregate, reference: SurgeReference, factor: number): number | null {
  const start = reference.source === 'first-capture' ? 1 : 0;
  const limit = Math.max(reference.connections, 1) * factor;
  for (let i = start; i < aggregate.captures.length; i++) if ((aggregate.captures[i]?.connections ?? 0) >= limit) return i;
  return null;
}

export const surge: IndicatorDetector = {
  kind: 'surge',
  description: 'a capture holds at least surgeFactor times the connections of the baseline (or of the first capture)',
  detect({ aggregate, baseline, options, capturePaths }): Indicator | null {
    const reference = surgeReference(aggregate, baseline);
    if (!reference) return null;
    const counts = aggregate.captures.map((capture) => capture.connections);
    if (reference.source === 'first-capture') counts[0] = 0;
    const peak = peakIndex(counts);
    const peakConnections = counts[peak] ?? 0;
    const factor = peakConnections / Math.max(reference.connections, 1);
    if (factor < options.surgeFactor) return null;
    const start = surgeStartIndex(aggregate, reference, options.surgeFactor);
    const growth = rankRemotes(aggregate.remotes, (stats) => (stats.perCapture[peak] ?? 0) - (reference.perRemote.get(stats.identity.ip) ?? 0), 1);
    const newRemotes = aggregate.remotes.filter((stats) => (stats.perCapture[peak] ?? 0) > 0 && !reference.perRemote.has(stats.identity.ip)).length;
    const severity: Severity = factor >= 10 * options.surgeFactor ? 'critical' : factor >= 3 * options.surgeFactor ? 'high' : 'medium';
    const against = reference.source === 'baseline' ? 'the baseline' : `the first capture (${capturePaths[0] ?? 'capture 0'})`;
    return {
      kind: 'surge',
      severity,
      summary: `${capturePaths[peak] ?? `Capture ${peak}`} holds ${peakConnections} connections, ${Math.round(factor * 10) / 10} times ${against} (${Math.round(reference.connections * 10) / 10}); ${newRemotes} of its addresses were not seen before${start !== null ? `; the surge began in ${capturePaths[start] ?? `capture ${start}`}` : ''}.`,
      evidence: {
        remotes: growth.slice(0, EVIDENCE_REMOTE_LIMIT).map(({ stats }) => stats.identity.ip),
        figures: {
          referenceConnections: reference.connections,
          reference: reference.source,
          peakConnections,
          capture: capturePaths[peak] ?? String(peak),
          factor,
          newRemotes,
          surgeStart: start ?? -1,
        },
      },
      thresholds: { surgeFactor: options.surgeFactor },
    };
  },
};
