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
  /**
   * Distributed slowloris: 100 idle ESTABLISHED web-port sockets in one capture, whoever holds them
   * (Apache's default MaxRequestWorkers is 150, so 100 stuck workers already starve it)...
   */
  slowIdleTotal: 100,
  /** ...that are at least half of that capture's web-port connections (a healthy server's sockets carry data or close). */
  slowIdleShare: 0.5,
  /** A client uses one to five services (web, mail); 10 distinct local service ports from one address is a scan. */
  portScanPorts: 10,
  /** Half of the queried remotes without a (forward-confirmed) PTR name. */
  rdnsFailShare: 0.5,
  /** Below 5 queried remotes a share means little (1 of 2 is 50%). */
  rdnsMinQueriedRemotes: 5,
  /** The top three ASNs, or the top country, carry 80% of the connections. */
  concentrationShare: 0.8,
  /** A handful of connections always sits in few networks: judge concentration from 100 on. */
  concentrationMinConnections: 100,
  /** Connections at least three times the baseline (or the first capture). */
  surgeFactor: 3,
  /** A third of Apache prefork's default MaxRequestWorkers (150) stuck reading or writing at one instant. */
  slowRequestWorkers: 50,
  /** Behind a reverse proxy every worker's client is the proxy: one or two addresses holding the workers is more likely that than an attack. */
  slowRequestClients: 3,
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

/** Shares are fractions in the model; users write them as percentages, like --cluster-threshold. */
const PERCENT_OPTIONS: ReadonlySet<keyof AnalysisOptions> = new Set(['clusterThreshold', 'synRecvShare', 'rdnsFailShare', 'concentrationShare', 'slowIdleShare']);

export type ThresholdArgResult = { ok: true; options: Partial<AnalysisOptions> } | { ok: false; error: string };

/**
 * `NAME=VALUE` settings (report --threshold floodPerRemote=300, synRecvShare=30, webPorts=80,8080)
 * over the analysis options: counts as whole numbers, shares as percentages, webPorts as a port list.
 */
export function parseThresholdArgs(texts: readonly string[]): ThresholdArgResult {
  const names = Object.keys(DEFAULT_ANALYSIS_OPTIONS) as (keyof AnalysisOptions)[];
  const options: Partial<AnalysisOptions> = {};
  for (const text of texts) {
    const equals = text.indexOf('=');
    const name = (equals > 0 ? text.slice(0, equals) : text).trim() as keyof AnalysisOptions;
    const value = equals > 0 ? text.slice(equals + 1).trim() : '';
    if (!names.includes(name)) return { ok: false, error: `unknown threshold '${text.slice(0, 60)}': expected NAME=VALUE with NAME one of ${names.join(', ')}` };
    if (name === 'webPorts') {
      const ports = value.split(',').map((port) => Number(port.trim()));
      if (value === '' || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) return { ok: false, error: `webPorts=${value.slice(0, 60)}: expected a comma-separated list of ports (80,443)` };
      options.webPorts = ports;
      continue;
    }
    const number = /^\d+(\.\d+)?%?$/.test(value) ? Number(value.replace('%', '')) : Number.NaN;
    if (PERCENT_OPTIONS.has(name)) {
      if (!(number > 0 && number <= 100)) return { ok: false, error: `${name}=${value.slice(0, 60)}: expected a percentage above 0 and at most 100` };
      (options[name] as number) = number / 100;
    } else {
      if (!(number > 0) || (name !== 'surgeFactor' && !Number.isInteger(number))) return { ok: false, error: `${name}=${value.slice(0, 60)}: expected a ${name === 'surgeFactor' ? 'positive number' : 'positive whole number'}` };
      (options[name] as number) = number;
    }
  }
  return { ok: true, options };
}
