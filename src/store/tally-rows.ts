// Snapshot tallies (model/tally.ts) as the rows the store keeps, gathered for one bulk insert.
// Rows live in typed columns with the repeated text (snapshot, host, remote, program) numbered
// into small dictionaries, so a batch of a million rows is a few typed arrays: DuckDB takes the
// numbers in whole-vector copies and joins the text back in SQL (duckdb-engine.ts); engines
// without that path get plain columns from toColumns().
//
// Each row's remote is in canonical form (so SQL across hosts meets '::ffff:1.2.3.4' and
// '1.2.3.4' as one) and `inbound` is decided here with the snapshot's own listeners, exactly as
// the aggregation decides it (analyze/aggregate.ts): a stored row needs nothing from the rest of
// its snapshot.
import { CONNECTION_STATES } from '../model/connection.js';
import { TALLY_FLAG_IPV6, TALLY_FLAG_PEER_SERVICE, type SnapshotTally } from '../model/tally.js';
import { InternTable } from '../capture/tally-builder.js';
import { identifyRemote } from '../analyze/remote-key.js';
import type { ColumnBatch } from './engine.js';

/** One stored snapshot's place in a batch: its tally rows carry its number. */
export interface BatchSnapshot {
  id: string;
  host: string;
  capturedMs: number;
}

const INITIAL_ROWS = 4096;

/**
 * One input's rows as built where it was read (a parse worker): the same columns, their
 * remotes and programs numbered in the input's own small dictionaries.
 */
export interface TallyRowColumns {
  length: number;
  remotes: readonly string[];
  programs: readonly string[];
  remote: Int32Array;
  ipVersion: Int8Array;
  state: Int8Array;
  localPort: Int32Array;
  program: Int32Array;
  inbound: Int8Array;
  idle: Int32Array;
  connections: Int32Array;
}

export class TallyRowBatch {
  /** @param capacityRows rows to make room for at once (a loader's batch size: no regrowth). */
  constructor(capacityRows = INITIAL_ROWS) {
    if (capacityRows > INITIAL_ROWS) this.#grow(capacityRows);
  }

  length = 0;
  readonly snapshots: BatchSnapshot[] = [];
  /** Canonical remote addresses (names that are not addresses keep their sanitized text). */
  remotes = new InternTable();
  /** Program names; row value -1 when the capture named none. */
  programs = new InternTable();
  snapshot = new Int32Array(INITIAL_ROWS);
  remote = new Int32Array(INITIAL_ROWS);
  ipVersion = new Int8Array(INITIAL_ROWS);
  /** Index into CONNECTION_STATES. */
  state = new Int8Array(INITIAL_ROWS);
  /** -1 when the capture printed no port. */
  localPort = new Int32Array(INITIAL_ROWS);
  program = new Int32Array(INITIAL_ROWS);
  inbound = new Int8Array(INITIAL_ROWS);
  idle = new Int32Array(INITIAL_ROWS);
  connections = new Int32Array(INITIAL_ROWS);

  /** Per input's printed-address table: its batch remote numbers (-1 = not seen yet) and versions (0 = a name). */
  #canonical = new WeakMap<readonly string[], { remote: Int32Array; version: Int8Array }>();
  /** Per input's program table: batch program numbers (-1 = not seen yet). */
  #programNumbers = new WeakMap<readonly string[], Int32Array>();

  /**
   * Empties the batch but keeps its columns: writing into pages already touched costs a tenth
   * of writing into fresh ones (a million rows' columns are about 30 MB of first-touch faults).
   */
  reset(): void {
    this.length = 0;
    this.snapshots.length = 0;
    this.remotes = new InternTable();
    this.programs = new InternTable();
    this.#canonical = new WeakMap();
    this.#programNumbers = new WeakMap();
    this.#sourceRemotes = new WeakMap();
    this.#sourcePrograms = new WeakMap();
  }

