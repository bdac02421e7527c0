// `parse --summary` for Linux `netstat` and iproute2 `ss` captures: bytes go into the WebAssembly
// row scanner (wasm/socket-rows.ts), which counts the flood rows in its own memory; every line it
// does not take goes, in order and with its line number, through the format's real parser
// (slow-path.ts), so the counts equal those of `parse`. Workers load this file without the parser
// and fetch it only when their range has such a line.
import { readFileSync } from 'node:fs';
import type { ParseDiagnostic } from '../../model/connection.js';
import type { LineParser } from '../parser-types.js';
import { CONNECTION_STATES } from '../../model/connection.js';
import { STATE_COUNT, STATE_INDEX } from '../../model/connection.js';
import { CountTable, LARGE_TABLE_CAPACITY, type SerializedSummary } from './count-table.js';
import { MAX_LINE_BYTES } from './line-assembler.js';
import { SS_STATE_WORDS, lookupState } from '../states.js';
import type { SlowParserFactory } from './slow-path.js';
import { keepDiagnostic, lineText, type SummaryScanner } from './summary-scanners.js';

/** Bytes of input the scanner holds at once (a read chunk plus a carried partial line): a file read's chunk (scan-file.ts). */
const SCANNER_INPUT_BYTES = 1024 * 1024;
const INPUT_REGION_BYTES = SCANNER_INPUT_BYTES + MAX_LINE_BYTES + 1;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
// Both src/capture/summary and dist/capture/summary sit three levels below the package root;
// `npm run build` compiles the AssemblyScript source to dist/wasm.
const WASM_URL = new URL('../../../dist/wasm/socket-rows.wasm', import.meta.url);

// @types/node 20 does not declare the WebAssembly global; this is the part used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

export interface SocketRowsExports {
  memory: { readonly buffer: ArrayBuffer };
  init(inputBytes: number, states: number, unknownIndex: number, initialSlots: number): number;
  stateWordsPointer(): number;
  setStateWordCount(count: number): void;
  ssStateWordsPointer(): number;
  setSsStateWordCount(count: number): void;
  fastLines(): number;
  entries(): number;
  entryKeysPointer(): number;
  entryCountsPointer(): number;
  allocate(bytes: number): number;
  release(pointer: number): void;
  mergeCounts(keys: number, counts: number, entries: number): void;
  scan(start: number, end: number): number;
  scanSs(start: number, end: number): number;
  // Tally mode (capture/socket-row-wasm-tally.ts).
  initTally(listenIndex: number, initialGroupSlots: number): void;
  setNetstatColumns(programs: boolean, fast: boolean): void;
  groupsLength(): number;
  groupsOut(): number;
  groupStatesPointer(): number;
  resetGroups(): void;
  mergeGroup(remote: number, key: number, program: number, count: number, idle: number): void;
  scanTally(start: number, end: number, ss: boolean): number;
  // The drill-down's row index in tally mode.
  initRowIndex(perRemote: number): void;
  setRowBase(lineBase: number, offsetBase: number): void;
  rowIndexLength(): number;
  rowIndexCountsPointer(): number;
  rowIndexLinesPointer(): number;
  rowIndexOffsetsPointer(): number;
  // parse --summary's CSV rows (capture/output/summary-output.ts).
  csvPrepare(keys: number, counts: number, entries: number): void;
  csvTotalsPointer(): number;
  csvFormat(from: number, to: number, out: number): number;
}

/** What the module asks of its caller (tally mode numbers remotes and programs in the caller's tables). */
export interface SocketRowsImports {
  /** The index of the IPv4 remote (unsigned) in the caller's address table. */
  internRemote(address: number): number;
  /** The index of the program name at [start, end) of the module's memory, -1 for none. */
  internProgram(start: number, end: number): number;
}

const NO_TALLY: SocketRowsImports = {
  internRemote: () => {
    throw new Error('the row scanner is not in tally mode');
  },
  internProgram: () => {
    throw new Error('the row scanner is not in tally mode');
  },
};

let compiled: object | null = null;
let unavailable: string | null = null;

/**
 * Why the WebAssembly scanner cannot run here (not built, or no WebAssembly), or null when it
 * can. Callers then summarise with the parser alone: the same counts, several times slower.
 */
export function socketRowScannerUnavailable(): string | null {
  if (compiled !== null || unavailable !== null) return unavailable;
  try {
    compiled = new WebAssembly.Module(readFileSync(WASM_URL));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    unavailable = code === 'ENOENT' ? `${decodeURIComponent(WASM_URL.pathname)} is missing (run 'npm run build')` : `it does not load here (${(error as Error).message})`;
  }
  return unavailable;
}

/** netstat's state words, with their index in CONNECTION_STATES (UNKNOWN is never printed). */
const NETSTAT_STATE_WORDS = CONNECTION_STATES.filter((state) => state !== 'UNKNOWN').map((word) => ({ word, index: STATE_INDEX[word] }));
/** ss's, with the index of the state they mean (as ss.ts reads them). */
const SS_STATE_INDEXES = SS_STATE_WORDS.map((word) => ({ word, index: STATE_INDEX[lookupState(word) ?? 'UNKNOWN'] }));

