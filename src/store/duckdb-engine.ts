// DuckDB in process (@duckdb/node-api): one file, nothing to run. DuckDB lets one process
// write a file at a time, so hosts ship their captures and one loader loads them.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { DuckDBConnection, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { UserError } from '../errors.js';
import { type ColumnBatch, type ColumnSpec, type QueryResult, type StoreEngine } from './engine.js';

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

export interface DuckDbOpenOptions {
  /** Open without writing (store query): the file must exist, and no file outside it can be read or written. */
  readOnly?: boolean;
}

export async function openDuckDbEngine(path: string, display: string, options: DuckDbOpenOptions = {}): Promise<StoreEngine> {
  const duckdb = loadDuckDb();
  if (!options.readOnly) await mkdir(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    const config: Record<string, string> = options.readOnly
      ? { access_mode: 'READ_ONLY', enable_external_access: 'false', lock_configuration: 'true' }
      : {};
    instance = await duckdb.DuckDBInstance.create(path, config);
  } catch (error) {
    throw new UserError(`${display}: cannot open the DuckDB store (${firstLine(error)})`, 2);
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

/**
 * The package is CommonJS: required directly, node does not scan its sources for named exports
 * as an ESM import of it does (about a second of start-up on this machine).
 */
function loadDuckDb(): DuckDbModule {
  duckDbModule ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckDbModule;
  return duckDbModule;
}

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

  async append(table: string, columns: readonly ColumnSpec[], batch: ColumnBatch): Promise<void> {
    const rowCount = batch[0]?.length ?? 0;
    if (rowCount === 0) return;
    const { DuckDBDataChunk } = loadDuckDb();
    const types = columns.map(this.typeOf);
    const appender = await this.connection.createAppender(table);
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

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