  /** Adds every group of `tally` as rows of a new snapshot; returns the rows added. */
  addSnapshot(tally: SnapshotTally, snapshot: BatchSnapshot): number {
    const groups = tally.groups;
    const snapshotNo = this.snapshots.length;
    this.snapshots.push(snapshot);
    if (this.length + groups.length > this.remote.length) this.#grow(this.length + groups.length);
    const remotes = this.#remoteNumbers(groups.remotes);
    const programs = this.#programNumbersOf(groups.programs);
    const listeners = new Set(tally.listenerPorts);
    // The columns as locals: this loop runs once per stored row.
    const { snapshot: snapshotColumn, remote: remoteColumn, ipVersion, state, localPort, program: programColumn, inbound, idle, connections } = this;
    const { remote: printedRemote, remotes: printedTable, flags: groupFlags, localPort: groupPort, program: groupProgram, state: groupState, idle: groupIdle, connections: groupConnections } = groups;
    const remoteNo = remotes.remote;
    const remoteVersion = remotes.version;
    let row = this.length;
    for (let group = 0; group < groups.length; group++, row++) {
      const printed = printedRemote[group]!;
      let remote = remoteNo[printed]!;
      if (remote < 0) {
        // Names that are not addresses take their version from the row; addresses from themselves.
        const identity = identifyRemote(printedTable[printed]!, 4);
        remote = remoteNo[printed] = this.remotes.intern(identity.ip);
        remoteVersion[printed] = identity.v4 >= 0 || identity.v6 !== null ? identity.version : 0;
      }
      const flags = groupFlags[group]!;
      const port = groupPort[group]!;
      const programIndex = groupProgram[group]!;
      let program = -1;
      if (programIndex >= 0) {
        program = programs[programIndex]!;
        if (program < 0) program = programs[programIndex] = this.programs.intern(groups.programs[programIndex]!);
      }
      snapshotColumn[row] = snapshotNo;
      remoteColumn[row] = remote;
      ipVersion[row] = remoteVersion[printed]! || (flags & TALLY_FLAG_IPV6 ? 6 : 4);
      state[row] = groupState[group]!;
      localPort[row] = port;
      programColumn[row] = program;
      inbound[row] = port > 0 && ((flags & TALLY_FLAG_PEER_SERVICE) === 0 || listeners.has(port)) ? 1 : 0;
      idle[row] = groupIdle[group]!;
      connections[row] = groupConnections[group]!;
    }
    this.length = row;
    return groups.length;
  }

  /**
   * Appends rows [start, end) of another batch's columns as rows of a new snapshot, numbering
   * their remotes and programs in this batch's dictionaries; returns the rows added.
   */
  addRows(source: TallyRowColumns, start: number, end: number, snapshot: BatchSnapshot): number {
    const count = end - start;
    const snapshotNo = this.snapshots.length;
    this.snapshots.push(snapshot);
    if (this.length + count > this.remote.length) this.#grow(this.length + count);
    const remotes = this.#sourceNumbers(this.#sourceRemotes, source.remotes, this.remotes);
    const programs = this.#sourceNumbers(this.#sourcePrograms, source.programs, this.programs);
    const at = this.length;
    this.snapshot.fill(snapshotNo, at, at + count);
    const remoteColumn = this.remote;
    const programColumn = this.program;
    const { remote: sourceRemote, program: sourceProgram } = source;
    for (let row = start, to = at; row < end; row++, to++) {
      remoteColumn[to] = remotes[sourceRemote[row]!]!;
      const program = sourceProgram[row]!;
      programColumn[to] = program < 0 ? -1 : programs[program]!;
    }
    this.ipVersion.set(source.ipVersion.subarray(start, end), at);
    this.state.set(source.state.subarray(start, end), at);
    this.localPort.set(source.localPort.subarray(start, end), at);
    this.inbound.set(source.inbound.subarray(start, end), at);
    this.idle.set(source.idle.subarray(start, end), at);
    this.connections.set(source.connections.subarray(start, end), at);
    this.length = at + count;
    return count;
  }