/** 16 bytes a word: [length, state index, the word]. */
function writeStateWords(view: Buffer, pointer: number, words: readonly { word: string; index: number }[]): void {
  words.forEach(({ word, index }, at) => {
    view[pointer + at * 16] = word.length;
    view[pointer + at * 16 + 1] = index;
    view.write(word, pointer + at * 16 + 2, 'latin1');
  });
}

/**
 * A fresh instance of the row scanner with both formats' state words set up, and the input
 * region its caller writes lines into.
 */
export function createSocketRows(initialSlots: number, imports: SocketRowsImports = NO_TALLY): { rows: SocketRowsExports; input: number } {
  const reason = socketRowScannerUnavailable();
  if (reason !== null || compiled === null) throw new Error(`the WebAssembly row scanner is unavailable: ${reason}`);
  const rows = new WebAssembly.Instance(compiled, { env: imports }).exports as unknown as SocketRowsExports;
  const input = rows.init(INPUT_REGION_BYTES, STATE_COUNT, STATE_INDEX.UNKNOWN, initialSlots);
  const view = Buffer.from(rows.memory.buffer);
  writeStateWords(view, rows.stateWordsPointer(), NETSTAT_STATE_WORDS);
  rows.setStateWordCount(NETSTAT_STATE_WORDS.length);
  writeStateWords(view, rows.ssStateWordsPointer(), SS_STATE_INDEXES);
  rows.setSsStateWordCount(SS_STATE_INDEXES.length);
  return { rows, input };
}

/**
 * Bytes in arbitrary chunks -> the module's input region, whole lines at a time: `scan` takes
 * what it can from [start, end) and returns where it stopped; the line there goes to `slowLine`
 * (cut as LineAssembler cuts it) and scanning resumes after it. Only an unfinished line is
 * carried over to the next chunk.
 */
export class SocketRowsFeed {
  /** A view of the module's memory; memory.grow() detaches the old one. */
  #view: Buffer;
  /** Bytes of an unfinished line at the start of the input region. */
  #carried = 0;
  /** Inside a line longer than MAX_LINE_BYTES: its first MAX_LINE_BYTES went out, the rest is dropped. */
  #dropping = false;
  /** Where in the whole stream the byte at the input region's start is. */
  #regionOffset = 0;

  constructor(
    private readonly rows: SocketRowsExports,
    private readonly input: number,
    private readonly scan: (start: number, end: number) => number,
    private readonly slowLine: (view: Buffer, start: number, end: number) => void,
  ) {
    this.#view = Buffer.from(rows.memory.buffer);
  }

