// `parse --summary`: stream every input into one per-remote table without holding its lines.
// Large regular Linux netstat files are split at newlines and scanned on all cores.
import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '../../errors.js';
import type { ParseDiagnostic } from '../../model/connection.js';
import { decodeText, isBzip2, isGzip, } from '../decode-bytes.js';
import { DETECT_SAMPLE_CHARS, chooseCaptureFormat, forcedFormatMismatch } from '../parse-capture-text.js';
import { findCaptureFormat } from '../registry.js';
import { STDIN_NAME, strictError, type ReadCapturesOptions, type ReadInputsIo } from '../read-inputs.js';
import { CountTable, LARGE_TABLE_CAPACITY, type SerializedSummary } from './count-table.js';
import { RemoteSummaryTable } from './remote-summary.js';
import { scanFileRange, splitAtNewlines } from './scan-file.js';
import { ParserSummaryScanner } from './parser-summary-scanner.js';
import { openDecodedStream } from '../decoded-stream.js';
import { slowSummaryParser } from './slow-path.js';
import { SocketRowScanner, isSocketRowFormat, socketRowScannerUnavailable } from './socket-row-scanner.js';
import { MAX_KEPT_DIAGNOSTICS, type SummaryScanner } from './summary-scanners.js';
import type { SummaryWorkerInput } from './summary-worker.js';
import { canStartWorkers } from '../../running-compiled.js';

export interface SummaryOptions extends ReadCapturesOptions {
  /** Regular files at least this big use worker threads (default DEFAULT_PARALLEL_MIN_BYTES, 128 MiB). */
  parallelMinBytes?: number;
  /** Threads to use at most, main included (default: the machine's parallelism, at most 4). */
  threads?: number;
}

export interface SummaryInputInfo {
  path: string;
  format: string;
  lines: number;
}

export interface SummaryResult {
  /** All inputs together; iterate with table.iterateRows(), or table.rows() for small captures. */
  table: RemoteSummaryTable;
  inputs: SummaryInputInfo[];
  /** The first diagnostics (at most MAX_KEPT_DIAGNOSTICS per input). */
  diagnostics: ParseDiagnostic[];
  diagnosticCount: number;
  /** Worth telling the user (the fast scanner was unavailable, say); at most one each. */
  warnings: string[];
}

/**
 * Below this a second thread does not pay: measured on the 2-core target, 1M lines (80 MB) take
 * 94 ms in one thread and 108 ms in two (a worker's start, the merge and memory contention);
 * 3M lines take 237 ms against 175 ms, 10M lines 670 ms against 420 ms.
 */
export const DEFAULT_PARALLEL_MIN_BYTES = 128 * 1024 * 1024;
/** What a worker costs before it scans (thread start, module and WebAssembly load), and the scan rate. */
const WORKER_START_MS = 40;
const SCAN_BYTES_PER_MS = 1_000_000;

interface PartialResult {
  /** null: counted into another partial's table already. */
  table: SerializedSummary | CountTable | null;
  lines: number;
  diagnostics: ParseDiagnostic[];
  diagnosticCount: number;
}

export async function summarizeInputs(inputs: string[], io: ReadInputsIo, options: SummaryOptions = {}): Promise<SummaryResult> {
  const names = inputs.length === 0 ? [STDIN_NAME] : inputs;
  let table: RemoteSummaryTable | null = null;
  const result: Omit<SummaryResult, 'table'> = { inputs: [], diagnostics: [], diagnosticCount: 0, warnings: [] };
  for (const name of names) {
    const { format, partials, sample } = name === STDIN_NAME ? await summarizeStream(io.stdin, name, options) : await summarizeFile(name, io.cwd, options);
    const connectionsBefore = options.inputFormat === undefined ? 0 : connectionCount(table);
    const diagnosticsBefore = result.diagnosticCount;
    let lineOffset = 0;
    for (const partial of partials) {
      // The first table becomes the total: a single-threaded single input needs no merge at all.
      if (table === null && partial.table instanceof RemoteSummaryTable) table = partial.table;
      else if (partial.table instanceof CountTable) (table ??= new RemoteSummaryTable()).merge(partial.table.serialize());
      else if (partial.table !== null) (table ??= new RemoteSummaryTable()).merge(partial.table);
      for (const diagnostic of partial.diagnostics) {
        if (result.diagnostics.length < MAX_KEPT_DIAGNOSTICS) result.diagnostics.push({ ...diagnostic, line: diagnostic.line + lineOffset });
      }
      result.diagnosticCount += partial.diagnosticCount;
      lineOffset += partial.lines;
    }
    result.inputs.push({ path: name, format, lines: lineOffset });
    if (options.inputFormat !== undefined && result.diagnosticCount === diagnosticsBefore && connectionCount(table) === connectionsBefore) {
      const mismatch = forcedFormatMismatch(sample, format, name, lineOffset);
      if (mismatch) {
        if (result.diagnostics.length < MAX_KEPT_DIAGNOSTICS) result.diagnostics.push(mismatch);
        result.diagnosticCount++;
      }
    }
    const unavailable = isSocketRowFormat(format) ? socketRowScannerUnavailable() : null;
    const warning = unavailable && `the WebAssembly row scanner is unavailable (${unavailable}): netstat and ss captures are summarised by the parser alone, several times slower`;
    if (warning && !result.warnings.includes(warning)) result.warnings.push(warning);
    if (options.strict && result.diagnosticCount > 0) throw strictError(result.diagnostics, result.diagnosticCount);
  }
  return { ...result, table: table ?? new RemoteSummaryTable() };
}

