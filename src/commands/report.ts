// `netsleuth report`: captures -> investigation -> markdown / JSON / CSV (+ SVG map beside the file).
import { access } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ANALYSIS_ARG_OPTIONS, analysisArgsFromValues } from './analysis-args.js';
import { parseLocalNets } from '../capture/gateway-sides.js';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { DRAFT_ARG_OPTIONS, DRAFT_HEADING, validateDraftArgs, writeAbuseDrafts } from './report-drafts.js';
import { NETWORK_ARG_OPTIONS, networkFindingOptionsFromValues } from '../enrich/network/cli-options.js';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { DEFAULT_LIVE_TRACE_LIMIT, investigate } from '../pipeline.js';
import { REPORT_RENDERERS, findRenderer, type ReportFormat } from '../report/renderers/index.js';
import { releaseJsonBuffer } from '../report/renderers/json-sink.js';
import { DEFAULT_TOP_REMOTES } from '../report/renderers/markdown.js';
import { HTML_ROW_REMOTES } from '../model/capture-rows.js';
import { resolveReportTime } from '../report/report-time.js';
import type { RdnsProgress } from '../model/services.js';
import { escapedWrite, note, trustedWrite, warn } from '../output/safe-stream.js';
import { stageLabel } from '../output/stage-labels.js';
import { rdnsFailureSummary } from '../enrich/rdns/rdns-failures.js';
import type { CommandRun } from './types.js';
import { FLEET_ARG_OPTIONS, FLEET_HEADING, investigateFleet, wantsFleet } from '../store/fleet-report.js';
import { formatProgress } from '../enrich/rdns/progress.js';

const OUTPUT_OPTIONS = {
  output: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE instead of stdout (refuses to overwrite; see --force)' },
  format: {
    type: 'string',
    short: 'f',
    arg: 'FORMAT',
    help: ['default: from the -o extension, else md', ...REPORT_RENDERERS.map((renderer) => `${renderer.format.padEnd(5)} ${renderer.description}`)].join('\n'),
  },
  force: { type: 'boolean', help: 'replace an existing output file (and its map)' },
  map: { type: 'boolean', help: `write an SVG map of the sources beside the output (FILE.svg);
default on with -o and markdown; needs -o` },
  'no-map': { type: 'boolean', helpWith: 'map' },
  top: { type: 'string', arg: 'N', help: `remotes in the markdown table (default ${DEFAULT_TOP_REMOTES}; JSON/CSV list all)` },
  now: { type: 'string', arg: 'ISO', help: 'fix the report time (else SOURCE_DATE_EPOCH, else the clock)' },
} as const satisfies OptionTable;

const INPUT_OPTIONS = {
  'input-format': { type: 'string', arg: 'NAME', help: "force a capture parser (see 'netsleuth parse --help')" },
  strict: { type: 'boolean', help: 'fail on the first unparseable line' },
  'local-net': { type: 'string', multiple: true, arg: 'CIDR', help: `a gateway's inside networks (repeatable): in a conntrack capture the
remote is the side outside them (default: private ranges, plus the
router's own addresses as its NAT shows them)` },
  traces: { type: 'string', multiple: true, arg: 'FILE', help: 'saved traceroute/mtr/tracert/tracepath output to attach (repeatable)' },
} as const satisfies OptionTable;

const TRACE_OPTIONS = {
  trace: { type: 'boolean', help: `live traceroutes to the ${DEFAULT_LIVE_TRACE_LIMIT} heaviest public remotes (off by default)` },
  'no-trace': { type: 'boolean', help: 'no live traceroutes (the default)' },
} as const satisfies OptionTable;

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  { heading: 'output:', options: OUTPUT_OPTIONS },
  { heading: 'input:', options: INPUT_OPTIONS },
  { heading: 'enrichment:', options: { ...RDNS_ARG_OPTIONS, ...GEO_ARG_OPTIONS, ...TRACE_OPTIONS, ...NETWORK_ARG_OPTIONS } },
  { heading: DRAFT_HEADING, options: DRAFT_ARG_OPTIONS },
  { heading: 'analysis:', options: ANALYSIS_ARG_OPTIONS },
  { heading: FLEET_HEADING, options: FLEET_ARG_OPTIONS },
]);

