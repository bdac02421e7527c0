// `netsleuth store add|query`: captures from many hosts into one store (DuckDB or ClickHouse),
// and read-only SQL over it.
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { STDIN_NAME } from '../capture/read-inputs.js';
import { readTallies } from '../capture/read-tallies.js';
import { alignTable } from '../output/align.js';
import { escapeCsvCell } from '../output/escape.js';
import { sanitizeText } from '../net/sanitize.js';
import { parseDurationMs } from '../health/duration.js';
import { trustedWrite } from '../output/safe-stream.js';
import { escapeTerminalText } from '../output/terminal-text.js';
import { chooseHost, isValidHostName } from '../store/host-name.js';
import { StoreLoader, parsedInputOf, type CaptureLoad, type FlushResult, type ParsedInput } from '../store/load-captures.js';
import { ParsePool } from '../store/parse-pool.js';
import { canStartWorkers } from '../running-compiled.js';
import { KnownFiles } from '../store/known-files.js';

import { openStore } from '../store/open-store.js';
import type { QueryResult } from '../store/engine.js';
import type { CommandIO, CommandRun } from './types.js';

/** Parse workers at most (store add over several files): the main thread appends meanwhile. */
const MAX_PARSE_WORKERS = 4;

/**
 * Files of at least this many bytes in all are read on workers: a worker's start costs about
 * 0.15 s of CPU, as much as reading 10 MB (NETSLEUTH_STORE_PARALLEL_MIN_BYTES changes it).
 */
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** The bytes of the inputs that are regular files (the others count nothing). */
async function totalBytes(files: readonly string[], cwd: string): Promise<number> {
  let total = 0;
  for (const file of files) {
    try {
      const info = await stat(resolve(cwd, file));
      if (info.isFile()) total += info.size;
    } catch {
      // Reported when the input is read.
    }
  }
  return total;
}

/** An input made ready ahead of its turn: hashed (it may be stored whole) or parsed. */
type Prepared = { sha256: string } | { parsed: ParsedInput };

/** Tally rows per DuckDB insert (one transaction): about 40 MB of typed columns. */
const DUCKDB_BATCH_ROWS = 1_000_000;

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      store: { type: 'string', arg: 'STORE', help: `duckdb:PATH or FILE.duckdb (DuckDB, in process), or
clickhouse://[user[:password]@]host:port/database (HTTP port);
default: $XDG_DATA_HOME/netsleuth/fleet.duckdb` },
      host: { type: 'string', arg: 'NAME', help: 'host of captures without a netsleuth header (store add)' },
      wait: { type: 'string', arg: 'SECONDS', help: `DuckDB lets one process write a store at a time: while another
holds it, wait this long (default 60; 0 = say it is busy at once)` },
      'input-format': { type: 'string', arg: 'NAME', help: "force a capture parser (store add; see 'netsleuth parse --help')" },
      format: { type: 'string', short: 'f', arg: 'FORMAT', help: 'json, csv or table (store query; default: table on a terminal, else json)' },
    },
  },
]);

export const usage = `usage: netsleuth store add [--store STORE] [--host NAME] [CAPTURES|-]
       netsleuth store query [--store STORE] [--format json|csv|table] SQL

Keeps captures from many hosts in one store, for 'netsleuth report --store' and SQL.

store add      loads captures (files, gzip, stdin, console logs of dated snapshots): one row
               per snapshot in 'snapshots' and its tallies (remote x state x local port x
               program, with counts) in 'tallies'. A snapshot already stored (same sha256 and
               snapshot index) is not added again; a file whose snapshots are all stored
               is known by its sha256 and not read again. The host comes from the netsleuth capture
               header, else --host, else the file name (web1-20261201.txt -> web1).
store query    runs one read-only SQL statement and prints its rows.

${OPTIONS_HELP}

The schema, with example queries, is in the README ("A fleet in one store").`;

export const options: OptionTable = OPTIONS;

/** How long store add and store query wait for a DuckDB store another process holds. */
export const DEFAULT_STORE_WAIT_MS = 60_000;

function waitOptions(text: string | undefined, io: CommandIO): { waitMs: number; onWait: (message: string) => void } {
  const waitMs = text === undefined ? DEFAULT_STORE_WAIT_MS : parseDurationMs(text);
  if (waitMs === null || waitMs > 86_400_000) throw new UserError(`--wait '${sanitizeText(text ?? '', 40)}': give seconds (0 to 86400) or a duration (90s, 5m)`, 2);
  return { waitMs, onWait: (message) => io.stderr.write(`netsleuth: ${message}\n`) };
}

