// netsleuth trace: parse saved traceroutes or run live ones, then attribute every hop.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { openGeo } from '../enrich/geo/index.js';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues, type RdnsArgValues } from '../enrich/rdns/cli-options.js';
import { reverseDnsBatch } from '../enrich/rdns/index.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import type { RdnsResult } from '../model/attribution.js';
import type { TracePath } from '../model/trace.js';
import { sanitizeText } from '../net/sanitize.js';
import { trustedWrite } from '../output/safe-stream.js';
import { runLiveTraces, TRACERS, type TracerName } from '../trace/live.js';
import { parseTraceText, type TraceTextResult } from '../trace/parse.js';
import { TRACE_PARSERS } from '../trace/parsers/index.js';
import { decodeTraceBytes, MAX_TRACE_BYTES, readTraceFile } from '../trace/read.js';
import { renderTraceJson } from '../trace/render/json.js';
import { renderTraceMarkdown } from '../trace/render/markdown.js';
import { renderTraceTable } from '../trace/render/table.js';
import { buildTraceEntry, type TraceEntry } from '../trace/trace-report.js';
import type { CommandIO, CommandRun } from './types.js';

const OUTPUT_FORMATS = ['table', 'json', 'md'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    options: {
      'from-file': { type: 'string', multiple: true, arg: 'FILE|-', help: "saved trace(s) to read ('-' = stdin; repeatable)" },
      'input-format': { type: 'string', arg: 'NAME', help: `force a parser: ${TRACE_PARSERS.map((parser) => parser.name).join(', ')}` },
      format: { type: 'string', arg: 'FMT', help: 'table (default), json, md' },
      tracer: { type: 'string', arg: 'NAME', help: `live tracer: ${TRACERS.join(', ')} (default: the first installed)` },
      timeout: { type: 'string', arg: 'MS', help: 'per-trace timeout for live traces (default 60000)' },
      'total-timeout': { type: 'string', arg: 'MS', help: 'timeout for all live traces together (default 300000)' },
      concurrency: { type: 'string', arg: 'N', help: 'live traces run at once (default 4)' },
      'max-hops': { type: 'string', arg: 'N', help: 'live traces: maximum TTL (default 30)' },
      'geo-dir': { ...GEO_ARG_OPTIONS['geo-dir'], help: 'MaxMind databases to use before the embedded data' },
      ...RDNS_ARG_OPTIONS,
      'no-dns': { type: 'boolean', help: 'skip reverse DNS for hops the trace printed no name for' },
      'dns-server': { ...RDNS_ARG_OPTIONS['dns-server'], help: 'resolver for hop names (repeatable)' },
    },
  },
]);

export const usage = `usage: netsleuth trace [IP...] [--from-file FILE|-] [options]

Parse saved traceroute/mtr/tracert/tracepath output, or run live traces to IP addresses,
then attribute every hop (geo, ASN, reverse DNS, hostname location hints) and give a
verdict per destination.

${OPTIONS_HELP}

Examples:
  netsleuth trace --from-file samples/traces/traceroute-snu-silent.txt
  netsleuth trace --no-dns --format json 203.0.113.7
  mtr -n --json 198.51.100.1 | netsleuth trace --from-file - --format md`;

export const options: OptionTable = OPTIONS;

function integerFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UserError(`--${name} '${value}': expected an integer from ${min} to ${max}`, 2);
  return Number(value);
}

async function readStdin(io: CommandIO): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_TRACE_BYTES) throw new UserError(`stdin: more than ${MAX_TRACE_BYTES} bytes of trace input`, 2);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function checkParsed(result: TraceTextResult, file: string, io: CommandIO): TracePath[] {
  if (result.paths.length === 0) {
    const first = result.diagnostics[0];
    if (first) throw new UserError(`${first.file}:${first.line}: ${first.reason}`, 2);
    throw new UserError(`${file}: no trace found (empty input)`, 2);
  }
  for (const problem of result.diagnostics) io.stderr.write(`netsleuth trace: ${problem.file}:${problem.line}: skipped: ${problem.reason}\n`);
  return result.paths;
}