  /** The rows as exact-length columns (to send to another thread; the batch is spent). */
  columns(): TallyRowColumns {
    const n = this.length;
    return {
      length: n,
      remotes: this.remotes.values,
      programs: this.programs.values,
      remote: this.remote.slice(0, n),
      ipVersion: this.ipVersion.slice(0, n),
      state: this.state.slice(0, n),
      localPort: this.localPort.slice(0, n),
      program: this.program.slice(0, n),
      inbound: this.inbound.slice(0, n),
      idle: this.idle.slice(0, n),
      connections: this.connections.slice(0, n),
    };
  }

  /** Per source dictionary (one input's remotes or programs): its entries' numbers here. */
  #sourceRemotes = new WeakMap<readonly string[], Int32Array>();
  #sourcePrograms = new WeakMap<readonly string[], Int32Array>();

  #sourceNumbers(cache: WeakMap<readonly string[], Int32Array>, values: readonly string[], table: InternTable): Int32Array {
    let numbers = cache.get(values);
    if (!numbers) {
      numbers = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) numbers[i] = table.intern(values[i]!);
      cache.set(values, numbers);
    }
    return numbers;
  }

  /** The rows as plain columns in the tallies table's order (schema.ts TALLY_COLUMNS). */
  toColumns(): ColumnBatch {
    const n = this.length;
    const columns: ColumnBatch = Array.from({ length: 11 }, () => new Array<string | number>(n));
    const [host, ms, id, remote, version, state, port, program, inbound, idle, connections] = columns as (string | number)[][];
    for (let row = 0; row < n; row++) {
      const snapshot = this.snapshots[this.snapshot[row]!]!;
      host![row] = snapshot.host;
      ms![row] = snapshot.capturedMs;
      id![row] = snapshot.id;
      remote![row] = this.remotes.values[this.remote[row]!]!;
      version![row] = this.ipVersion[row]!;
      state![row] = CONNECTION_STATES[this.state[row]!] ?? 'UNKNOWN';
      port![row] = this.localPort[row]!;
      program![row] = this.program[row]! < 0 ? '' : this.programs.values[this.program[row]!]!;
      inbound![row] = this.inbound[row]!;
      idle![row] = this.idle[row]!;
      connections![row] = this.connections[row]!;
    }
    return columns;
  }

  #remoteNumbers(printed: readonly string[]): { remote: Int32Array; version: Int8Array } {
    let known = this.#canonical.get(printed);
    // The table of an input that is still being read grows: a longer one is numbered further.
    if (!known || known.remote.length < printed.length) {
      const remote = new Int32Array(printed.length).fill(-1);
      const version = new Int8Array(printed.length);
      if (known) {
        remote.set(known.remote);
        version.set(known.version);
      }
      known = { remote, version };
      this.#canonical.set(printed, known);
    }
    return known;
  }

  #programNumbersOf(names: readonly string[]): Int32Array {
    let known = this.#programNumbers.get(names);
    if (!known || known.length < names.length) {
      const grown = new Int32Array(names.length).fill(-1);
      if (known) grown.set(known);
      known = grown;
      this.#programNumbers.set(names, known);
    }
    return known;
  }

  #grow(minimum: number): void {
    let size = this.remote.length;
    while (size < minimum) size *= 2;
    const grow = <T extends Int32Array | Int8Array>(array: T, make: new (n: number) => T): T => {
      const grown = new make(size);
      grown.set(array);
      return grown;
    };
    this.snapshot = grow(this.snapshot, Int32Array);
    this.remote = grow(this.remote, Int32Array);
    this.ipVersion = grow(this.ipVersion, Int8Array);
    this.state = grow(this.state, Int8Array);
    this.localPort = grow(this.localPort, Int32Array);
    this.program = grow(this.program, Int32Array);
    this.inbound = grow(this.inbound, Int8Array);
    this.idle = grow(this.idle, Int32Array);
    this.connections = grow(this.connections, Int32Array);
  }
}