export const options: OptionTable = OPTIONS;

export const usage = `usage: netsleuth report [FILES|-] [options]
       netstat -tan | netsleuth report > report.md
       netsleuth report --store STORE [--host H]... [--since T] [--until T] [options]

Reads captures (netstat, ss, /proc/net/tcp, ... or stdin when piped), enriches every
remote address (geo, ASN, institution, reverse DNS), analyses them and writes one report.

${OPTIONS_HELP}`;

function chooseFormat(formatArg: string | undefined, output: string | undefined): ReportFormat {
  if (formatArg !== undefined) {
    const renderer = findRenderer(formatArg === 'markdown' ? 'md' : formatArg);
    if (!renderer) throw new UserError(`--format '${formatArg}' is not one of ${REPORT_RENDERERS.map((r) => r.format).join(', ')}`, 2);
    return renderer.format;
  }
  const extension = output ? extname(output).toLowerCase() : '';
  return REPORT_RENDERERS.find((renderer) => renderer.extension === extension)?.format ?? 'md';
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TOP_REMOTES;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new UserError(`--top '${text}' must be a whole number of at least 1`, 2);
  return Number(text);
}

/** report.md -> report.svg; report -> report.svg. */
export function mapPathFor(output: string): string {
  const extension = extname(output);
  return `${extension ? output.slice(0, -extension.length) : output}.svg`;
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const output = values.output;
  const format = chooseFormat(values.format, output);
  const now = resolveReportTime(values.now, io.env);
  if (values.map && values['no-map']) throw new UserError('--map and --no-map contradict each other', 2);
  if (values.trace && values['no-trace']) throw new UserError('--trace and --no-trace contradict each other', 2);
  if (values.map && !output) throw new UserError('--map writes the map beside the report: give -o FILE', 2);
  const writeMap = Boolean(output) && !values['no-map'] && (values.map === true || format === 'md');
  const topRemotes = parseTop(values.top);
  const analysisArgs = analysisArgsFromValues(values);
  // --offline: every feature that talks to the network is off, whatever else was asked.
  const offline = values.offline === true;
  const rdns = offline ? null : rdnsOptionsFromValues(values, io.env);
  const localNets = values['local-net'];
  if (localNets) parseLocalNets(localNets);
  validateDraftArgs(values, values.rdap === true || values['rdap-cache-only'] === true);
  const networkFindings = await networkFindingOptionsFromValues(values, { env: io.env, cwd: io.cwd, warn: (message) => warn(io, message) });

  const fleet = wantsFleet(values);
  if (fleet && positionals.length > 0) throw new UserError('give capture files or --store, not both', 2);
  const inputs = positionals.length > 0 ? positionals : ['-'];
  if (!fleet && inputs.includes('-') && io.stdin.isTTY) {
    throw new UserError("no input: give capture files, or pipe one in (netstat -tan | netsleuth report)", 2);
  }
  const outputPath = output ? resolve(io.cwd, output) : null;
  const mapPath = outputPath && writeMap ? mapPathFor(outputPath) : null;
  if (!values.force) {
    // Fail before the (possibly long) investigation, not after it.
    for (const [path, shown] of [[outputPath, output], [mapPath, mapPath && output ? mapPathFor(output) : null]] as const) {
      if (path && (await exists(path))) throw new UserError(`${shown}: already exists; not overwriting it (use --force to replace it)`, 2);
    }
  }

  const showProgress = Boolean(io.stderr.isTTY);
  const investigateOptions = {
    ...(values['input-format'] !== undefined ? { inputFormat: values['input-format'] } : {}),
    strict: values.strict ?? false,
    ...(localNets ? { localNets } : {}),
    rdns,
    trace: values.trace === true && !offline,
    traceFiles: values.traces ?? [],
    geoDir: geoDirFromValues(values, io.env),
    ...analysisArgs,
    now,
    networkFindings,
    // The page's host panel lists each heaviest remote's first capture rows.
    ...(format === 'html' ? { captureRows: HTML_ROW_REMOTES } : {}),
    ...(showProgress ? { onProgress: progressPrinter(io.stderr) } : {}),
  };
  const investigateIo = { stdin: io.stdin, stderr: io.stderr, env: io.env, cwd: io.cwd };
  const report = fleet
    ? await investigateFleet(values, investigateOptions, investigateIo)
    : await investigate({ inputs, ...investigateOptions }, investigateIo);

  // Written all the same, but a partial result is exit 1 (README: exit codes).
  const rdnsFailed = rdns ? rdnsFailureSummary(report.analysis.rdnsCounts, 'remotes') : null;
  const partial = rdnsFailed === null ? 0 : 1;
  const renderer = findRenderer(format);
  if (!renderer) throw new UserError(`unknown format '${format}'`, 2);
  const renderOptions = { topRemotes, mapHref: mapPath ? basename(mapPath) : null };
  if (!outputPath || !output) {
    // JSON comes in pieces made as they are written (a report on 50k remotes is never one string),
    // already terminal-safe: it goes to the stream as it is, not through a second scan.
    if (renderer.renderChunks) await writeEscapedChunks(io.stdout, renderer.renderChunks(report, { ...renderOptions, terminalSafe: true }));
    else io.stdout.write(await renderer.render(report, renderOptions));
    if (rdnsFailed) warn(io, rdnsFailed);
    return Math.max(partial, await writeAbuseDrafts(report, values, io));
  }
  const text = renderer.renderChunks ? renderer.renderChunks(report, renderOptions) : await renderer.render(report, renderOptions);
  const { writeReportFile } = await import('../report/write-output.js');
  const force = values.force === true;
  // The report first: when it cannot be written (a dangling symlink, a directory), no map is left beside it.
  await writeReportFile(outputPath, text, { force, displayName: output });
  if (mapPath) {
    const { renderSvgMap } = await import('../report/renderers/svg-map.js');
    await writeReportFile(mapPath, renderSvgMap(report), { force, displayName: mapPathFor(output) });
  }
  note(io, `wrote ${output}${mapPath ? ` and ${mapPathFor(output)}` : ''}`);
  if (rdnsFailed) warn(io, rdnsFailed);
  return Math.max(partial, await writeAbuseDrafts(report, values, io));
};

