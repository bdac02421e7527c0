// What the store needs from a database engine: run DDL, run a query and get its rows back as
// plain JavaScript values, and append rows column by column. Two implementations: DuckDB in
// process (duckdb-engine.ts) and ClickHouse over HTTP (clickhouse-engine.ts).

import type { TallyRowBatch } from './tally-rows.js';

export type Dialect = 'duckdb' | 'clickhouse';

/** Column types the schema uses, spelled per engine by schema.ts. */
export type ColumnType = 'text' | 'int8' | 'int32' | 'int64';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** A query result: column names and rows of numbers, strings and nulls (64-bit integers as numbers). */
export interface QueryResult {
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

/** Columns of one table, as arrays of equal length, in the table's column order. */
export type ColumnBatch = (string | number)[][];

export interface StoreEngine {
  readonly dialect: Dialect;
  /** How the store is named in messages (passwords redacted). */
  readonly display: string;
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<QueryResult>;
  /** The same result column by column, when the engine reads it faster that way (large aggregates). */
  queryColumns?(sql: string): Promise<ArrayLike<unknown>[]>;
  /**
   * The result a chunk at a time, column by column (`rows` rows in each column), when the
   * engine streams: a large aggregate is consumed without being held whole.
   */
  queryChunks?(sql: string, visit: (columns: ArrayLike<unknown>[], rows: number) => void): Promise<void>;
  /** Appends rows to `table`; `columns` are the table's columns in order. */
  append(table: string, columns: readonly ColumnSpec[], batch: ColumnBatch): Promise<void>;
  /**
   * Appends snapshots (`snapshots`: the snapshots table's columns, SNAPSHOT_COLUMNS) with their
   * tally rows; a snapshot's rows count once its snapshots row is there (written last, or in
   * the same transaction).
   */
  appendSnapshots(batch: TallyRowBatch, snapshots: ColumnBatch): Promise<void>;
  close(): Promise<void>;
}

/** Integer division, spelled per engine (DuckDB `//`, ClickHouse `intDiv`). */
export function intDivSql(dialect: Dialect, numerator: string, denominator: string): string {
  return dialect === 'duckdb' ? `((${numerator}) // (${denominator}))` : `intDiv(${numerator}, ${denominator})`;
}

/** A SQL string literal: DuckDB doubles quotes (a backslash is a plain character), ClickHouse escapes with backslashes. */
export function sqlString(dialect: Dialect, value: string): string {
  if (dialect === 'duckdb') return `'${value.replace(/'/g, "''")}'`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A value from the engine as a number: 64-bit integers arrive as bigint (DuckDB) or string (ClickHouse). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 0;
}
