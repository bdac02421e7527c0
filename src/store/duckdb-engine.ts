// DuckDB in process (@duckdb/node-api): one file, nothing to run. DuckDB lets one process
// write a file at a time, so hosts ship their captures and one loader loads them.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { DuckDBConnection, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { UserError } from '../errors.js';
import { toNumber, type ColumnBatch, type ColumnSpec, type QueryResult, type StoreEngine } from './engine.js';
import { DUCKDB_SNAPSHOT_COLUMNS, TALLY_ROW_COLUMNS } from './schema.js';
import type { TallyRowBatch } from './tally-rows.js';

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

export interface DuckDbOpenOptions {
  /** Open without writing (store query): the file must exist, and no file outside it can be read or written. */
  readOnly?: boolean;
  /** How long to wait while another process holds the file (default 0: say it is busy at once). */
  waitMs?: number;
  /** Told once when the file is busy and we wait for it. */
  onWait?: (message: string) => void;
  /**
   * Read-only: results need no insertion order (the report's queries say ORDER BY where they
   * need one). A streamed aggregate kept in insertion order ran out of the reader's memory limit.
   */
  unordered?: boolean;
}

/**
 * DuckDB's memory limit for store query and report --store. On the full bench (28M tally
 * rows) 128 MB gave the report's reads a peak RSS of 387 MB where 256 MB gave 488, for the
 * same CPU: the aggregates spill beside the store instead.
 */
const READER_MEMORY_LIMIT = '128MB';

/** Between attempts to open a busy file. */
const BUSY_RETRY_MS = 250;

export async function openDuckDbEngine(path: string, display: string, options: DuckDbOpenOptions = {}): Promise<StoreEngine> {
  const duckdb = loadDuckDb();
  if (!options.readOnly) await mkdir(dirname(path), { recursive: true });
  // Readers aggregate millions of tally rows: DuckDB's default memory limit is most of the
  // machine's RAM, and its hash tables grew to 1.5 GB on the full bench; with a limit it spills
  // to disk beside the store and used less CPU, not more.
  const config: Record<string, string> = options.readOnly
    ? { access_mode: 'READ_ONLY', enable_external_access: 'false', memory_limit: READER_MEMORY_LIMIT, ...(options.unordered ? { preserve_insertion_order: 'false' } : {}), lock_configuration: 'true' }
    : {};
  const waitMs = options.waitMs ?? 0;
  const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const started = Date.now();
  let told = false;
  let instance: DuckDBInstance;
  for (;;) {
    try {
      instance = await duckdb.DuckDBInstance.create(path, config);
      break;
    } catch (error) {
      // DuckDB lets one process write a file (and none read it meanwhile): the file lock says
      // who holds it. Wait for it, or say plainly that the store is busy; never open around it.
      const holder = busyHolder(error);
      if (holder === null) throw new UserError(`${display}: cannot open the DuckDB store (${firstLine(error)})`, 2);
      const waited = Date.now() - started;
      if (waited >= waitMs) {
        throw new UserError(
          `${display}: the store is busy: another process (${holder}) has it open, and DuckDB lets one process write a store at a time; ` +
            `try again when it is done${waitMs > 0 ? ` (waited ${Math.round(waited / 1000)} s)` : ''}`,
          2,
        );
      }
      if (!told) {
        options.onWait?.(`${display}: the store is busy (another process, ${holder}, has it open): waiting up to ${Math.round(waitMs / 1000)} s`);
        told = true;
      }
      await sleep(Math.min(BUSY_RETRY_MS, waitMs - waited));
    }
  }
  const connection = await instance.connect();
  const types = {
    text: duckdb.VARCHAR,
    int8: duckdb.TINYINT,
    int32: duckdb.INTEGER,
    int64: duckdb.BIGINT,
  } as const;
  return new DuckDbEngine(instance, connection, display, (spec) => types[spec.type]);
}

type DuckDbModule = typeof import('@duckdb/node-api');
let duckDbModule: DuckDbModule | null = null;

/** The two calls of the native binding the bulk path needs (a dependency of @duckdb/node-api). */
interface DuckDbBindings {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  copy_data_to_vector(vector: unknown, targetByteOffset: number, source: ArrayBuffer, sourceByteOffset: number, byteCount: number): void;
}
let duckDbBindings: DuckDbBindings | null = null;

