// The whole investigation, edges included: read inputs -> parse -> enrich -> analyze -> report model.
// Each stage is a function in PipelineStages so tests (and the TUI) can swap one out;
// defaultStages() wires the real modules.
import type { Readable } from 'node:stream';
import type { Analysis, AnalysisInput, AnalysisOptions, CaptureEvidence } from './model/analysis.js';
import type { DataSource, IpAttribution, RdnsResult, RoutePrefix } from './model/attribution.js';
import type { SnapshotTally } from './model/tally.js';
import type { Aggregate } from './analyze/aggregate.js';
import type { InputRowIndex } from './model/capture-rows.js';
import type { PathEvidence, Report } from './model/report.js';
import type { RdnsProgress, ReverseDnsBatch, ReverseDnsOptions } from './model/services.js';
import type { TracePath, TraceVerdict } from './model/trace.js';
import type { GeoOpenOptions, GeoService } from './enrich/geo/index.js';
import { ipv4ToInt, isWildcardAddress, parseIpAddress } from './net/ip.js';
import { sanitizeText } from './net/sanitize.js';
import { warn } from './output/safe-stream.js';
import { UserError } from './errors.js';
import { buildReport } from './report/build-report.js';
import { splitSnapshots } from './capture/snapshots.js';
import { tallyCapture } from './capture/tally-builder.js';
import type { ReadCapturesOptions } from './capture/read-inputs.js';

export interface InvestigateOptions {
  /** Paths, or '-' for stdin; empty = stdin. */
  inputs: string[];
  /** --input-format: force a capture parser. */
  inputFormat?: string;
  strict?: boolean;
  /** --local-net: the networks inside a gateway whose conntrack table is read. */
  localNets?: readonly string[];
  /** null = --no-dns. */
  rdns: ReverseDnsOptions | null;
  /** Run live traceroutes for the top remotes (false = --no-trace). */
  trace: boolean;
  /** Saved traceroute files to attach to remotes. */
  traceFiles?: string[];
  geoDir?: string | null;
  baseline?: string | null;
  analysis?: Partial<AnalysisOptions>;
  /** Fixed clock for reproducible output (--now / SOURCE_DATE_EPOCH). */
  now: Date;
  onProgress?: (stage: string, progress?: RdnsProgress) => void;
  /** How many of the heaviest remotes get a live traceroute (default 5). */
  liveTraceLimit?: number;
  /**
   * Evidence already read and tallied elsewhere (a fleet store): used instead of reading
   * `inputs`, with its remotes heaviest first (the order rDNS and live traces take them).
   */
  evidence?: { captures: CaptureEvidence[]; remotes: string[]; aggregate?: Aggregate };
  /** RDAP/whois (when asked) and blocklist matching, after the analysis; absent = neither. */
  networkFindings?: import('./enrich/network/enrich-report.js').NetworkFindingOptions;
  /** Read back the first capture rows of this many heaviest remotes into report.captureRows (the host views). */
  captureRows?: number;
  /** Index where each remote's rows are while reading, and hand the indexes over (the TUI reads rows on demand). */
  onRowIndexes?: (indexes: InputRowIndex[]) => void;
}