export const run: CommandRun = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  const format = (values.format ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UserError(`--format '${values.format}': expected one of ${OUTPUT_FORMATS.join(', ')}`, 2);
  if (values.tracer !== undefined && !(TRACERS as readonly string[]).includes(values.tracer)) throw new UserError(`--tracer '${values.tracer}': expected one of ${TRACERS.join(', ')}`, 2);
  const inputFormat = values['input-format'];
  if (inputFormat !== undefined && !TRACE_PARSERS.some((parser) => parser.name === inputFormat)) {
    throw new UserError(`--input-format '${inputFormat}': expected one of ${TRACE_PARSERS.map((parser) => parser.name).join(', ')}`, 2);
  }
  const files = values['from-file'] ?? [];
  if (files.length === 0 && positionals.length === 0) throw new UserError(`nothing to trace: give IP addresses or --from-file FILE\n\n${usage}`, 2);
  const perTraceTimeoutMs = integerFlag('timeout', values.timeout, 60_000, 100, 3_600_000);
  const totalTimeoutMs = integerFlag('total-timeout', values['total-timeout'], 300_000, 100, 86_400_000);
  const concurrency = integerFlag('concurrency', values.concurrency, 4, 1, 64);
  const maxHops = integerFlag('max-hops', values['max-hops'], 30, 1, 255);
  const rdnsOptions = rdnsOptionsFromValues(values as RdnsArgValues, io.env);

  const collected: { path: TracePath; error: string | null }[] = [];
  for (const file of files) {
    const result = file === '-'
      ? parseTraceText(decodeTraceBytes(await readStdin(io)), { file: '<stdin>', inputFormat })
      : await readTraceFile(resolve(io.cwd, file), { inputFormat, displayName: file });
    for (const path of checkParsed(result, file, io)) collected.push({ path, error: null });
  }
  let failures = 0;
  if (positionals.length > 0) {
    const results = await runLiveTraces(positionals, {
      tracer: values.tracer as TracerName | undefined,
      perTraceTimeoutMs,
      totalTimeoutMs,
      concurrency,
      maxHops,
      env: io.env,
      onProgress: io.stderr.isTTY
        ? (progress) => {
            trustedWrite(io.stderr, '\r');
            io.stderr.write(`trace ${progress.done}/${progress.total} ${progress.ip} ${progress.ok ? 'done' : 'failed'}   ${progress.done === progress.total ? '\n' : ''}`);
          }
        : undefined,
    });
    for (const result of results) {
      if (result.path) collected.push({ path: result.path, error: result.error });
      else {
        failures++;
        io.stderr.write(`netsleuth trace: ${result.ip}: ${sanitizeText(result.error ?? 'no output')}\n`);
      }
    }
  }

  const geo = await openGeo({ geoDir: geoDirFromValues(values, io.env), env: io.env });
  let rdns: Map<string, RdnsResult> | undefined;
  try {
    if (rdnsOptions) {
      // Only hops the tracer printed no name for (live traces run with -n, so all of them).
      const unnamed = new Set<string>();
      for (const { path } of collected) for (const hop of path.hops) for (const probe of hop.probes) if (probe.ip && !probe.name) unnamed.add(probe.ip);
      if (unnamed.size > 0) rdns = await reverseDnsBatch([...unnamed].sort(), rdnsOptions);
    }
    const entries: TraceEntry[] = collected.map(({ path, error }) => buildTraceEntry(path, geo, rdns, error));
    if (entries.length > 0) {
      const output = format === 'json' ? renderTraceJson(entries) : format === 'md' ? renderTraceMarkdown(entries) : renderTraceTable(entries);
      io.stdout.write(output);
    }
  } finally {
    geo.close();
  }
  return failures > 0 ? 1 : 0;
};
