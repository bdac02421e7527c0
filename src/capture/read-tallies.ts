// The I/O edge of the investigation: every input (files, `-`/stdin, gzip) streamed into snapshot
// tallies (model/tally.ts). Nothing is kept per row, so there is no size limit: memory grows with
// the distinct groups of each snapshot. The bytes are hashed as they pass (the report's evidence).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import type { ParseDiagnostic } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { createLineParser } from './line-parser.js';
import { DETECT_SAMPLE_CHARS, chooseCaptureFormat, forcedFormatMismatch } from './parse-capture-text.js';
import type { CaptureFormat, LineParser } from './parser-types.js';
import { STDIN_NAME, strictError, type ReadCapturesOptions, type ReadInputsIo } from './read-inputs.js';
import { LineAssembler } from './summary/line-assembler.js';
import { lineText } from './summary/summary-scanners.js';
import { SocketRowTallyScanner, hasSocketRowTally } from './socket-row-tally.js';
import { WasmSocketRowTallyScanner } from './socket-row-wasm-tally.js';
import { socketRowScannerUnavailable } from './summary/socket-row-scanner.js';
import { RowIndexRecorder } from './row-index.js';
import { TallySink } from './tally-sink.js';
import { openDecodedStream, type Compression } from './decoded-stream.js';
import { decodeText, isBzip2, isGzip } from './decode-bytes.js';
import { FileRangeReader, READ_CHUNK_BYTES } from './summary/scan-file.js';

/** Bytes of one input in, rows into the sink; `lines` counts every line seen. */
export interface TallyScanner {
  readonly lines: number;
  write(chunk: Uint8Array): void;
  /** Optional: a window into the scanner's own memory to read into, then commit() (scan-file.ts). */
  window?(maxBytes: number): Uint8Array;
  commit?(bytes: number): void;
  finish(): void;
}

/** Any registered format: each line through the format's own parser, each row tallied and dropped. */
export class ParserTallyScanner implements TallyScanner {
  lines = 0;
  readonly #parser: LineParser;
  readonly #assembler = new LineAssembler(this);

  constructor(format: CaptureFormat, file: string, private readonly sink: TallySink) {
    this.#parser = createLineParser(format, file, sink);
  }

  write(chunk: Uint8Array): void {
    this.#assembler.write(chunk);
  }

