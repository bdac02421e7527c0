// netsleuth tui: investigate the captures, then explore them interactively.
// The first frame comes from the parsed and analysed data; reverse DNS and
// traces fill in behind it. Without a terminal it prints the markdown report.
import { openSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ReadStream as TtyReadStream } from 'node:tty';
import { parseArgs } from 'node:util';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { NETWORK_ARG_OPTIONS, networkFindingOptionsFromValues, rdapOptionsFromValues } from '../enrich/network/cli-options.js';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { warn } from '../output/safe-stream.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { FLEET_ARG_OPTIONS, FLEET_HEADING, investigateFleet, wantsFleet } from '../store/fleet-report.js';
import { resolveReportTime } from '../report/report-time.js';
import { rawStream } from '../output/safe-stream.js';
import type { InputRowIndex, RemoteRows } from '../model/capture-rows.js';
import type { InvestigateOptions } from '../pipeline.js';
import type { ExportRenderers } from '../tui/export.js';
import { ANALYSIS_ARG_OPTIONS, analysisArgsFromValues } from './analysis-args.js';
import type { CommandRun } from './types.js';

const TUI_OPTIONS = {
  trace: { type: 'boolean', help: `also traceroute the 5 busiest remotes in the background
(off by default: live probes reach the remote networks;
t on a host traces that one host when you ask)` },
  'no-trace': { type: 'boolean', help: 'no background traceroutes (the default)' },
  'input-format': { type: 'string', arg: 'NAME', help: 'force a capture parser' },
  'local-net': { type: 'string', multiple: true, arg: 'CIDR', help: `a gateway's inside networks (repeatable; conntrack captures:
the remote is the side outside them; default private ranges)` },
} as const satisfies OptionTable;

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      ...RDNS_ARG_OPTIONS,
      ...GEO_ARG_OPTIONS,
      ...TUI_OPTIONS,
      ...ANALYSIS_ARG_OPTIONS,
      ...NETWORK_ARG_OPTIONS,
      rdap: { type: 'boolean', help: `ask the registries about the heaviest remotes' networks in the
background (w on a host asks about that one host when you ask)` },
      offline: { type: 'boolean', help: `nothing leaves the machine: no DNS, traces or registry questions
(w answers from the RDAP cache only)` },
    },
  },
  { heading: FLEET_HEADING, options: FLEET_ARG_OPTIONS },
]);

export const options: OptionTable = OPTIONS;

export const usage = `usage: netsleuth tui [FILES|-] [options]

Interactive investigation: overview, remotes (sort, / filter), clusters,
host detail with traceroute, timeline, world map. ? shows the keys, q quits.
Without a terminal (piped output) it prints the markdown report instead.

${OPTIONS_HELP}

Keys: Tab/1-5 screens, j/k ↑/↓ move, Enter open, Esc back, / filter, s sort,
r reverse, t trace host, w registry (owner, abuse contact), e export markdown to a new file, ? help, q quit.
Colour follows NO_COLOR.`;