export const run: CommandRun = async (argv, io) => {
  const [action, ...rest] = argv;
  if (action === 'add') return add(rest, io);
  if (action === 'query') return query(rest, io);
  throw new UserError(action ? `store: unknown action '${action}' (add or query)\n\n${usage}` : usage, 2);
};

async function add(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.format !== undefined) throw new UserError('store add: --format is for store query', 2);
  const flagHost = values.host;
  if (flagHost !== undefined && !isValidHostName(flagHost)) throw new UserError(`--host '${sanitizeText(flagHost, 80)}': letters, digits, '.', '-', '_' and ':' only`, 2);
  const inputs = positionals.length > 0 ? positionals : [STDIN_NAME];
  if (inputs.includes(STDIN_NAME) && io.stdin.isTTY) throw new UserError('store add: no input: give capture files, or pipe one in', 2);
  if (inputs.filter((input) => input === STDIN_NAME).length > 1) throw new UserError("'-' (stdin) can be given only once", 2);

  const engine = await openStore(values.store, io.env, io.cwd, waitOptions(values.wait, io));
  // DuckDB commits each append: batch many snapshots per commit. ClickHouse gets one insert per
  // capture, so a failed insert names its capture and the others still load.
  const loader = new StoreLoader(engine, engine.dialect === 'duckdb' ? DUCKDB_BATCH_ROWS : 0);
  let failed = 0;
  let added = 0;
  let storedCount = 0;
  let connections = 0;
  let known = 0;
  const pending = new Map<string, CaptureLoad>();
  const settle = (flushed: FlushResult | null): void => {
    if (!flushed) return;
    if (flushed.racedCopiesRemoved) io.stderr.write(`netsleuth: ${flushed.racedCopiesRemoved} snapshot copies that another loader stored at the same time are being deleted (one copy stays)\n`);
    for (const input of flushed.inputs) {
      const load = pending.get(input);
      pending.delete(input);
      if (!load) continue;
      if (flushed.error) {
        failed++;
        io.stderr.write(`netsleuth: not stored: ${input}: ${flushed.error.message}\n`);
        continue;
      }
      added += load.added;
      connections += load.connections;
    }
  };
  const inputFormat = values['input-format'];
  const files = inputs.filter((input) => input !== STDIN_NAME);
  const parallelMinBytes = Number(io.env['NETSLEUTH_STORE_PARALLEL_MIN_BYTES']);
  const pool =
    files.length >= 2 && canStartWorkers() && (await totalBytes(files, io.cwd)) >= (Number.isFinite(parallelMinBytes) && parallelMinBytes >= 0 ? parallelMinBytes : PARALLEL_MIN_BYTES)
      ? await ParsePool.create(Math.max(1, Math.min(availableParallelism(), MAX_PARSE_WORKERS, files.length)), io.cwd, inputFormat)
      : null;
  const parse = async (input: string): Promise<ParsedInput> =>
    pool && input !== STDIN_NAME
      ? pool.parse(input)
      : parsedInputOf(await readTallies([input], { stdin: io.stdin, cwd: io.cwd }, inputFormat !== undefined ? { inputFormat } : {}));
  try {
    const knownFiles = await KnownFiles.open(engine);
    // Each input is hashed (when it may be stored) or parsed ahead, on the workers, while the
    // main thread stores the ones before it; asking the store stays here, in input order.
    const prepare = async (input: string): Promise<Prepared> => {
      const sha256 = input === STDIN_NAME ? null : await knownFiles.hashIfKnownSize(resolve(io.cwd, input), pool ? (path) => pool.hash(path) : undefined);
      return sha256 ? { sha256 } : { parsed: await parse(input) };
    };
    // Enough parsed ahead to keep the workers busy through a flush (a million rows appended and committed).
    const ahead = pool ? 3 * pool.size : 1;
    // Taken out when its turn comes: a parsed input is megabytes of columns.
    const prepared = new Map<number, Promise<Prepared>>();
    const startPreparing = (index: number): void => {
      const input = inputs[index];
      if (input === undefined) return;
      const promise = prepare(input);
      // Handled when its turn comes; until then a failure must not count as unhandled.
      promise.catch(() => {});
      prepared.set(index, promise);
    };
    for (let index = 0; index < ahead; index++) startPreparing(index);
    for (const [index, input] of inputs.entries()) {
      const shown = sanitizeText(input === STDIN_NAME ? '<stdin>' : input);
      try {
        const preparing = prepared.get(index)!;
        prepared.delete(index);
        const ready = await preparing;
        startPreparing(index + ahead);
        let parsed: ParsedInput;
        if ('sha256' in ready) {
          const whole = await knownFiles.storedWhole(ready.sha256);
          if (whole !== null) {
            known++;
            storedCount += whole;
            io.stderr.write(`netsleuth: ${shown}: already stored (${whole} ${whole === 1 ? 'snapshot' : 'snapshots'}, same sha256), not read again\n`);
            continue;
          }
          parsed = await parse(input);
        } else {
          parsed = ready.parsed;
        }
        const host = chooseHost(parsed.headerHost ?? undefined, flagHost, input);
        if (!host) throw new UserError(`${shown}: cannot tell which host it came from (no netsleuth capture header, no --host, file name not HOST-*.txt)`, 2);
        const { load, flushed } = await loader.add(parsed, host.host, Date.now(), shown);
        storedCount += load.snapshots - load.added;
        if (load.added > 0) pending.set(shown, load);
        const what = load.snapshots === 1 ? 'snapshot' : 'snapshots';
        const failedNow = flushed?.error && flushed.inputs.includes(shown);
        if (!failedNow) {
          io.stderr.write(
            load.added === 0
              ? `netsleuth: ${shown}: already stored (${load.snapshots} ${what}), nothing added\n`
              : `netsleuth: ${shown}: host ${host.host}: ${load.added} of ${load.snapshots} ${what} added, ${load.connections} connections\n`,
          );
        }
        settle(flushed);
      } catch (error) {
        startPreparing(index + ahead);
        if (!(error instanceof UserError)) throw error;
        failed++;
        const message = error.message.startsWith(shown) ? error.message : `${shown}: ${error.message}`;
        io.stderr.write(`netsleuth: not stored: ${message}\n`);
      }
    }
    settle(await loader.flush());
  } finally {
    await pool?.close();
    await engine.close();
  }
  io.stderr.write(`netsleuth: ${engine.display}: ${added} snapshot(s) added, ${storedCount} already there${known > 0 ? ` (${known} known file(s) not read again)` : ''}, ${connections} connections${failed > 0 ? `; ${failed} input(s) not stored` : ''}\n`);
  return failed > 0 ? 1 : 0;
}

