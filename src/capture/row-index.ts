// Drill-down without keeping rows: while an input is tallied, remember where each remote's first
// rows are (line number and byte offset), how many it has, and which lines gave the parser its
// context (headers, section titles, time lines). capture/read-rows.ts later re-reads just those
// lines and gives them to the format's own parser, so the rows shown are the parser's rows.
//
// Memory: ROWS_PER_REMOTE slots per distinct remote (typed arrays) plus at most MAX_CONTEXT_RUNS
// runs of context lines, whatever the number of rows. An input that cannot be read again (stdin)
// keeps the rows themselves instead, within the same per-remote bound and a byte budget.
import type { Connection } from '../model/connection.js';
import type { InputRowIndex, KeptRows, RowReplayMode } from '../model/capture-rows.js';
import { stateIndex } from '../model/connection.js';
import { LISTEN_STATE, rowHasPeer } from './tally-builder.js';

/** Rows remembered per remote and input ("first N rows" in the host views). */
export const ROWS_PER_REMOTE = 10;
/** Runs of consecutive context lines kept; beyond them the whole input is read again. */
export const MAX_CONTEXT_RUNS = 4096;
/** Bytes of row and context text an unreadable-again input (stdin) may keep. */
export const MAX_KEPT_TEXT_BYTES = 32 * 1024 * 1024;
/** Parsed rows an unreadable-again input may keep (the parser path gives objects). */
export const MAX_KEPT_CONNECTIONS = 200_000;

const INITIAL_REMOTES = 64;

export class RowIndexRecorder {
  readonly perRemote: number;
  mode: RowReplayMode = 'lines';
  #counts = new Uint32Array(INITIAL_REMOTES);
  #lines: Uint32Array;
  #offsets: Float64Array;
  #context: number[] = [];
  /** The line now in the parser (0: none), its offset, and whether it gave a row. */
  #parserLine = 0;
  #parserOffset = 0;
  /** The parser line's bytes (a view, copied only if it turns out to be context of a kept input). */
  #parserBytes: Uint8Array | null = null;
  #parserRow = false;
  #finished = false;
  readonly #kept: KeptRows | null;
  #keptBytes = 0;
  #keptConnections = 0;

  /** `keep`: the input cannot be read again, so remembered rows are kept here. */
  constructor(readonly keep: boolean, perRemote = ROWS_PER_REMOTE) {
    this.perRemote = perRemote;
    this.#lines = new Uint32Array(INITIAL_REMOTES * perRemote);
    this.#offsets = new Float64Array(INITIAL_REMOTES * perRemote);
    this.#kept = keep ? { connections: new Map(), text: new Map(), complete: true } : null;
  }

