// The contract every detector implements: data in, at most one finding out.
import type { AnalysisOptions, Indicator, RemoteProfile, Cluster, Analysis } from '../../model/analysis.js';
import type { WorkerCounts } from '../../model/connection.js';
import type { Aggregate, RemoteStats } from '../aggregate.js';

export interface IndicatorContext {
  options: AnalysisOptions;
  aggregate: Aggregate;
  /** Parallel to aggregate.remotes (same order: connections desc, then address). */
  profiles: RemoteProfile[];
  clusters: Cluster[];
  countries: Analysis['countries'];
  /** Aggregate of the --baseline captures, or null. */
  baseline: Aggregate | null;
  /** Capture display names, parallel to aggregate.captures. */
  capturePaths: string[];
  /** Web server status captures: their scoreboards (null for every other capture), parallel to capturePaths. */
  workers: (WorkerCounts | null)[];
}

export interface IndicatorDetector {
  kind: string;
  /** One line for --help and the report's method section. */
  description: string;
  detect(context: IndicatorContext): Indicator | null;
}

/** Evidence lists name at most this many remotes; the figures carry the full count. */
export const EVIDENCE_REMOTE_LIMIT = 50;

export function peakIndex(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

export function peakValue(values: ArrayLike<number>): number {
  return values.length === 0 ? 0 : values[peakIndex(values)] ?? 0;
}

/** Remotes ranked by a per-remote figure (desc), address order as the tie-breaker (aggregate order is already address-sorted within equal counts). */
export function rankRemotes(remotes: RemoteStats[], figure: (stats: RemoteStats) => number, minimum: number): { stats: RemoteStats; value: number }[] {
  const ranked: { stats: RemoteStats; value: number; order: number }[] = [];
  remotes.forEach((stats, order) => {
    const value = figure(stats);
    if (value >= minimum && value > 0) ranked.push({ stats, value, order });
  });
  ranked.sort((a, b) => b.value - a.value || a.order - b.order);
  return ranked;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