type QueryFormat = 'json' | 'csv' | 'table';

async function query(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.host !== undefined || values['input-format'] !== undefined) throw new UserError('store query: --host and --input-format are for store add', 2);
  if (positionals.length !== 1) throw new UserError("store query: give one SQL statement, quoted (netsleuth store query 'SELECT host, count(*) FROM snapshots GROUP BY host')", 2);
  const format = chooseQueryFormat(values.format, io);
  const engine = await openStore(values.store, io.env, io.cwd, { readOnly: true, ...waitOptions(values.wait, io) });
  let result: QueryResult;
  try {
    result = await engine.query(positionals[0]!);
  } finally {
    await engine.close();
  }
  const text = renderQueryResult(result, format);
  // CSV rows end in CRLF (RFC 4180): the cells were escaped already, the CRs are ours.
  if (format === 'csv') trustedWrite(io.stdout, text);
  else io.stdout.write(text);
  return 0;
}

function chooseQueryFormat(text: string | undefined, io: CommandIO): QueryFormat {
  if (text === undefined) return io.stdout.isTTY ? 'table' : 'json';
  if (text === 'json' || text === 'csv' || text === 'table') return text;
  throw new UserError(`--format '${text}' is not one of json, csv, table`, 2);
}

/** Rows as JSON objects, RFC 4180 CSV (formula cells neutralised) or an aligned table. */
export function renderQueryResult(result: QueryResult, format: QueryFormat): string {
  if (format === 'json') {
    const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index] ?? null])));
    return `${JSON.stringify(objects, null, 2)}\n`;
  }
  if (format === 'csv') {
    const cell = (value: unknown): string => {
      if (value === null || value === undefined) return '';
      const text = escapeTerminalText(typeof value === 'string' ? escapeCsvCell(value) : String(value));
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return [result.columns.map(cell), ...result.rows.map((row) => row.map(cell))].map((cells) => cells.join(',')).join('\r\n') + '\r\n';
  }
  const numeric = result.columns.map((_, index) => result.rows.length > 0 && result.rows.every((row) => typeof row[index] === 'number' || row[index] === null));
  const text = (value: unknown): string => (value === null || value === undefined ? '' : sanitizeText(String(value).replace(/[\r\n\t]+/g, ' '), 200));
  return alignTable(result.columns.map(text), result.rows.map((row) => row.map(text)), numeric);
}