  /** A line about to go through the format's parser (bytes only looked at when kept). */
  parserLine(line: number, offset: number, buffer: Uint8Array, start: number, end: number): void {
    this.#closeParserLine();
    this.#parserLine = line;
    this.#parserOffset = offset;
    this.#parserRow = false;
    if (this.#kept) this.#parserBytes = buffer.subarray(start, end);
  }

  /** A row read straight from the bytes (one self-contained line) for remote id `remote`. */
  fastRow(remote: number, line: number, offset: number, buffer: Uint8Array, start: number, end: number): void {
    if (this.#parserLine !== 0) this.#closeParserLine();
    const slot = this.#slot(remote, line, offset);
    if (slot >= 0 && this.#kept) this.#keepText(line, buffer, start, end);
  }

  /** A row the parser gave (TallySink.connection); `remote` is its interned id, -1 without a peer. */
  connection(connection: Connection, remote: number): void {
    const line = connection.source.line;
    if (this.#finished || line !== this.#parserLine || connection.flow) this.mode = 'whole';
    else this.#parserRow = true;
    if (remote < 0) return;
    const slot = this.#slot(remote, line, line === this.#parserLine && !this.#finished ? this.#parserOffset : Number.NaN);
    if (slot >= 0 && this.#kept) {
      if (this.#keptConnections >= MAX_KEPT_CONNECTIONS) {
        this.#kept.complete = false;
        return;
      }
      this.#keptConnections++;
      const list = this.#kept.connections.get(line);
      if (list) list.push(connection);
      else this.#kept.connections.set(line, [connection]);
    }
  }

  /** The parser's end(): rows it gives now needed what came after them. */
  parserEnd(): void {
    this.#closeParserLine();
    this.#finished = true;
  }

  finish(input: Pick<InputRowIndex, 'file' | 'path' | 'compression' | 'sizeBytes' | 'mtimeMs' | 'format' | 'remotes' | 'localNets'>): InputRowIndex {
    this.#closeParserLine();
    const used = input.remotes.length;
    const index: InputRowIndex = {
      ...input,
      mode: this.#context.length / 3 > MAX_CONTEXT_RUNS ? 'whole' : this.mode,
      perRemote: this.perRemote,
      counts: exact(this.#counts, new Uint32Array(used)),
      lines: exact(this.#lines, new Uint32Array(used * this.perRemote)),
      offsets: exact(this.#offsets, new Float64Array(used * this.perRemote)),
      context: Float64Array.from(this.#context),
    };
    if (this.#kept) index.kept = this.#kept;
    return index;
  }

  /**
   * Rows another reader of the same input recorded (the WebAssembly scanner's), in this layout by
   * remote id: counts add up, and each remote keeps its first perRemote rows of both, by line.
   */
  mergeRows(counts: Uint32Array, lines: Uint32Array, offsets: Float64Array): void {
    const per = this.perRemote;
    if (counts.length > this.#counts.length) this.#grow(counts.length);
    for (let remote = 0; remote < counts.length; remote++) {
      const added = counts[remote]!;
      if (added === 0) continue;
      const own = this.#counts[remote]!;
      this.#counts[remote] = own + added;
      const base = remote * per;
      const addedKept = Math.min(added, per);
      const ownKept = Math.min(own, per);
      if (ownKept === 0) {
        this.#lines.set(lines.subarray(base, base + addedKept), base);
        this.#offsets.set(offsets.subarray(base, base + addedKept), base);
        continue;
      }
      const ownLines = this.#lines.slice(base, base + ownKept);
      const ownOffsets = this.#offsets.slice(base, base + ownKept);
      let i = 0;
      let j = 0;
      for (let k = 0; k < per && (i < ownKept || j < addedKept); k++) {
        if (j >= addedKept || (i < ownKept && ownLines[i]! < lines[base + j]!)) {
          this.#lines[base + k] = ownLines[i]!;
          this.#offsets[base + k] = ownOffsets[i++]!;
        } else {
          this.#lines[base + k] = lines[base + j]!;
          this.#offsets[base + k] = offsets[base + j++]!;
        }
      }
    }
  }

  /** Counts the row; its slot (remote * perRemote + k) when it is one of the first perRemote, else -1. */
  #slot(remote: number, line: number, offset: number): number {
    if (remote >= this.#counts.length) this.#grow(remote + 1);
    const count = this.#counts[remote]!;
    this.#counts[remote] = count + 1;
    if (count >= this.perRemote) return -1;
    const slot = remote * this.perRemote + count;
    this.#lines[slot] = line;
    this.#offsets[slot] = offset;
    return slot;
  }

  /** A parser line that gave no row is context for the rows after it. */
  #closeParserLine(): void {
    const line = this.#parserLine;
    if (line === 0) return;
    this.#parserLine = 0;
    if (this.#parserRow) return;
    const context = this.#context;
    const last = context.length - 3;
    if (last >= 0 && context[last]! + context[last + 1]! === line) context[last + 1]!++;
    else if (context.length / 3 <= MAX_CONTEXT_RUNS) context.push(line, 1, this.#parserOffset);
    if (this.#kept && this.#parserBytes) this.#keepText(line, this.#parserBytes, 0, this.#parserBytes.length);
    this.#parserBytes = null;
  }

  #keepText(line: number, buffer: Uint8Array, start: number, end: number): void {
    const kept = this.#kept!;
    if (this.#keptBytes + (end - start) > MAX_KEPT_TEXT_BYTES) {
      kept.complete = false;
      return;
    }
    this.#keptBytes += end - start;
    kept.text.set(line, buffer.slice(start, end));
  }

  #grow(atLeast: number): void {
    let size = this.#counts.length;
    while (size < atLeast) size *= 2;
    const counts = new Uint32Array(size);
    counts.set(this.#counts);
    this.#counts = counts;
    const lines = new Uint32Array(size * this.perRemote);
    lines.set(this.#lines);
    this.#lines = lines;
    const offsets = new Float64Array(size * this.perRemote);
    offsets.set(this.#offsets);
    this.#offsets = offsets;
  }
}

/** `target` filled from the front of `source` (as much as fits). */
function exact<T extends Uint32Array | Float64Array>(source: T, target: T): T {
  target.set(source.subarray(0, Math.min(source.length, target.length)));
  return target;
}

/** Whether a parsed row names a remote peer (the tally's rule). */
export function connectionHasPeer(connection: Connection): boolean {
  const state = stateIndex(connection.state);
  return state !== LISTEN_STATE && rowHasPeer(state, connection.remoteAddress, connection.remotePort);
}
