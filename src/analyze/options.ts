// Default thresholds for the analysis, each with the reason behind its value.
import type { AnalysisOptions } from '../model/analysis.js';

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = Object.freeze({
  /** Aguri's usual 5%: a prefix is reported when what remains under it, after heavier sub-prefixes, reaches 5% of all connections. */
  clusterThreshold: 0.05,
  /** DDoS-Deflate's NO_OF_CONNECTIONS default: 150 sockets from one address in one snapshot. */
  floodPerRemote: 150,
  /** SYN flood: at least 100 half-open (SYN_RECV) sockets in one capture... */
  synRecvCount: 100,
  /** ...and they make up at least 20% of that capture's connections (a busy server always has a few). */
  synRecvShare: 0.2,
  /** Browsers open at most 6-8 connections per host; 20 idle ESTABLISHED sockets from one address on a web port is slowloris-like. */
  idleEstablishedPerRemote: 20,
  webPorts: Object.freeze([80, 443, 8000, 8008, 8080, 8443]) as number[],
  /** A client uses one to five services (web, mail); 10 distinct local service ports from one address is a scan. */
  portScanPorts: 10,
  /** Half of the queried remotes without a (forward-confirmed) PTR name. */
  rdnsFailShare: 0.5,
  /** The top three ASNs, or the top country, carry 80% of the connections. */
  concentrationShare: 0.8,
  /** Connections at least three times the baseline (or the first capture). */
  surgeFactor: 3,
});

/** Merge user options over the defaults; rejects nonsense (negative, NaN) by falling back to the default. */
export function resolveAnalysisOptions(partial: Partial<AnalysisOptions> | undefined): AnalysisOptions {
  const merged: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, webPorts: [...DEFAULT_ANALYSIS_OPTIONS.webPorts] };
  if (!partial) return merged;
  for (const key of Object.keys(DEFAULT_ANALYSIS_OPTIONS) as (keyof AnalysisOptions)[]) {
    const value = partial[key];
    if (value === undefined) continue;
    if (key === 'webPorts') {
      if (Array.isArray(value)) merged.webPorts = [...new Set(value.filter((port) => Number.isInteger(port) && port > 0 && port < 65536))].sort((a, b) => a - b);
      continue;
    }
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) (merged[key] as number) = value;
  }
  return merged;
}