  write(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) {
      const take = Math.min(chunk.length - at, INPUT_REGION_BYTES - this.#carried);
      this.view().set(chunk.subarray(at, at + take), this.input + this.#carried);
      at += take;
      this.#consume(this.#carried + take);
    }
  }

  /** The free part of the input region (at most maxBytes, at least 1 byte) to read into directly; then commit(). */
  window(maxBytes: number): Buffer {
    const start = this.input + this.#carried;
    return this.view().subarray(start, start + Math.max(1, Math.min(maxBytes, INPUT_REGION_BYTES - this.#carried)));
  }

  /** The first `bytes` of the last window() hold new input. */
  commit(bytes: number): void {
    this.#consume(this.#carried + bytes);
  }

  /** After the last chunk: a last line without a newline still counts. */
  flushLastLine(): void {
    if (this.#carried > 0 && !this.#dropping) {
      this.view()[this.input + this.#carried] = NEWLINE;
      this.#consume(this.#carried + 1);
    }
    this.#carried = 0;
    this.#dropping = false;
  }

  /** The stream offset of the byte at `address` of the module's memory (inside the input region). */
  offsetOf(address: number): number {
    return this.#regionOffset + address - this.input;
  }

  view(): Buffer {
    if (this.#view.buffer !== this.rows.memory.buffer) this.#view = Buffer.from(this.rows.memory.buffer);
    return this.#view;
  }

  /**
   * Handle the `length` bytes at the input region's start (the carried part of a line, then new
   * bytes); keep an unfinished line there. Searches only the new bytes: the carry has no newline.
   */
  #consume(length: number): void {
    const end = this.input + length;
    const fresh = this.input + this.#carried;
    let position = this.input;
    let view = this.view();
    if (this.#dropping) {
      const newline = view.subarray(fresh, end).indexOf(NEWLINE);
      if (newline < 0) {
        this.#carried = 0;
        this.#regionOffset += length;
        return;
      }
      this.#dropping = false;
      position = fresh + newline + 1;
    }
    const lastNewline = view.subarray(Math.max(position, fresh), end).lastIndexOf(NEWLINE);
    const wholeLinesEnd = lastNewline >= 0 ? Math.max(position, fresh) + lastNewline + 1 : position;
    while (position < wholeLinesEnd) {
      position = this.scan(position, wholeLinesEnd);
      if (position >= wholeLinesEnd) break;
      view = this.view();
      const newline = view.indexOf(NEWLINE, position);
      this.#slow(view, position, newline);
      position = newline + 1;
    }
    view = this.view();
    const rest = end - wholeLinesEnd;
    if (rest > MAX_LINE_BYTES + 1) {
      // As LineAssembler: an overlong line is cut at MAX_LINE_BYTES and the rest dropped, so a
      // newline-free binary file cannot grow memory.
      this.#slow(view, wholeLinesEnd, wholeLinesEnd + MAX_LINE_BYTES);
      this.#dropping = true;
      this.#carried = 0;
      this.#regionOffset += length;
      return;
    }
    if (wholeLinesEnd > this.input) view.copyWithin(this.input, wholeLinesEnd, end);
    this.#carried = rest;
    this.#regionOffset += wholeLinesEnd - this.input;
  }

  #slow(view: Buffer, start: number, end: number): void {
    if (end > start && view[end - 1] === CARRIAGE_RETURN) end--;
    if (end - start > MAX_LINE_BYTES) end = start + MAX_LINE_BYTES;
    this.slowLine(view, start, end);
  }
}

/** The formats the row scanner reads. */
export type SocketRowFormat = 'netstat-linux' | 'ss';

export function isSocketRowFormat(format: string): format is SocketRowFormat {
  return format === 'netstat-linux' || format === 'ss';
}

export class SocketRowScanner implements SummaryScanner {
  readonly diagnostics: ParseDiagnostic[] = [];
  diagnosticCount = 0;
  private slowLines = 0;
  private slow: LineParser | null = null;
  /** Lines waiting for the parser (workers attach it on demand). */
  private pending: { text: string; line: number }[] = [];
  private readonly rows: SocketRowsExports;
  private readonly feed: SocketRowsFeed;
  private finished = false;

  /**
   * `table` receives the parser's rows at once and, at finish(), everything the WebAssembly side
   * counted (see CountTable.absorb): read it after finish().
   */
  constructor(
    readonly rowFormat: SocketRowFormat,
    private readonly file: string,
    readonly table: CountTable = new CountTable(),
    slowParser?: SlowParserFactory,
    initialSlots = LARGE_TABLE_CAPACITY,
  ) {
    const { rows, input } = createSocketRows(initialSlots);
    this.rows = rows;
    this.feed = new SocketRowsFeed(rows, input, rowFormat === 'ss' ? rows.scanSs : rows.scan, (view, start, end) => this.slowLine(view, start, end));
    if (slowParser) this.attachSlowParser(slowParser);
  }

  get lines(): number {
    return this.rows.fastLines() + this.slowLines;
  }

  /** Lines the WebAssembly scanner counted itself (the rest went through the parser). */
  get fastLineCount(): number {
    return this.rows.fastLines();
  }

  get pendingLines(): number {
    return this.pending.length;
  }

  attachSlowParser(factory: SlowParserFactory): void {
    this.slow = factory(this.file, this.table, (diagnostic) => keepDiagnostic(this, diagnostic));
    for (const { text, line } of this.pending) this.slow.line(text, line);
    this.pending = [];
  }

  write(chunk: Uint8Array): void {
    this.feed.write(chunk);
  }

  window(maxBytes: number): Uint8Array {
    return this.feed.window(maxBytes);
  }

  commit(bytes: number): void {
    this.feed.commit(bytes);
  }

  /** After the last chunk: a last line without a newline still counts. */
  flushLastLine(): void {
    this.feed.flushLastLine();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.flushLastLine();
    if (this.pending.length > 0) throw new Error('SocketRowScanner: lines pending without a parser');
    this.slow?.end();
    this.table.absorb(this.scannedTable());
  }

  /** Add another scanner's counts (a worker's serialized table) before finish(). */
  addCounts(other: SerializedSummary): void {
    const entries = other.ipv4Keys.length;
    if (entries > 0) {
      const keys = this.rows.allocate(other.ipv4Keys.byteLength);
      const counts = this.rows.allocate(other.ipv4Counts.byteLength);
      const memory = this.rows.memory.buffer;
      new Uint32Array(memory, keys, entries).set(other.ipv4Keys);
      new Uint32Array(memory, counts, entries * STATE_COUNT).set(other.ipv4Counts);
      this.rows.mergeCounts(keys, counts, entries);
      this.rows.release(counts);
      this.rows.release(keys);
    }
    if (other.text.length > 0) this.table.merge({ ipv4Keys: new Uint32Array(0), ipv4Counts: new Uint32Array(0), text: other.text });
  }

  private slowLine(view: Buffer, start: number, end: number): void {
    const lineNumber = this.rows.fastLines() + ++this.slowLines;
    const text = lineText(view, start, end);
    if (this.slow) this.slow.line(text, lineNumber);
    else this.pending.push({ text, line: lineNumber });
  }

  /** The rows counted in WebAssembly memory, copied out. */
  private scannedTable(): SerializedSummary {
    const memory = this.rows.memory.buffer;
    const entries = this.rows.entries();
    return {
      ipv4Keys: new Uint32Array(memory, this.rows.entryKeysPointer(), entries).slice(),
      ipv4Counts: new Uint32Array(memory, this.rows.entryCountsPointer(), entries * STATE_COUNT).slice(),
      text: [],
    };
  }
}
