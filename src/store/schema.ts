// The store's one schema, versioned. Tables are the same in both engines; only the column
// type names and the table engine clause differ (ClickHouse: MergeTree ordered by host, time).
//
//   snapshots  one row per capture snapshot: where it came from and its totals
//   tallies    per snapshot: remote x state x local port x program, with counts
// A snapshot is stored once per sha256 + snapshot index; its tallies count only when its
// snapshots row exists (joined on snapshot_id), so a load that failed half-way counts nothing.
//   netsleuth_schema  the schema version, written once when the store is created
import type { ColumnSpec, ColumnType, Dialect, StoreEngine } from './engine.js';
import { UserError } from '../errors.js';

export const STORE_SCHEMA_VERSION = 1;

export const SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [
  /** Unique per loaded snapshot: its tallies carry it too (a failed load leaves no snapshot row, so its stray tallies never count). */
  { name: 'snapshot_id', type: 'text' },
  { name: 'host', type: 'text' },
  /** Capture time, milliseconds since 1970 UTC; 0 when the capture gave none. */
  { name: 'captured_ms', type: 'int64' },
  /** The same time as ISO 8601 UTC text ('' when unknown), for people writing queries. */
  { name: 'captured_at', type: 'text' },
  { name: 'file', type: 'text' },
  { name: 'sha256', type: 'text' },
  /** 1-based; a file with one table has one snapshot, index 1. */
  { name: 'snapshot_index', type: 'int32' },
  { name: 'snapshot_count', type: 'int32' },
  { name: 'first_line', type: 'int32' },
  { name: 'parser', type: 'text' },
  { name: 'size_bytes', type: 'int64' },
  { name: 'lines', type: 'int32' },
  { name: 'parsed', type: 'int32' },
  { name: 'skipped', type: 'int32' },
  /** Sockets with a remote peer. */
  { name: 'connections', type: 'int32' },
  /** LISTEN rows and sockets without a peer. */
  { name: 'listening', type: 'int32' },
  { name: 'loaded_ms', type: 'int64' },
];

export const TALLY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'host', type: 'text' },
  { name: 'captured_ms', type: 'int64' },
  { name: 'snapshot_id', type: 'text' },
  /** Canonical address ('::ffff:1.2.3.4' is stored as 1.2.3.4). */
  { name: 'remote', type: 'text' },
  { name: 'ip_version', type: 'int8' },
  { name: 'state', type: 'text' },
  /** -1 when the capture printed no port. */
  { name: 'local_port', type: 'int32' },
  /** '' when the capture named no program. */
  { name: 'program', type: 'text' },
  /** 1 when the local port was reached inbound (a listener, or a peer on an unprivileged port). */
  { name: 'inbound', type: 'int8' },
  /** Of `connections`, how many had both queues empty (idle, when ESTABLISHED on a web port). */
  { name: 'idle', type: 'int32' },
  { name: 'connections', type: 'int32' },
];

const SCHEMA_COLUMNS: readonly ColumnSpec[] = [
  { name: 'version', type: 'int32' },
  { name: 'created_ms', type: 'int64' },
];

const TYPE_NAMES: Record<Dialect, Record<ColumnType, string>> = {
  duckdb: { text: 'VARCHAR', int8: 'TINYINT', int32: 'INTEGER', int64: 'BIGINT' },
  clickhouse: { text: 'String', int8: 'Int8', int32: 'Int32', int64: 'Int64' },
};

export function createTableSql(dialect: Dialect, table: string, columns: readonly ColumnSpec[], orderBy: string): string {
  const body = columns.map((column) => `${column.name} ${TYPE_NAMES[dialect][column.type]}`).join(', ');
  const engine = dialect === 'clickhouse' ? ` ENGINE = MergeTree ORDER BY ${orderBy}` : '';
  return `CREATE TABLE IF NOT EXISTS ${table} (${body})${engine}`;
}

/** Creates the tables on first use and checks the version of an existing store. */
export async function ensureSchema(engine: StoreEngine, nowMs: number): Promise<void> {
  const version = await readSchemaVersion(engine);
  if (version !== null) {
    checkVersion(engine, version);
    return;
  }
  await engine.exec(createTableSql(engine.dialect, 'netsleuth_schema', SCHEMA_COLUMNS, 'version'));
  await engine.exec(createTableSql(engine.dialect, 'snapshots', SNAPSHOT_COLUMNS, '(host, captured_ms)'));
  await engine.exec(createTableSql(engine.dialect, 'tallies', TALLY_COLUMNS, '(host, captured_ms)'));
  // Two loaders creating the store at once both get here: the version row is read back as max().
  if ((await readSchemaVersion(engine)) === null) await engine.append('netsleuth_schema', SCHEMA_COLUMNS, [[STORE_SCHEMA_VERSION], [nowMs]]);
}

/** The store's schema version, or null when the store has no netsleuth tables yet. */
export async function readSchemaVersion(engine: StoreEngine): Promise<number | null> {
  const tables = await engine.query(
    engine.dialect === 'duckdb'
      ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'netsleuth_schema'"
      : "SELECT count(*) FROM system.tables WHERE database = currentDatabase() AND name = 'netsleuth_schema'",
  );
  if (Number(tables.rows[0]?.[0] ?? 0) === 0) return null;
  const result = await engine.query('SELECT max(version) FROM netsleuth_schema');
  const value = result.rows[0]?.[0];
  // ClickHouse answers 0, not NULL, for the max of an empty table.
  return value === null || value === undefined || Number(value) === 0 ? null : Number(value);
}

export function checkVersion(engine: StoreEngine, version: number): void {
  if (version > STORE_SCHEMA_VERSION) {
    throw new UserError(`${engine.display}: the store has schema version ${version}, newer than this netsleuth reads (${STORE_SCHEMA_VERSION}); upgrade netsleuth`, 2);
  }
}
