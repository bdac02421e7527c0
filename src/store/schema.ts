// The store's one schema, versioned. Tables are the same in both engines; only the column
// type names and the table engine clause differ (ClickHouse: MergeTree ordered by host, time).
//
//   snapshots  one row per capture snapshot: where it came from and its totals
//   tallies    per snapshot: remote x state x local port x program, with counts
// A snapshot is stored once per sha256 + snapshot index; its tallies count only when its
// snapshots row exists (joined on snapshot_id), so a load that failed half-way counts nothing.
//   netsleuth_schema  the schema version, one row per version the store has had
//
// DuckDB (version 2) keeps the tallies as numbers: `tally_rows` refers to its snapshot by
// `snapshots.snapshot_no` and to its remote and program through the `remotes` and `programs`
// dictionaries, and `tallies` is a view with the same columns as ClickHouse's table. Writing
// the text columns themselves cost DuckDB about 2.5 us a row (compressing five strings per
// row), the numbers about 0.3 us. ClickHouse keeps the text table: its inserts come from many
// hosts at once, where numbering remotes would need a coordinator.
import type { ColumnSpec, ColumnType, Dialect, StoreEngine } from './engine.js';
import { CONNECTION_STATES } from '../model/connection.js';
import { UserError } from '../errors.js';

export const STORE_SCHEMA_VERSION = 2;

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

/** DuckDB: `snapshots` also numbers each snapshot, for `tally_rows`. */
export const DUCKDB_SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [...SNAPSHOT_COLUMNS, { name: 'snapshot_no', type: 'int32' }];

/** DuckDB: the tallies as numbers (the `tallies` view joins the text back). */
export const TALLY_ROW_COLUMNS: readonly ColumnSpec[] = [
  { name: 'snapshot_no', type: 'int32' },
  { name: 'remote_no', type: 'int32' },
  { name: 'ip_version', type: 'int8' },
  /** Index into CONNECTION_STATES. */
  { name: 'state', type: 'int8' },
  { name: 'local_port', type: 'int32' },
  /** -1 when the capture named no program. */
  { name: 'program_no', type: 'int32' },
  { name: 'inbound', type: 'int8' },
  { name: 'idle', type: 'int32' },
  { name: 'connections', type: 'int32' },
];

/** State names by their index, as a DuckDB list (1-based). */
export const DUCKDB_STATE_LIST = `[${CONNECTION_STATES.map((state) => `'${state}'`).join(', ')}]`;

const DUCKDB_TALLIES_VIEW =
  'CREATE VIEW tallies AS SELECT s.host, s.captured_ms, s.snapshot_id, r.remote, t.ip_version, ' +
  `coalesce(${DUCKDB_STATE_LIST}[t.state + 1], 'UNKNOWN') AS state, t.local_port, coalesce(p.program, '') AS program, t.inbound, t.idle, t.connections ` +
  'FROM tally_rows t JOIN snapshots s ON s.snapshot_no = t.snapshot_no JOIN remotes r ON r.remote_no = t.remote_no LEFT JOIN programs p ON p.program_no = t.program_no';

const duckDbTables = (): string[] => [
  createTableSql('duckdb', 'snapshots', DUCKDB_SNAPSHOT_COLUMNS, ''),
  'CREATE TABLE IF NOT EXISTS remotes (remote_no INTEGER, remote VARCHAR)',
  'CREATE TABLE IF NOT EXISTS programs (program_no INTEGER, program VARCHAR)',
  createTableSql('duckdb', 'tally_rows', TALLY_ROW_COLUMNS, ''),
  DUCKDB_TALLIES_VIEW,
];

/** A version 1 DuckDB store (text `tallies` table) rewritten as version 2, in one transaction. */
const duckDbFromVersion1 = (): string[] => [
  'ALTER TABLE snapshots ADD COLUMN snapshot_no INTEGER',
  'UPDATE snapshots SET snapshot_no = n.no FROM (SELECT snapshot_id, CAST(row_number() OVER (ORDER BY captured_ms, snapshot_id) AS INTEGER) AS no FROM snapshots) n WHERE snapshots.snapshot_id = n.snapshot_id',
  'CREATE TABLE remotes AS SELECT CAST(row_number() OVER (ORDER BY remote) AS INTEGER) AS remote_no, remote FROM (SELECT DISTINCT remote FROM tallies)',
  "CREATE TABLE programs AS SELECT CAST(row_number() OVER (ORDER BY program) AS INTEGER) AS program_no, program FROM (SELECT DISTINCT program FROM tallies WHERE program <> '')",
  createTableSql('duckdb', 'tally_rows', TALLY_ROW_COLUMNS, ''),
  // Tallies of a load that failed half-way (no snapshots row) never counted: they are left out.
  'INSERT INTO tally_rows SELECT s.snapshot_no, r.remote_no, t.ip_version, ' +
    `CAST(coalesce(list_position(${DUCKDB_STATE_LIST}, t.state), ${CONNECTION_STATES.length}) - 1 AS TINYINT), t.local_port, coalesce(p.program_no, -1), t.inbound, t.idle, t.connections ` +
    "FROM tallies t JOIN snapshots s ON s.snapshot_id = t.snapshot_id JOIN remotes r ON r.remote = t.remote LEFT JOIN programs p ON p.program = t.program AND t.program <> ''",
  'DROP TABLE tallies',
  DUCKDB_TALLIES_VIEW,
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
    if (version < STORE_SCHEMA_VERSION) await upgrade(engine, version, nowMs);
    return;
  }
  await engine.exec(createTableSql(engine.dialect, 'netsleuth_schema', SCHEMA_COLUMNS, 'version'));
  if (engine.dialect === 'duckdb') {
    await engine.exec('BEGIN TRANSACTION');
    for (const sql of duckDbTables()) await engine.exec(sql);
    await engine.exec('COMMIT');
  } else {
    await engine.exec(createTableSql(engine.dialect, 'snapshots', SNAPSHOT_COLUMNS, '(host, captured_ms)'));
    await engine.exec(createTableSql(engine.dialect, 'tallies', TALLY_COLUMNS, '(host, captured_ms)'));
  }
  // Two loaders creating the store at once both get here: the version row is read back as max().
  if ((await readSchemaVersion(engine)) === null) await engine.append('netsleuth_schema', SCHEMA_COLUMNS, [[STORE_SCHEMA_VERSION], [nowMs]]);
}

/** Version 1 -> 2: DuckDB's tallies become numbers; ClickHouse's tables are unchanged. */
async function upgrade(engine: StoreEngine, version: number, nowMs: number): Promise<void> {
  if (engine.dialect === 'duckdb' && version === 1) {
    await engine.exec('BEGIN TRANSACTION');
    try {
      for (const sql of duckDbFromVersion1()) await engine.exec(sql);
      await engine.append('netsleuth_schema', SCHEMA_COLUMNS, [[STORE_SCHEMA_VERSION], [nowMs]]);
      await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK').catch(() => {});
      throw error;
    }
    return;
  }
  await engine.append('netsleuth_schema', SCHEMA_COLUMNS, [[STORE_SCHEMA_VERSION], [nowMs]]);
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
