// netsleuth parse: print the normalised connections of captures, or --summary per remote IP.
// Heavy modules load inside run(): `netsleuth parse small.txt` must start fast.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import type { ParseDiagnostic } from '../model/connection.js';
import { warn } from '../output/safe-stream.js';
import { escapeTerminalLine } from '../output/terminal-text.js';
import type { CommandIO, CommandRun } from './types.js';

const OUTPUT_FORMATS = ['json', 'csv', 'table'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Skipped-line messages printed to stderr before the rest are only counted. */
export const MAX_PRINTED_DIAGNOSTICS = 20;

// Kept in sync with src/capture/registry.ts by test/commands/parse.test.ts (importing the
// registry here would load every parser just to print --help).
const INPUT_FORMAT_HELP = `  netsleuth-capture  netsleuth capture files (netsleuth capture, health-check evidence)
  jc-json            JSON from jc's netstat, ss and /proc/net/tcp parsers
  csv                CSV: PowerShell Get-NetTCPConnection | Export-Csv, netsleuth parse --format csv
  proc-net           Linux /proc/net/tcp, tcp6, udp, udp6
  conntrack-xml      conntrack -L -o xml and the -E -o xml event stream (.bz2/.gz read as is)
  nf-conntrack       Linux /proc/net/nf_conntrack (gateway/NAT flow table)
  conntrack          conntrack -L / -E text (and the old /proc/net/ip_conntrack)
  apache-html        Apache server-status HTML page (ExtendedStatus On: one connection per busy worker)
  server-status      Apache / lighttpd server-status?auto (scoreboard: worker counts, no clients)
  powershell         PowerShell Get-NetTCPConnection (table, Format-Table -AutoSize, ConvertTo-Json)
  lsof               lsof Internet files (lsof -i, lsof -nP -i, -F field output)
  sockstat           FreeBSD sockstat (-4, -6, -c, -l, -s)
  netstat-solaris    Solaris / illumos netstat (-an, -n)
  netstat-windows    Windows netstat (-an, -ano, -anob)
  ss                 iproute2 ss (-tan, -tanp, -tuna, -a, -e, -H)
  netstat-bsd        BSD and macOS netstat (-an, -Aa, -anv -p tcp)
  netstat-linux      Linux net-tools netstat (-tan, -tanp, -tunap, -an, -e)`;

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      format: { type: 'string', arg: 'FMT', help: `json (one array for all inputs; default when piped), csv, or
table (default on a terminal)` },
      summary: { type: 'boolean', default: false, help: `one row per remote IP: connection count and counts by state
(what 'netstat -tan | awk | sort | uniq -c' gives), streamed` },
      'input-format': { type: 'string', arg: 'NAME', help: 'skip auto-detection and read every input as NAME' },
      strict: { type: 'boolean', default: false, help: 'garbled lines are fatal (exit 2) instead of skipped with a warning' },
      explain: { type: 'boolean', default: false, help: `say which format each input is read as and why: every format's
detection score, how many lines it reads, the first line it cannot;
for a refused input the three closest formats` },
      'local-net': { type: 'string', multiple: true, arg: 'CIDR', help: `a gateway's inside networks (repeatable): conntrack flows from outside
are turned round so the remote is the outside side (default: private
ranges plus the router's own addresses as its NAT shows them)` },
    },
  },
]);

export const options: OptionTable = OPTIONS;

export const usage = `usage: netsleuth parse [FILES|-] [--format json|csv|table] [--summary] [--input-format NAME] [--strict] [--local-net CIDR]
       netsleuth parse --explain [FILES|-]

Read saved netstat/ss captures (any OS; several files, '-' or a pipe for stdin, .gz
transparently) and print the normalised connections.

${OPTIONS_HELP}

input formats:
${INPUT_FORMAT_HELP}

Skipped lines are reported on stderr as FILE:LINE: reason. Exit codes: 0 ok, 2 bad input/usage.

examples:
  netsleuth parse capture.txt
  netsleuth parse --explain saved-output.txt
  ss -tanp | netsleuth parse --format csv > conns.csv
  netsleuth parse --summary --format table web1-netstat.txt.gz`;