/** Pieces written between two turns of the event loop when the stream never asks to wait. */
const WRITES_PER_TURN = 8;

/**
 * Each (already escaped) piece once the stream has room for it (a pipe to `less` or `jq` reads slower
 * than we render); a JSON buffer goes back to the renderer once written, so the next piece reuses it.
 */
async function writeEscapedChunks(stream: NodeJS.WritableStream, chunks: Iterable<string | Uint8Array>): Promise<void> {
  let sinceTurn = 0;
  for (const chunk of chunks) {
    const written = typeof chunk === 'string' ? escapedWrite(stream, chunk) : escapedWrite(stream, chunk, () => releaseJsonBuffer(chunk));
    if (!written) {
      await new Promise<void>((resolveDrain) => stream.once('drain', resolveDrain));
      sinceTurn = 0;
    } else if (++sinceTurn === WRITES_PER_TURN) {
      // A file's writes finish at once but say so on the next turn: let them, so their buffers come back.
      await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
      sinceTurn = 0;
    }
  }
}

/** Terminal progress on stderr: one line per stage; reverse DNS counts redrawn in place, at most 10 times a second. */
export function progressPrinter(stderr: NodeJS.WritableStream): (stage: string, progress?: RdnsProgress) => void {
  let lastStage = '';
  let lastDrawMs = 0;
  return (stage, progress) => {
    if (!progress) {
      stderr.write(`${lastStage === 'rdns' ? '\n' : ''}netsleuth: ${stageLabel(stage)}…\n`);
      lastStage = stage;
      return;
    }
    const nowMs = Date.now();
    if (nowMs - lastDrawMs < 100 && progress.done < progress.total) return;
    lastDrawMs = nowMs;
    lastStage = stage;
    trustedWrite(stderr, `\r\u001b[Knetsleuth: ${formatProgress(progress)}`);
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
