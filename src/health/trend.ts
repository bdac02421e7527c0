// Trends over the last N captures, pure: each sample is reduced to a few numbered series
// (total connections, connections per remote prefix, process counts, swap), and each series'
// rise per 10 minutes is an EWMA of its per-interval slopes. Memory is bounded: at most
// `window` samples, each with at most TOP_SERIES prefixes and processes.
import type { Connection } from '../model/connection.js';
import { isWildcardAddress } from '../net/ip.js';
import { addressPrefix } from '../net/prefix.js';
import type { ProcessCount } from './process-counts.js';

export const TOP_SERIES = 20;

const TREND_PREFIX_LENGTHS = { 4: 24, 6: 48 } as const;
const TEN_MINUTES_MS = 600_000;

export interface WatchSample {
  timeMs: number;
  connections: number;
  /** Remote /24 (IPv6 /48) -> connections; the TOP_SERIES largest. */
  prefixes: Map<string, number>;
  /** Process name -> count; the TOP_SERIES largest. */
  processes: Map<string, number>;
  swapPercent: number | null;
}

export interface TrendThresholds {
  processRisePer10Min: number;
  connectionsRisePer10Min: number;
  prefixRisePer10Min: number;
  swapPercent: number;
  alpha: number;
}

export interface TrendAlert {
  /** Stable identity, e.g. 'process:httpd', 'prefix:147.46.0.0/24', 'swap'. */
  key: string;
  /** "httpd processes rising 40/10 min", "swap 92%". */
  text: string;
}

/** The /24 of an IPv4 remote, the /48 of an IPv6 one; null for wildcards and non-addresses. */
export function remotePrefix(address: string): string | null {
  return isWildcardAddress(address) ? null : addressPrefix(address, TREND_PREFIX_LENGTHS);
}

function topEntries(counts: Map<string, number>, limit: number): Map<string, number> {
  return new Map([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit));
}

export function sampleFrom(timeMs: number, connections: readonly Connection[], processes: readonly ProcessCount[], swapPercent: number | null): WatchSample {
  const prefixes = new Map<string, number>();
  let total = 0;
  for (const connection of connections) {
    if (connection.state === 'LISTEN') continue;
    total += 1;
    const prefix = remotePrefix(connection.remoteAddress);
    if (prefix !== null) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
  }
  const processMap = new Map(processes.slice(0, TOP_SERIES).map((entry) => [entry.name, entry.count] as const));
  return { timeMs, connections: total, prefixes: topEntries(prefixes, TOP_SERIES), processes: processMap, swapPercent };
}

/** EWMA of the slopes between consecutive samples, as a rise per 10 minutes; null with < 2 samples. */
export function ewmaRisePer10Min(points: readonly { timeMs: number; value: number }[], alpha: number): number | null {
  let ewma: number | null = null;
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!;
    const current = points[i]!;
    const elapsedMs = current.timeMs - previous.timeMs;
    if (elapsedMs <= 0) continue;
    const slope = ((current.value - previous.value) / elapsedMs) * TEN_MINUTES_MS;
    ewma = ewma === null ? slope : alpha * slope + (1 - alpha) * ewma;
  }
  return ewma;
}

/**
 * A slope extrapolated from short intervals is noisy (one new `grep` in 2 s is "300/10 min"):
 * a trend only counts when the value really grew, across the window, by a quarter of the threshold.
 */
export function risingOverThreshold(points: readonly { timeMs: number; value: number }[], threshold: number, alpha: number): number | null {
  if (threshold <= 0 || points.length < 2) return null;
  const rise = ewmaRisePer10Min(points, alpha);
  const grown = points[points.length - 1]!.value - points[0]!.value;
  return rise !== null && rise >= threshold && grown >= Math.max(1, threshold / 4) ? rise : null;
}

function series(samples: readonly WatchSample[], pick: (sample: WatchSample) => number): { timeMs: number; value: number }[] {
  return samples.map((sample) => ({ timeMs: sample.timeMs, value: pick(sample) }));
}

function formatRise(value: number): string {
  return String(Math.round(value));
}

/** Every trend currently over its threshold, in a fixed order: processes, connections, prefixes, swap. */
export function trendAlerts(samples: readonly WatchSample[], thresholds: TrendThresholds): TrendAlert[] {
  const alerts: TrendAlert[] = [];
  const latest = samples[samples.length - 1];
  if (!latest) return alerts;
  const names = [...latest.processes.keys()].sort();
  for (const name of names) {
    const rise = risingOverThreshold(series(samples, (sample) => sample.processes.get(name) ?? 0), thresholds.processRisePer10Min, thresholds.alpha);
    if (rise !== null) {
      alerts.push({ key: `process:${name}`, text: `${name} processes rising ${formatRise(rise)}/10 min` });
    }
  }
  const connectionRise = risingOverThreshold(series(samples, (sample) => sample.connections), thresholds.connectionsRisePer10Min, thresholds.alpha);
  if (connectionRise !== null) {
    alerts.push({ key: 'connections', text: `connections rising ${formatRise(connectionRise)}/10 min (now ${latest.connections})` });
  }
  for (const prefix of [...latest.prefixes.keys()].sort()) {
    const rise = risingOverThreshold(series(samples, (sample) => sample.prefixes.get(prefix) ?? 0), thresholds.prefixRisePer10Min, thresholds.alpha);
    if (rise !== null) {
      alerts.push({ key: `prefix:${prefix}`, text: `connections from ${prefix} rising ${formatRise(rise)}/10 min (now ${latest.prefixes.get(prefix) ?? 0})` });
    }
  }
  if (latest.swapPercent !== null && latest.swapPercent >= thresholds.swapPercent) {
    alerts.push({ key: 'swap', text: `swap ${Math.round(latest.swapPercent)}%` });
  }
  return alerts;
}

/** A fixed-size window of samples (oldest dropped first). */
export class SampleWindow {
  private readonly samples: WatchSample[] = [];

  constructor(readonly size: number) {}

  push(sample: WatchSample): readonly WatchSample[] {
    this.samples.push(sample);
    while (this.samples.length > this.size) this.samples.shift();
    return this.samples;
  }

  get all(): readonly WatchSample[] {
    return this.samples;
  }
}