/** Busiest remotes traced in the background when tracing is on. */
const BACKGROUND_TRACES = 5;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const offline = values.offline === true;
  const rdns = offline ? null : rdnsOptionsFromValues(values, io.env);
  const networkFindings = await networkFindingOptionsFromValues(values, { env: io.env, cwd: io.cwd, warn: (message) => warn(io, message) });
  const analysisArgs = analysisArgsFromValues(values);
  const localNets = values['local-net'];
  if (localNets) (await import('../capture/gateway-sides.js')).parseLocalNets(localNets);
  // Opt-in, as in `report`: probing the remotes' networks is an action, not a view.
  const trace = values.trace === true && values['no-trace'] !== true && !offline;
  const fleet = wantsFleet(values);
  if (fleet && positionals.length > 0) throw new UserError('give capture files or --store, not both', 2);
  const inputs = positionals.length === 0 ? ['-'] : positionals;
  const readsStdin = !fleet && inputs.includes('-');
  const { canRunTui } = await import('../tui/start.js');
  // Keys come from the terminal; when the capture arrives on stdin, read keys from /dev/tty instead.
  const keyboard = readsStdin ? openTerminalInput() : (io.stdin as NodeJS.ReadStream);
  const interactive = keyboard !== null && canRunTui(keyboard, io.stdout);
  const base = {
    inputs,
    ...(values['input-format'] ? { inputFormat: values['input-format'] } : {}),
    ...(localNets ? { localNets } : {}),
    geoDir: geoDirFromValues(values, io.env),
    ...analysisArgs,
    now: resolveReportTime(undefined, io.env),
  };
  // While the screen is up, warnings (a skipped geo database) wait: written on it they would tear the
  // frame. They are printed once the screen closes, where they would have been seen before.
  const heldWarnings: Buffer[] = [];
  const investigateIo = {
    stdin: io.stdin,
    stderr: interactive
      ? new Writable({
          write: (chunk: Buffer, _encoding, done) => {
            heldWarnings.push(Buffer.from(chunk));
            done();
          },
        })
      : io.stderr,
    env: io.env,
    cwd: io.cwd,
  };
  const build = async (options: InvestigateOptions) =>
    fleet ? investigateFleet(values, options, investigateIo) : (await import('../pipeline.js')).investigate(options, investigateIo);
  if (!interactive) {
    if (keyboard !== io.stdin) keyboard?.destroy();
    const [{ renderMarkdown }, report] = await Promise.all([import('../report/renderers/markdown.js'), build({ ...base, rdns, trace, networkFindings })]);
    io.stdout.write(renderMarkdown(report));
    return 0;
  }
  // 'w' works without --rdap (a key press is the asking); --offline leaves it the cache.
  const rdapOptions = rdapOptionsFromValues({ ...values, rdap: true }, io.env);
  const { startTuiLoading } = await import('../tui/start.js');
  try {
    // The screen is drawn first and follows the investigation's stages: a big capture never leaves
    // a blank terminal. What only later keys need ('e', 'w', a host's rows) loads when asked for.
    return await startTuiLoading(
      async (onStage) => {
        // Fast first: no DNS, no traces; both run in the background once the UI is up.
        // Blocklists match offline in the first pass; registry questions wait for the screen ('w', --rdap).
        // Where each remote's rows are, so the host screen (and the exported page) can show them.
        let rowIndexes: InputRowIndex[] = [];
        const report = await build({
          ...base,
          rdns: null,
          trace: false,
          networkFindings: { ...networkFindings, rdap: null },
          onRowIndexes: (indexes) => {
            rowIndexes = indexes;
          },
          onProgress: (stage) => onStage(stage),
        });
        const [{ reverseDnsBatch }, { liveTraceRunner }, backgroundNetworks] = await Promise.all([
          import('../enrich/rdns/index.js'),
          import('../tui/wiring.js'),
          networkFindings.rdap
            ? import('../analyze/network-findings.js').then(({ remotesThatMatter }) => remotesThatMatter(report.analysis, networkFindings.rdapTop, networkFindings.rdapLimit))
            : [],
        ]);
        const readRows = async (ips: string[]) => (await import('../capture/read-rows.js')).readRemoteRows(rowIndexes, ips);
        return {
          report,
          rdns: rdns ? { resolver: reverseDnsBatch, options: rdns } : null,
          traceRunner: liveTraceRunner(io.env),
          backgroundTraces: trace ? BACKGROUND_TRACES : 0,
          networkRunner: rdapOptions ? async (ip: string) => (await (await import('../enrich/network/lookup-networks.js')).lookupNetworks([ip], rdapOptions)).networks.get(ip) ?? null : null,
          backgroundNetworks,
          rowReader: rowIndexes.length > 0 ? async (ip: string) => (await readRows([ip])).get(ip)! : null,
          renderers: lazyExportRenderers(rowIndexes.length > 0 ? readRows : null, Math.max(0, ...rowIndexes.map((index) => index.perRemote))),
        };
      },
      {
        stdin: keyboard,
        // ink draws the screen with escape sequences; the text it shows was cleaned in the model.
        stdout: rawStream(io.stdout) as NodeJS.WriteStream,
        env: io.env,
        exportDirectory: io.cwd,
      },
    );
  } finally {
    if (keyboard !== io.stdin) keyboard.destroy();
    if (heldWarnings.length > 0) io.stderr.write(Buffer.concat(heldWarnings).toString('utf8'));
  }
};

/**
 * The renderers 'e' writes with, loaded on the first export. The exported page's host panel lists
 * the heaviest remotes' capture rows, as `report --format html` does.
 */
function lazyExportRenderers(readRows: ((ips: string[]) => Promise<Map<string, RemoteRows>>) | null, perRemote: number): ExportRenderers {
  let loaded: Promise<ExportRenderers> | null = null;
  const renderers = async (): Promise<ExportRenderers> => (loaded ??= import('../tui/wiring.js').then(({ loadExportRenderers }) => loadExportRenderers()));
  return {
    markdown: async (report, mapHref) => (await renderers()).markdown(report, mapHref),
    svgMap: async (report) => (await renderers()).svgMap?.(report) ?? null,
    html: async (shown) => {
      const html = (await renderers()).html;
      if (!html) throw new Error('the HTML renderer is not available');
      if (!readRows) return html(shown);
      const { HTML_ROW_REMOTES } = await import('../model/capture-rows.js');
      const found = await readRows(shown.analysis.remotes.slice(0, HTML_ROW_REMOTES).map((remote) => remote.ip));
      return html({ ...shown, captureRows: { perRemote, remotes: [...found.values()].filter((rows) => rows.total > 0) } });
    },
  };
}

/** The controlling terminal as a key source, or null when there is none. */
function openTerminalInput(): NodeJS.ReadStream | null {
  try {
    const fd = openSync('/dev/tty', 'r');
    return new TtyReadStream(fd);
  } catch {
    return null;
  }
}