function reportDiagnostics(diagnostics: readonly ParseDiagnostic[], total: number, io: CommandIO): void {
  for (const diagnostic of diagnostics.slice(0, MAX_PRINTED_DIAGNOSTICS)) {
    io.stderr.write(`${escapeTerminalLine(`${diagnostic.file}:${diagnostic.line}: skipped: ${diagnostic.reason}`)}\n`);
  }
  const hidden = total - Math.min(diagnostics.length, MAX_PRINTED_DIAGNOSTICS);
  if (hidden > 0) io.stderr.write(`netsleuth: ${hidden} more skipped line(s) not shown (--strict makes them fatal)\n`);
}

async function writeChunks(chunks: Iterable<string | Uint8Array>, io: CommandIO): Promise<void> {
  for (const chunk of chunks) {
    if (!io.stdout.write(chunk)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
  }
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: OPTIONS,
  });
  if (values.explain) {
    const { readInputText } = await import('../capture/read-inputs.js');
    const { explainDetection, formatExplanation } = await import('../capture/explain-detection.js');
    const inputs = positionals.length === 0 ? ['-'] : positionals;
    for (const input of inputs) {
      const text = await readInputText(input, io);
      const explanation = explainDetection(text, input);
      let hint: string | undefined;
      if (explanation.chosen === null) {
        // Saved traceroutes are the other evidence netsleuth reads: point there instead.
        const { detectTraceFormat, splitTraceLines } = await import('../trace/parse.js');
        const trace = detectTraceFormat(splitTraceLines(text));
        if (trace !== null) hint = `It reads as ${trace} output: use 'netsleuth trace ${input}'`;
      }
      io.stdout.write(formatExplanation(explanation, hint));
    }
    return 0;
  }
  const format = (values.format ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UserError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (got '${values.format}')`);
  const inputFormat = values['input-format'];
  const localNets = values['local-net'];
  if (localNets) (await import('../capture/gateway-sides.js')).parseLocalNets(localNets);
  const options = { strict: values.strict, ...(inputFormat === undefined ? {} : { inputFormat }), ...(localNets ? { localNets } : {}) };

  if (values.summary) {
    const { summarizeInputs } = await import('../capture/summary/summarize-inputs.js');
    const parallelMinBytes = Number(io.env['NETSLEUTH_SUMMARY_PARALLEL_MIN_BYTES']);
    const summary = await summarizeInputs(positionals, io, { ...options, ...(Number.isFinite(parallelMinBytes) && parallelMinBytes > 0 ? { parallelMinBytes } : {}) });
    for (const warning of summary.warnings) warn(io, warning);
    reportDiagnostics(summary.diagnostics, summary.diagnosticCount, io);
    const output = await import('../capture/output/summary-output.js');
    const rows = summary.table.iterateRows();
    if (format === 'json') await writeChunks(output.summaryJsonChunks(rows), io);
    else if (format === 'csv') await writeChunks(output.summaryCsvChunks(summary.table), io);
    else io.stdout.write(output.summaryTable(rows, summary.table.stateTotals()));
    return 0;
  }

  const { readCaptures } = await import('../capture/read-inputs.js');
  const captures = await readCaptures(positionals, io, options);
  const diagnostics = captures.flatMap((capture) => capture.diagnostics);
  reportDiagnostics(diagnostics, diagnostics.length, io);
  const connections = captures.flatMap((capture) => capture.connections);
  const output = await import('../capture/output/connection-output.js');
  if (format === 'json') await writeChunks(output.connectionsJsonChunks(connections), io);
  else if (format === 'csv') await writeChunks(output.connectionsCsvChunks(connections), io);
  else io.stdout.write(output.connectionsTable(connections));
  return 0;
};