function loadBindings(): DuckDbBindings {
  const require = createRequire(import.meta.url);
  duckDbBindings ??= createRequire(require.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as DuckDbBindings;
  return duckDbBindings;
}

/**
 * The package is CommonJS: required directly, node does not scan its sources for named exports
 * as an ESM import of it does (about a second of start-up on this machine).
 */
function loadDuckDb(): DuckDbModule {
  duckDbModule ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckDbModule;
  return duckDbModule;
}

/** Text to be numbered through a dictionary table (remotes, programs), one load at a time. */
const STAGE_TEXT = 'netsleuth_stage_text';
const STAGE_TEXT_COLUMNS: readonly ColumnSpec[] = [{ name: 'n', type: 'int32' }, { name: 'text', type: 'text' }];

class DuckDbEngine implements StoreEngine {
  readonly dialect = 'duckdb' as const;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly display: string,
    private readonly typeOf: (spec: ColumnSpec) => DuckDBType,
  ) {}

  async exec(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new UserError(`${this.display}: ${firstLine(error)}`, 2);
    }
  }

  async query(sql: string): Promise<QueryResult> {
    let reader;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (error) {
      throw new UserError(`${this.display}: ${firstLine(error)}`, 2);
    }
    const columns = reader.columnNames();
    const rows = reader.getRows().map((row) => row.map(plainValue));
    return { columns, rows };
  }

  /**
   * Column by column; INTEGER columns come back as Int32Array, copied a vector at a time (the
   * report reads millions of per-remote-and-capture sums: a JavaScript value per cell cost more
   * than the query).
   */
  async queryColumns(sql: string): Promise<ArrayLike<unknown>[]> {
    const numbers: Int32Array[] = [];
    const values: unknown[][] = [];
    let total = 0;
    let integer: boolean[] = [];
    await this.queryChunks(sql, (columns, rows) => {
      if (integer.length === 0) integer = columns.map((column) => column instanceof Int32Array);
      columns.forEach((column, index) => {
        if (!integer[index]) {
          const target = (values[index] ??= []);
          for (let row = 0; row < rows; row++) target.push(column[row]);
          return;
        }
        let target = (numbers[index] ??= new Int32Array(CHUNK_ROWS));
        if (total + rows > target.length) {
          const grown = new Int32Array(Math.max(target.length * 2, total + rows));
          grown.set(target.subarray(0, total));
          numbers[index] = target = grown;
        }
        target.set((column as Int32Array).subarray(0, rows), total);
      });
      total += rows;
    });
    return integer.map((isInteger, index) => (isInteger ? numbers[index]!.subarray(0, total) : values[index]!));
  }

  /**
   * A chunk (DuckDB's vector of up to 2048 rows) at a time; INTEGER columns come as Int32Array
   * copied a vector at a time (the report reads millions of per-remote-and-capture sums: a
   * JavaScript value per cell cost more than the query, and holding them whole, hundreds of MB).
   */
  async queryChunks(sql: string, visit: (columns: ArrayLike<unknown>[], rows: number) => void): Promise<void> {
    let result;
    try {
      result = await this.connection.stream(sql);
    } catch (error) {
      throw new UserError(`${this.display}: ${firstLine(error)}`, 2);
    }
    const count = result.columnCount;
    const integer = result.columnTypes().map((type) => type.typeId === loadDuckDb().DuckDBTypeId.INTEGER);
    const numbers: Int32Array[] = integer.map(() => new Int32Array(CHUNK_ROWS));
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const size = chunk.rowCount;
      const columns: ArrayLike<unknown>[] = [];
      for (let column = 0; column < count; column++) {
        if (!integer[column]) {
          const values: unknown[] = [];
          chunk.appendColumnValues(column, values as never);
          columns.push(values);
          continue;
        }
        const target = numbers[column]!;
        const vector = chunk.getColumnVector(column) as unknown as { items?: Int32Array; getItem(index: number): unknown };
        if (vector.items instanceof Int32Array && vector.items.length === size) target.set(vector.items);
        else for (let row = 0; row < size; row++) target[row] = Number(vector.getItem(row) ?? 0);
        columns.push(target);
      }
      visit(columns, size);
    }
  }

  async append(table: string, columns: readonly ColumnSpec[], batch: ColumnBatch, catalog: string | null = null): Promise<void> {
    const rowCount = batch[0]?.length ?? 0;
    if (rowCount === 0) return;
    const { DuckDBDataChunk } = loadDuckDb();
    const types = columns.map(this.typeOf);
    const appender = await this.connection.createAppender(table, catalog === null ? null : 'main', catalog);
    try {
      // Whole data chunks, one column at a time: the bindings copy a column in one call,
      // where appending value by value crosses into native code once per cell.
      const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
      for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
        const end = Math.min(rowCount, start + CHUNK_ROWS);
        chunk.reset();
        chunk.rowCount = end - start;
        columns.forEach((spec, index) => {
          const values = batch[index]!.slice(start, end);
          chunk.setColumnValues(index, spec.type === 'int64' ? values.map((value) => BigInt(value)) : values);
        });
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  #staged = false;

  /**
   * One transaction: each remote and program text numbered through its dictionary (new ones
   * added), the tally rows appended as numbers, then the snapshots rows with their numbers.
   * DuckDB lets one process write a file, so numbering by max() + 1 cannot race.
   */
  async appendSnapshots(batch: TallyRowBatch, snapshots: ColumnBatch): Promise<void> {
    const count = batch.snapshots.length;
    if (count === 0) return;
    if (!this.#staged) {
      await this.exec(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE_TEXT} (n INTEGER, text VARCHAR)`);
      this.#staged = true;
    }
    await this.exec('BEGIN TRANSACTION');
    try {
      const firstSnapshot = toNumber((await this.query('SELECT coalesce(max(snapshot_no), 0) FROM snapshots')).rows[0]?.[0]) + 1;
      const remoteNo = await this.#numberText('remotes', 'remote_no', 'remote', batch.remotes.values);
      const programNo = await this.#numberText('programs', 'program_no', 'program', batch.programs.values);
      const n = batch.length;
      const { snapshot, remote, program } = batch;
      for (let row = 0; row < n; row++) {
        snapshot[row]! += firstSnapshot;
        remote[row] = remoteNo[remote[row]!]!;
        if (program[row]! >= 0) program[row] = programNo[program[row]!]!;
      }
      await this.#appendNumbers(
        'tally_rows',
        TALLY_ROW_COLUMNS.map(this.typeOf),
        [snapshot, remote, batch.ipVersion, batch.state, batch.localPort, program, batch.inbound, batch.idle, batch.connections].map((column) => column.subarray(0, n)),
      );
      await this.append('snapshots', DUCKDB_SNAPSHOT_COLUMNS, [...snapshots, Array.from({ length: count }, (_, index) => firstSnapshot + index)]);
      await this.exec('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  /** The dictionary number of each text (its index in `values`), adding the texts not there yet. */
  async #numberText(table: string, numberColumn: string, textColumn: string, values: readonly string[]): Promise<Int32Array> {
    const numbers = new Int32Array(values.length);
    if (values.length === 0) return numbers;
    await this.append(STAGE_TEXT, STAGE_TEXT_COLUMNS, [Array.from({ length: values.length }, (_, index) => index), [...values]], 'temp');
    await this.exec(
      `INSERT INTO ${table} SELECT CAST((SELECT coalesce(max(${numberColumn}), 0) FROM ${table}) + row_number() OVER (ORDER BY s.n) AS INTEGER), s.text ` +
        `FROM ${STAGE_TEXT} s ANTI JOIN ${table} d ON d.${textColumn} = s.text`,
    );
    const reader = await this.connection.runAndReadAll(`SELECT s.n, d.${numberColumn} FROM ${STAGE_TEXT} s JOIN ${table} d ON d.${textColumn} = s.text`);
    const [index, number] = reader.getColumns() as [number[], number[]];
    for (let i = 0; i < index.length; i++) numbers[index[i]!] = number[i]!;
    await this.exec(`DELETE FROM ${STAGE_TEXT}`);
    return numbers;
  }

  /** Integer columns appended by copying each typed array into the chunk's vectors. */
  async #appendNumbers(table: string, types: DuckDBType[], columns: (Int32Array | Int8Array)[]): Promise<void> {
    const { DuckDBDataChunk } = loadDuckDb();
    const bindings = loadBindings();
    const rowCount = columns[0]?.length ?? 0;
    const appender = await this.connection.createAppender(table);
    try {
      const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
      for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, rowCount - start);
        chunk.reset();
        chunk.rowCount = rows;
        columns.forEach((values, index) => {
          const width = values.BYTES_PER_ELEMENT;
          bindings.copy_data_to_vector(bindings.data_chunk_get_vector(chunk.chunk, index), 0, values.buffer as ArrayBuffer, values.byteOffset + start * width, rows * width);
        });
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** bigint -> number (counts and milliseconds fit), DuckDB value objects -> their text. */
function plainValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** 'pid 1234' when the error is DuckDB's file lock held by another process, else null. */
function busyHolder(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/i.test(message)) return null;
  const pid = /\(PID (\d+)\)/.exec(message);
  return pid ? `pid ${pid[1]}` : 'another process';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