export interface InvestigateIO {
  stdin: Readable;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The stages investigate() runs, in order. Every one is replaceable (tests, TUI). */
export interface PipelineStages {
  /** Tallies (what the real reader gives) or parsed captures (split into snapshots and tallied here). */
  readCaptures(inputs: string[], io: InvestigateIO, options: ReadCapturesOptions): Promise<CaptureEvidence[]>;
  openGeo(options: GeoOpenOptions): Promise<GeoService>;
  reverseDnsBatch: ReverseDnsBatch;
  /** Refines an attribution's institution with PTR names; identity when unavailable. */
  refineInstitution(attribution: IpAttribution, rdns: RdnsResult | undefined): IpAttribution;
  readTraces(paths: string[], io: InvestigateIO): Promise<TracePath[]>;
  /** Live traceroutes of the given addresses; empty when no tracer is available. */
  liveTraces(ips: string[], io: InvestigateIO): Promise<TracePath[]>;
  /** Every hop attributed and a verdict per traced target, combining its geo with the path. */
  traceVerdicts(paths: Map<string, TracePath>, attributions: Map<string, IpAttribution>, geo: GeoService, rdns: ReadonlyMap<string, RdnsResult>): PathEvidence[];
  analyze(input: AnalysisInput, precomputed?: Aggregate): Analysis;
}

export const DEFAULT_LIVE_TRACE_LIMIT = 5;

/** Special-range kinds (geo-data/special-ranges.json) whose paths are local and never traced. */
export const NEVER_TRACED_KINDS: ReadonlySet<string> = new Set([
  'private', 'loopback', 'link-local', 'unique-local', 'cgnat', 'multicast', 'broadcast',
  'this-host', 'this-network', 'unspecified', 'reserved', 'discard', 'ipv4-mapped',
]);

export async function investigate(options: InvestigateOptions, io: InvestigateIO, stages?: Partial<PipelineStages>): Promise<Report> {
  const run: PipelineStages = { ...(await defaultStages()), ...stages };
  const progress = options.onProgress ?? (() => {});
  const inputs = options.inputs.length === 0 ? ['-'] : options.inputs;

  progress('read');
  const readOptions: ReadCapturesOptions = { inputFormat: options.inputFormat, strict: options.strict, localNets: options.localNets };
  const wantsRows = (options.captureRows ?? 0) > 0 || options.onRowIndexes !== undefined;
  // A log of several dated tables is analysed one snapshot at a time (capture/snapshots.ts).
  const read = options.evidence ? null : toTallies(await run.readCaptures(inputs, io, { ...readOptions, indexRows: wantsRows }));
  const { rowIndexesOf, readRemoteRows } = wantsRows ? await import('./capture/read-rows.js') : { rowIndexesOf: null, readRemoteRows: null };
  const rowIndexes = rowIndexesOf && read ? rowIndexesOf(read) : [];
  if (options.onRowIndexes) options.onRowIndexes(rowIndexes);
  const captures: SnapshotTally[] = options.evidence ? toTallies(options.evidence.captures) : read ?? [];
  const baseline = options.baseline ? toTallies(await run.readCaptures([options.baseline], io, readOptions)) : undefined;

  const ips = options.evidence?.remotes ?? remotesByWeight(read ?? []);

  progress('geo');
  const geo = await run.openGeo({ geoDir: options.geoDir ?? null, env: io.env });
  try {
    const attributions = new Map<string, IpAttribution>();
    for (const ip of ips) attributions.set(ip, geo.lookup(ip));
    // Where the routes end: prefix clusters never climb above them.
    let routes: Map<string, RoutePrefix | null> | undefined;
    if (geo.route) {
      routes = new Map();
      for (const ip of ips) routes.set(ip, geo.route(ip));
    }
    const dataSources = [...geo.sources];
    // Skipped databases are worth knowing about, but are not fatal.
    for (const warning of geo.warnings ?? []) warn(io, sanitizeText(warning, 500));

    let rdns = new Map<string, RdnsResult>();
    if (options.rdns) {
      progress('rdns');
      const rdnsOptions: ReverseDnsOptions = { ...options.rdns };
      if (options.onProgress) rdnsOptions.onProgress = (done) => progress('rdns', done);
      rdns = await run.reverseDnsBatch(ips, rdnsOptions);
    }
    for (const [ip, attribution] of attributions) {
      const refined = run.refineInstitution(attribution, rdns.get(ip));
      if (refined !== attribution) attributions.set(ip, refined);
    }

    const traces = new Map<string, TracePath>();
    if (options.traceFiles && options.traceFiles.length > 0) {
      progress('traces');
      for (const path of await run.readTraces(options.traceFiles, io)) addTrace(traces, path);
    }
    if (options.trace) {
      const limit = options.liveTraceLimit ?? DEFAULT_LIVE_TRACE_LIMIT;
      // Never trace local-scope addresses: a path to 10.x says nothing about origin and probes the LAN.
      // Documentation/benchmarking ranges are traced: they only appear in labs (and our netns tests).
      const targets = ips.filter((ip) => !traces.has(ip) && !NEVER_TRACED_KINDS.has(attributions.get(ip)?.special?.kind ?? '')).slice(0, limit);
      if (targets.length > 0) {
        progress('live-trace');
        for (const path of await run.liveTraces(targets, io)) addTrace(traces, path);
      }
    }
    const pathEvidence = traces.size > 0 ? run.traceVerdicts(traces, attributions, geo, rdns) : [];
    const report = finish(run, options, captures, baseline, { attributions, rdns, traces, ...(routes ? { routes } : {}) }, pathEvidence, dataSources);
    if (readRemoteRows && rowIndexes.length > 0 && (options.captureRows ?? 0) > 0) {
      progress('rows');
      const found = await readRemoteRows(rowIndexes, report.analysis.remotes.slice(0, options.captureRows).map((remote) => remote.ip));
      report.captureRows = { perRemote: Math.max(...rowIndexes.map((index) => index.perRemote)), remotes: [...found.values()].filter((rows) => rows.total > 0) };
    }
    if (!options.networkFindings) return report;
    progress(options.networkFindings.rdap ? 'networks' : 'blocklists');
    const { addNetworkFindings } = await import('./enrich/network/enrich-report.js');
    return addNetworkFindings(report, options.networkFindings);
  } finally {
    geo.close();
  }
}

function finish(
  run: PipelineStages,
  options: InvestigateOptions,
  captures: SnapshotTally[],
  baseline: SnapshotTally[] | undefined,
  enrichment: Pick<AnalysisInput, 'attributions' | 'routes' | 'rdns' | 'traces'>,
  pathEvidence: PathEvidence[],
  dataSources: DataSource[],
): Report {
  const progress = options.onProgress ?? (() => {});
  const verdicts = new Map<string, TraceVerdict>();
  for (const evidence of pathEvidence) if (evidence.verdict) verdicts.set(evidence.target, evidence.verdict);
  progress('analyze');
  const { attributions, routes, rdns, traces } = enrichment;
  const analysisInput: AnalysisInput = { captures, attributions, rdns, traces, verdicts };
  if (routes) analysisInput.routes = routes;
  if (baseline) analysisInput.baseline = baseline;
  if (options.analysis) analysisInput.options = options.analysis;
  const analysis = options.evidence?.aggregate ? run.analyze(analysisInput, options.evidence.aggregate) : run.analyze(analysisInput);

  progress('report');
  const report = buildReport(
    analysis,
    captures.map((capture) => capture.info),
    dataSources,
    {
      dns: options.rdns !== null,
      trace: options.trace,
      dnsServers: options.rdns ? [...options.rdns.servers] : [],
      baseline: options.baseline ?? null,
    },
    options.now,
    attributions,
    baseline?.map((capture) => capture.info),
  );
  if (pathEvidence.length > 0) report.pathAttributions = pathEvidence;
  return report;
}

/** The first path per target wins (saved files come before live traces). */
function addTrace(traces: Map<string, TracePath>, path: TracePath): void {
  const ip = path.target.ip;
  if (ip && !traces.has(ip)) traces.set(ip, path);
}

/** One tally per snapshot: parsed captures are split at their time lines and tallied. */
function toTallies(evidence: CaptureEvidence[]): SnapshotTally[] {
  return evidence.flatMap((capture) => ('groups' in capture ? [capture] : splitSnapshots(capture).map(tallyCapture)));
}

/**
 * Distinct remote peers, heaviest first (ties by address): the order rDNS resolves
 * them and live traces pick their targets. LISTEN rows and wildcard peers
 * ('0.0.0.0:*', '*.*', '[::]:0') are not connections.
 */
export function remotesByWeight(captures: readonly CaptureEvidence[]): string[] {
  // Count per group into the input's own address table (snapshots of one input share it), then
  // per distinct address; validate each distinct address once.
  const byTable = new Map<readonly string[], Float64Array>();
  for (const { groups } of captures.map((capture) => ('groups' in capture ? capture : tallyCapture(capture)))) {
    let tableCounts = byTable.get(groups.remotes);
    if (!tableCounts || tableCounts.length < groups.remotes.length) {
      const grown = new Float64Array(groups.remotes.length);
      if (tableCounts) grown.set(tableCounts);
      tableCounts = grown;
      byTable.set(groups.remotes, tableCounts);
    }
    for (let group = 0; group < groups.length; group++) tableCounts[groups.remote[group]!]! += groups.connections[group]!;
  }
  // Weights per distinct address: one input's table is already distinct; several inputs' tables
  // are merged by address text.
  const addresses: string[] = [];
  const weights: number[] = [];
  const keep = (address: string, weight: number) => {
    if (!isWildcardAddress(address) && (ipv4ToInt(address) >= 0 || parseIpAddress(address))) {
      addresses.push(address);
      weights.push(weight);
    }
  };
  if (byTable.size === 1) {
    const [remotes, tableCounts] = [...byTable][0]!;
    for (let index = 0; index < remotes.length; index++) if (tableCounts[index]! > 0) keep(remotes[index]!, tableCounts[index]!);
  } else {
    const counts = new Map<string, number>();
    for (const [remotes, tableCounts] of byTable) {
      for (let index = 0; index < remotes.length; index++) {
        const count = tableCounts[index]!;
        if (count === 0) continue;
        const address = remotes[index]!;
        counts.set(address, (counts.get(address) ?? 0) + count);
      }
    }
    for (const [address, weight] of counts) keep(address, weight);
  }
  const order = Array.from(addresses, (_, index) => index);
  order.sort((a, b) => weights[b]! - weights[a]! || (addresses[a]! < addresses[b]! ? -1 : addresses[a]! > addresses[b]! ? 1 : 0));
  return order.map((index) => addresses[index]!);
}

/** The real modules, loaded lazily so `--help` never pays for them. */
export async function defaultStages(): Promise<PipelineStages> {
  const [captureModule, geoModule, institutionsModule, rdnsModule, traceRead, traceAttribute, traceVerdict, analyzeModule] = await Promise.all([
    import('./capture/read-tallies.js'),
    import('./enrich/geo/index.js'),
    import('./enrich/geo/institutions.js'),
    import('./enrich/rdns/index.js'),
    import('./trace/read.js'),
    import('./trace/attribute.js'),
    import('./trace/verdict.js'),
    import('./analyze/index.js'),
  ]);
  return {
    readCaptures: (inputs, io, options) =>
      captureModule.readTallies(inputs, { stdin: io.stdin, cwd: io.cwd }, {
        ...(options.inputFormat !== undefined ? { inputFormat: options.inputFormat } : {}),
        ...(options.strict !== undefined ? { strict: options.strict } : {}),
        ...(options.localNets !== undefined ? { localNets: options.localNets } : {}),
        ...(options.indexRows ? { indexRows: true } : {}),
      }),
    openGeo: geoModule.openGeo,
    reverseDnsBatch: rdnsModule.reverseDnsBatch,
    // PTR names are evidence the geo lookup did not have ('.ac.kr' -> academic).
    refineInstitution: (attribution, rdns) => {
      if (!rdns || rdns.names.length === 0 || attribution.special) return attribution;
      const institution = institutionsModule.classifyInstitution({ asn: attribution.asn, asOrg: attribution.asOrg, ptrNames: rdns.names });
      return institution ? { ...attribution, institution } : attribution;
    },
    readTraces: async (paths, io) => {
      const { resolve } = await import('node:path');
      const all: TracePath[] = [];
      for (const path of paths) {
        const result = await traceRead.readTraceFile(resolve(io.cwd, path), { displayName: path });
        // Asked-for evidence that cannot be read is an error, as it is for `netsleuth trace`.
        if (result.paths.length === 0) {
          const first = result.diagnostics[0];
          throw new UserError(first ? `${first.file}:${first.line}: ${first.reason}` : `${path}: no trace found (empty input)`, 2);
        }
        for (const problem of result.diagnostics) warn(io, `${problem.file}:${problem.line}: skipped: ${problem.reason}`);
        all.push(...result.paths);
      }
      return all;
    },
    liveTraces: async (ips, io) => {
      const { runLiveTraces } = await import('./trace/live.js');
      const results = await runLiveTraces(ips, { perTraceTimeoutMs: 60_000, totalTimeoutMs: 300_000, concurrency: 4, env: io.env });
      for (const result of results) {
        if (result.error) warn(io, `trace to ${result.ip}: ${sanitizeText(result.error, 300)}`);
      }
      return results.flatMap((result) => (result.path ? [result.path] : []));
    },
    traceVerdicts: (paths, attributions, geo, rdns) =>
      [...paths].map(([ip, path]): PathEvidence => {
        const attribution = attributions.get(ip) ?? geo.lookup(ip);
        const attributed = traceAttribute.attributePath(path, geo, { rdns });
        return { target: ip, hops: attributed.hops, asPath: attributed.asPath, verdict: traceVerdict.traceVerdict(ip, attribution, path, attributed.hops) };
      }),
    analyze: analyzeModule.analyze,
  };
}