function connectionCount(table: RemoteSummaryTable | null): number {
  return table ? table.stateTotals().reduce((sum, count) => sum + count, 0) : 0;
}

/** One input's scan: its format, its partial tables, and the decoded head detection looked at. */
interface InputSummary {
  format: string;
  partials: PartialResult[];
  sample: string;
}

function scannerFor(formatName: string, file: string, localNets?: readonly string[]): SummaryScanner {
  const format = findCaptureFormat(formatName);
  if (!format) throw new UserError(`unknown input format '${formatName}'`);
  return isSocketRowFormat(format.name) && socketRowScannerUnavailable() === null
    ? new SocketRowScanner(format.name, file, new RemoteSummaryTable(LARGE_TABLE_CAPACITY), slowSummaryParser(format.name))
    : new ParserSummaryScanner(format, file, localNets);
}

function partialOf(scanner: SummaryScanner): PartialResult {
  scanner.finish();
  return { table: scanner.table, lines: scanner.lines, diagnostics: scanner.diagnostics, diagnosticCount: scanner.diagnosticCount };
}

async function summarizeFile(name: string, cwd: string, options: SummaryOptions): Promise<InputSummary> {
  const path = resolve(cwd, name);
  let size: number;
  let head: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${name}: is a directory, not a capture file`);
    // A FIFO or `<(…)` has no positions to read the head at (ESPIPE) and its bytes are read once: stream it.
    if (!info.isFile()) {
      const { createReadStream } = await import('node:fs');
      return await summarizeStream(createReadStream(path), name, options);
    }
    size = info.size;
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(DETECT_SAMPLE_CHARS);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${name}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message})`);
  }
  // Pipes and compressed files have no byte ranges to split: stream them.
  if (isGzip(head) || isBzip2(head) || !(await isRegularFile(path))) {
    const { createReadStream } = await import('node:fs');
    return summarizeStream(createReadStream(path), name, options);
  }
  const sample = decodeText(head);
  const format = chooseCaptureFormat(sample, name, options.inputFormat).name;
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 4), 16));
  const workerUrl = new URL('./summary-worker.js', import.meta.url);
  if (!isSocketRowFormat(format) || threads < 2 || !canStartWorkers() || size < (options.parallelMinBytes ?? DEFAULT_PARALLEL_MIN_BYTES) || socketRowScannerUnavailable() !== null) {
    const scanner = scannerFor(format, name, options.localNets);
    scanFileRange(path, 0, size, name, scanner);
    return { format, partials: [partialOf(scanner)], sample };
  }
  // The main thread starts at once, each worker WORKER_START_MS later: for all to finish together
  // the main range is x = (S + (N - 1) * start) / N of a scan taking S.
  const scanMs = size / SCAN_BYTES_PER_MS;
  const ranges = splitAtNewlines(path, size, threads, Math.min(0.9, (1 + ((threads - 1) * WORKER_START_MS) / scanMs) / threads));
  const { Worker } = await import('node:worker_threads');
  const workerResults = ranges.slice(1).map(([start, end]) => new Promise<PartialResult | { refused: string }>((resolveResult, reject) => {
    const input: SummaryWorkerInput = { format, path, file: name, start, end };
    const worker = new Worker(workerUrl, { workerData: input });
    worker.once('message', (message: PartialResult | { refused: string }) => resolveResult(message));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`summary worker exited with code ${code}`)));
  }));
  // The main thread takes the first range while the workers run, then adds their counts to its
  // own WebAssembly table (a native-speed merge) before building the one result table.
  const [firstStart, firstEnd] = ranges[0] ?? [0, size];
  const scanner = new SocketRowScanner(format, name, new RemoteSummaryTable(LARGE_TABLE_CAPACITY), slowSummaryParser(format));
  try {
    scanFileRange(path, firstStart, firstEnd, name, scanner);
  } catch (error) {
    // The workers' answers no longer matter (binary data is refused whole).
    for (const result of workerResults) result.catch(() => {});
    throw error;
  }
  const workerPartials: PartialResult[] = [];
  // In range order, so a refusal names the first NUL byte, as one thread would.
  for (const result of await Promise.all(workerResults)) {
    if ('refused' in result) throw new UserError(result.refused);
    workerPartials.push(result);
  }
  for (const partial of workerPartials) scanner.addCounts(partial.table as SerializedSummary);
  return { format, partials: [partialOf(scanner), ...workerPartials.map((partial) => ({ ...partial, table: null }))], sample };
}

async function isRegularFile(path: string): Promise<boolean> {
  return (await stat(path)).isFile();
}

async function summarizeStream(stream: Readable, name: string, options: SummaryOptions): Promise<InputSummary> {
  const { sampleText, chunks } = await openDecodedStream(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>, name);
  const format = chooseCaptureFormat(sampleText, name, options.inputFormat).name;
  const scanner = scannerFor(format, name, options.localNets);
  for await (const chunk of chunks) scanner.write(chunk);
  return { format, partials: [partialOf(scanner)], sample: sampleText };
}
