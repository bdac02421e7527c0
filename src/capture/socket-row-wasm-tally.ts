// The report's reader for Linux `netstat` and iproute2 `ss` captures at the speed of
// `parse --summary`: the WebAssembly row scanner (summary/wasm/socket-rows.ts, tally mode) folds
// the common rows straight into the snapshot's groups in its own memory; every line it leaves
// (headers, time lines, listeners, IPv6 peers, names, garbage) goes, with its line number, through
// the JavaScript scanner (socket-row-tally.ts) and so through the format's parser into the same
// sink. At each snapshot's end the groups the JavaScript side made are merged into the module's
// table and the whole table is copied into the snapshot's builder: the tallies equal the parser's
// (test/capture/socket-row-tally.test.ts).
import { STATE_COUNT, STATE_INDEX } from '../model/connection.js';
import { sanitizeText } from '../net/sanitize.js';
import type { CaptureFormat } from './parser-types.js';
import type { TallyScanner } from './read-tallies.js';
import { SocketRowTallyScanner } from './socket-row-tally.js';
import { SocketRowsFeed, createSocketRows, type SocketRowsExports } from './summary/socket-row-scanner.js';
import type { SnapshotTallyBuilder } from './tally-builder.js';
import type { TallySink } from './tally-sink.js';

/** Int32 fields per group in the module's table (the builder's row layout). */
const GROUP_FIELDS = 6;
const INITIAL_GROUP_SLOTS = 1 << 12;

export class WasmSocketRowTallyScanner implements TallyScanner {
  readonly #rows: SocketRowsExports;
  readonly #feed: SocketRowsFeed;
  /** Every line the module leaves, with its line number. */
  readonly #js: SocketRowTallyScanner;
  #slowLines = 0;
  /** Module rows already counted into sink.rowsInSnapshot. */
  #rowsSynced = 0;
  /** Snapshots the sink had when the module's groups were last handed over. */
  #snapshots: number;

  constructor(format: CaptureFormat, file: string, private readonly sink: TallySink) {
    const { rows, input } = createSocketRows(16, {
      internRemote: (address) => sink.remotes.intern(`${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`),
      internProgram: (start, end) => {
        const name = sanitizeText(Buffer.from(this.#rows.memory.buffer, start, end - start).toString('latin1'));
        return name === '' ? -1 : sink.programs.intern(name);
      },
    });
    this.#rows = rows;
    rows.initTally(STATE_INDEX.LISTEN, INITIAL_GROUP_SLOTS);
    const ss = format.name === 'ss';
    const rowIndex = sink.rowIndex;
    if (rowIndex) rows.initRowIndex(rowIndex.perRemote);
    const scan = rowIndex
      ? (start: number, end: number) => {
          rows.setRowBase(this.#slowLines, this.#feed.offsetOf(0));
          return rows.scanTally(start, end, ss);
        }
      : (start: number, end: number) => rows.scanTally(start, end, ss);
    this.#feed = new SocketRowsFeed(rows, input, scan, (view, start, end) => this.#slowLine(view, start, end));
    this.#js = new SocketRowTallyScanner(format, file, sink);
    this.#snapshots = sink.snapshots.length;
  }

  get lines(): number {
    return this.#rows.fastLines() + this.#slowLines;
  }

  /** Lines the module took itself. */
  get fastRows(): number {
    return this.#rows.fastLines();
  }

  write(chunk: Uint8Array): void {
    this.#feed.write(chunk);
  }

  window(maxBytes: number): Uint8Array {
    return this.#feed.window(maxBytes);
  }

  commit(bytes: number): void {
    this.#feed.commit(bytes);
  }

  finish(): void {
    this.#feed.flushLastLine();
    this.#js.finish();
    this.#syncRows();
    this.#handOver(this.sink.current);
    this.#handOverRowIndex();
  }

  /** The module's drill-down rows into the sink's recorder (which holds those the JavaScript side read). */
  #handOverRowIndex(): void {
    const recorder = this.sink.rowIndex;
    if (!recorder) return;
    const rows = this.#rows;
    const remotes = rows.rowIndexLength();
    const slots = remotes * recorder.perRemote;
    const memory = rows.memory.buffer;
    recorder.mergeRows(
      new Uint32Array(memory, rows.rowIndexCountsPointer(), remotes),
      new Uint32Array(memory, rows.rowIndexLinesPointer(), slots),
      new Float64Array(memory, rows.rowIndexOffsetsPointer(), slots),
    );
  }

  #slowLine(view: Buffer, start: number, end: number): void {
    // The sink decides at a time line whether a snapshot ends: it must know the module's rows.
    this.#syncRows();
    this.#js.lines = this.#rows.fastLines() + this.#slowLines++;
    this.#js.byteLine(view, start, end, this.#feed.offsetOf(start));
    const snapshots = this.sink.snapshots.length;
    if (snapshots !== this.#snapshots) {
      // That line opened a snapshot: the module's groups so far are the previous one's.
      this.#handOver(this.sink.snapshots[snapshots - 2]!.builder);
      this.#snapshots = snapshots;
    }
    const columns = this.#js.netstatColumns;
    this.#rows.setNetstatColumns(columns.programs, columns.fast);
  }

  #syncRows(): void {
    const taken = this.#rows.fastLines();
    this.sink.rowsInSnapshot += taken - this.#rowsSynced;
    this.#rowsSynced = taken;
  }

  /** The module's groups (with the JavaScript side's merged in) into `builder`; the module starts afresh. */
  #handOver(builder: SnapshotTallyBuilder): void {
    const rows = this.#rows;
    builder.drainGroups((remote, key, program, connections, idle) => rows.mergeGroup(remote, key, program, connections, idle));
    const length = rows.groupsLength();
    const pointer = rows.groupsOut();
    const memory = rows.memory.buffer;
    const groups = new Int32Array(memory, pointer, length * GROUP_FIELDS).slice();
    // The merged groups' rows are in the builder's totals already; these are the module's own.
    const states = new Uint32Array(memory, rows.groupStatesPointer(), STATE_COUNT);
    builder.adoptGroups(groups, length, states);
    rows.resetGroups();
  }
}