  byteLine(buffer: Uint8Array, start: number, end: number): void {
    this.lines++;
    // A UTF-8 BOM at the very start is not part of the first line.
    if (this.lines === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    this.sink.rowIndex?.parserLine(this.lines, this.#assembler.lineOffset, buffer, start, end);
    this.#parser.line(lineText(buffer, start, end), this.lines);
  }

  finish(): void {
    this.#assembler.end();
    this.sink.rowIndex?.parserEnd();
    this.#parser.end();
  }
}

export type TallyScannerFactory = (format: CaptureFormat, file: string, sink: TallySink) => TallyScanner;

export const parserTallyScanner: TallyScannerFactory = (format, file, sink) => new ParserTallyScanner(format, file, sink);

/**
 * netstat and ss through the WebAssembly row scanner where it runs (it records the drill-down's row
 * index too; an input that cannot be read again, stdin, keeps its rows' bytes, which the JavaScript
 * scanner does), every other format through its parser.
 */
export const defaultTallyScanner: TallyScannerFactory = (format, file, sink) => {
  if (!hasSocketRowTally(format.name)) return new ParserTallyScanner(format, file, sink);
  if (!sink.rowIndex?.keep && socketRowScannerUnavailable() === null) return new WasmSocketRowTallyScanner(format, file, sink);
  return new SocketRowTallyScanner(format, file, sink);
};

export interface ReadTalliesOptions extends ReadCapturesOptions {
  /** How rows of a format are read (default: the byte scanner for netstat and ss, else the parser). */
  scannerFor?: TallyScannerFactory;
}

/** Read every input, in order, as snapshot tallies (a console log of dated tables gives several). */
export async function readTallies(inputs: string[], io: ReadInputsIo, options: ReadTalliesOptions = {}): Promise<SnapshotTally[]> {
  const names = inputs.length === 0 ? [STDIN_NAME] : inputs;
  if (names.filter((name) => name === STDIN_NAME).length > 1) throw new UserError("'-' (stdin) can be given only once");
  const tallies: SnapshotTally[] = [];
  for (const name of names) tallies.push(...(await readInputTallies(name, io, options)));
  return tallies;
}

interface OpenedInput {
  stream: Readable;
  /** A regular file that can be read again (the drill-down does), else null. */
  path: string | null;
  mtimeMs: number | null;
}

async function openInput(name: string, io: ReadInputsIo): Promise<OpenedInput> {
  if (name === STDIN_NAME) return { stream: io.stdin, path: null, mtimeMs: null };
  const path = resolve(io.cwd, name);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${name}: is a directory, not a capture file`);
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    // Open errors arrive as stream errors; wait for the open so they name the file here.
    await new Promise<void>((resolveOpen, reject) => {
      stream.once('open', () => resolveOpen());
      stream.once('error', reject);
    });
    return info.isFile() ? { stream, path, mtimeMs: info.mtimeMs } : { stream, path: null, mtimeMs: null };
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UserError(`${name}: cannot read (${reason})`);
  }
}

interface InputBytes {
  compression: Compression;
  sampleText: string;
  /** Every decoded byte into the scanner (binary data refused as decoded-stream.ts refuses it). */
  feed(scanner: TallyScanner): Promise<void>;
}

/** A regular file's first bytes, or null when it is compressed (gzip and bzip2 are streamed). */
function plainFileHead(path: string): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.allocUnsafe(DETECT_SAMPLE_CHARS);
    const read = readSync(fd, head, 0, head.length, 0);
    return isGzip(head.subarray(0, read)) || isBzip2(head.subarray(0, read)) ? null : head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Chunks between turns of the event loop (the TUI's loading screen keeps moving). */
const CHUNKS_PER_TURN = 8;

/**
 * An uncompressed regular file is read with one reused window (the WebAssembly scanner's own
 * input region when it offers one): a stream's fresh 1 MiB buffer per chunk had this VM fault in
 * as much memory as the file's size.
 */
function plainFileInput(path: string, head: Buffer, name: string, rawBytes: (bytes: Uint8Array) => void): InputBytes {
  return {
    compression: 'none',
    sampleText: decodeText(head),
    feed: async (scanner) => {
      const reader = new FileRangeReader(path, 0, Number.POSITIVE_INFINITY, name, READ_CHUNK_BYTES, rawBytes);
      try {
        for (let chunks = 1; reader.readInto(scanner); chunks++) {
          if (chunks % CHUNKS_PER_TURN === 0) await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
        }
      } finally {
        reader.close();
      }
    },
  };
}

async function streamedInput(stream: Readable, name: string, rawBytes: (bytes: Uint8Array) => void): Promise<InputBytes> {
  const rawChunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const raw: AsyncIterator<Uint8Array> = {
    next: async () => {
      const next = await rawChunks.next();
      if (next.done) return next;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      rawBytes(chunk);
      return { done: false, value: chunk };
    },
  };
  const { compression, sampleText, chunks } = await openDecodedStream(raw, name);
  return {
    compression,
    sampleText,
    feed: async (scanner) => {
      for await (const chunk of chunks) scanner.write(chunk);
    },
  };
}

async function readInputTallies(name: string, io: ReadInputsIo, options: ReadTalliesOptions): Promise<SnapshotTally[]> {
  const opened = await openInput(name, io);
  const stream = opened.stream;
  const hash = createHash('sha256');
  let sizeBytes = 0;
  // Every raw byte is hashed and counted on its way in, gzip or not.
  const rawBytes = (bytes: Uint8Array) => {
    hash.update(bytes);
    sizeBytes += bytes.length;
  };
  try {
    const head = opened.path === null ? null : plainFileHead(opened.path);
    const { compression, sampleText, feed } = head === null ? await streamedInput(stream, name, rawBytes) : plainFileInput(opened.path!, head, name, rawBytes);
    const format = chooseCaptureFormat(sampleText, name, options.inputFormat);
    const sink = new TallySink(options.localNets);
    if (options.indexRows) sink.rowIndex = new RowIndexRecorder(opened.path === null);
    const scanner = (options.scannerFor ?? defaultTallyScanner)(format, name, sink);
    await feed(scanner);
    scanner.finish();
    const tallies = sink.finish({ path: name, sizeBytes, sha256: hash.digest('hex'), format: format.name, lines: scanner.lines });
    if (sink.rowIndex) {
      const rows = sink.rowIndex.finish({
        file: name,
        path: opened.path,
        compression,
        sizeBytes,
        mtimeMs: opened.mtimeMs,
        format: format.name,
        remotes: sink.remotes.values,
        ...(options.localNets ? { localNets: options.localNets } : {}),
      });
      for (const tally of tallies) tally.rows = rows;
    }
    const firstTally = tallies[0];
    if (options.inputFormat !== undefined && firstTally && tallies.every((tally) => tally.info.parsed === 0 && tally.info.skipped === 0)) {
      const mismatch = forcedFormatMismatch(sampleText, format.name, name, scanner.lines);
      if (mismatch) {
        firstTally.diagnostics.push(mismatch);
        firstTally.info.skipped++;
      }
    }
    if (options.strict) {
      const total = tallies.reduce((sum, tally) => sum + tally.info.skipped, 0);
      if (total > 0) throw strictError(tallies.flatMap((tally): ParseDiagnostic[] => tally.diagnostics), total);
    }
    return tallies;
  } finally {
    if (name !== STDIN_NAME) stream.destroy();
  }
}
