// report/tui --store: the selected snapshots read from the store (aggregated by the engine),
// then enrichment and analysis as for files (pipeline.ts), plus the "Across hosts" section.
import type { Report } from '../model/report.js';
import { UserError } from '../errors.js';
import { parseDurationMs } from '../health/duration.js';
import { investigate, type InvestigateIO, type InvestigateOptions } from '../pipeline.js';
import { buildFleetSection } from './fleet-section.js';
import { DEFAULT_LISTED_REMOTES, DEFAULT_MAX_CAPTURES, readFleet, type FleetSelection } from './fleet-read.js';
import { isValidHostName } from './host-name.js';
import { openStore } from './open-store.js';
import { resolveAnalysisOptions } from '../analyze/options.js';
import type { OptionTable } from '../option-table.js';

export const FLEET_HEADING = 'fleet store (instead of FILES):';

export const FLEET_ARG_OPTIONS = {
  store: { type: 'string', arg: 'STORE', help: `read the captures from a store (see 'netsleuth store --help'):
duckdb:PATH, FILE.duckdb or clickhouse://[user[:password]@]host:port/db` },
  host: { type: 'string', multiple: true, arg: 'NAME', help: 'only these hosts (repeatable; default every host)' },
  since: { type: 'string', arg: 'T', help: `only snapshots captured from / until T: ISO 8601 (2026-12-01T10:00Z)
or a duration back from now (24h, 7d)` },
  until: { type: 'string', arg: 'T', helpWith: 'since' },
  remotes: { type: 'string', arg: 'N', help: `list and analyse the N heaviest remotes one by one (default ${DEFAULT_LISTED_REMOTES};
0: all); the totals count every remote` },
} as const satisfies OptionTable;

export interface FleetValues {
  store?: string | undefined;
  host?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  remotes?: string | undefined;
}

/** True when any fleet flag was given (the command then reads the store, not files). */
export function wantsFleet(values: FleetValues): boolean {
  return values.store !== undefined || values.host !== undefined || values.since !== undefined || values.until !== undefined || values.remotes !== undefined;
}

export function fleetSelection(values: FleetValues, now: Date): FleetSelection {
  const hosts = [...new Set(values.host ?? [])];
  for (const host of hosts) if (!isValidHostName(host)) throw new UserError(`--host '${host.slice(0, 80)}': not a host name`, 2);
  const sinceMs = values.since === undefined ? null : parseTime('--since', values.since, now);
  const untilMs = values.until === undefined ? null : parseTime('--until', values.until, now);
  if (sinceMs !== null && untilMs !== null && sinceMs > untilMs) throw new UserError('--since is after --until', 2);
  return { hosts: hosts.sort(), sinceMs, untilMs };
}

/** --remotes N: a whole number, 0 for every remote. */
export function parseListedRemotes(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LISTED_REMOTES;
  if (!/^\d{1,9}$/.test(text)) throw new UserError(`--remotes '${text.slice(0, 80)}' must be a whole number (0: every remote)`, 2);
  return Number(text);
}

/** ISO 8601 with a date (a time without a zone is UTC), or a duration back from `now`. */
export function parseTime(flag: string, text: string, now: Date): number {
  const duration = /^\d/.test(text) && !text.includes('-') ? parseDurationMs(text) : null;
  if (duration !== null) return now.getTime() - duration;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `${text}Z`;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UserError(`${flag} '${text.slice(0, 80)}': give an ISO 8601 time (2026-12-01T10:00Z) or a duration (24h, 7d)`, 2);
}

export async function investigateFleet(
  values: FleetValues,
  options: Omit<InvestigateOptions, 'inputs' | 'evidence'>,
  io: InvestigateIO & { cwd: string },
  maxCaptures = DEFAULT_MAX_CAPTURES,
): Promise<Report> {
  const selection = fleetSelection(values, options.now);
  const listedRemotes = parseListedRemotes(values.remotes);
  // A load holds a DuckDB store for as long as it runs: wait for it, as store query does.
  const engine = await openStore(values.store, io.env, io.cwd, { readOnly: true, unordered: true, waitMs: 60_000, onWait: (message) => io.stderr.write(`netsleuth: ${message}\n`) });
  let data;
  try {
    options.onProgress?.('store');
    data = await readFleet(engine, selection, maxCaptures, resolveAnalysisOptions(options.analysis).webPorts, listedRemotes);
  } finally {
    await engine.close();
  }
  const report = await investigate({ ...options, inputs: [], evidence: { captures: data.tallies, remotes: data.remotes, aggregate: data.aggregate } }, io);
  // The evidence lists every stored snapshot; the analysis' captures may be time buckets of them.
  report.inputs = data.snapshots.map((snapshot) => snapshot.info);
  report.fleet = buildFleetSection(report.analysis, data, selection, engine.display);
  return report;
}
