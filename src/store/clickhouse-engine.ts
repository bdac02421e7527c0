// ClickHouse over its HTTP interface (@clickhouse/client), for a fleet that writes from many
// hosts at once. Kept to plain SQL that ClickHouse 18.16 (Debian's package) understands.
import type { ColumnBatch, ColumnSpec, QueryResult, StoreEngine } from './engine.js';
import { SNAPSHOT_COLUMNS, TALLY_COLUMNS } from './schema.js';
import type { TallyRowBatch } from './tally-rows.js';
import { UserError } from '../errors.js';

export interface ClickHouseLocation {
  url: string;
  username: string;
  password: string;
  database: string;
  display: string;
}

export interface ClickHouseOpenOptions {
  /** Every query runs with readonly=1 (store query). */
  readOnly?: boolean;
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
}

export async function openClickHouseEngine(location: ClickHouseLocation, options: ClickHouseOpenOptions = {}): Promise<StoreEngine> {
  const { ClickHouseLogLevel, createClient } = await import('@clickhouse/client');
  const common = {
    // Errors come back to us and are reported once, as one line; the client would also log them.
    log: { level: ClickHouseLogLevel.OFF },
    url: location.url,
    username: location.username,
    password: location.password,
    request_timeout: options.requestTimeoutMs ?? 30_000,
    // 64-bit integers as JSON numbers: counts and milliseconds fit in a double.
    clickhouse_settings: options.readOnly ? { output_format_json_quote_64bit_integers: 0 as const, readonly: '1' as const } : { output_format_json_quote_64bit_integers: 0 as const },
    compression: { request: false, response: false },
  };
  if (!options.readOnly && location.database !== 'default') {
    // The database must exist before a client can name it as its default.
    const admin = createClient({ ...common, database: 'default' });
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${location.database}` });
    } catch (error) {
      throw new UserError(`${location.display}: ${describe(error)}`, 2);
    } finally {
      await admin.close();
    }
  }
  const client = createClient({ ...common, database: location.database });
  const redact = (text: string): string => (location.password ? text.split(location.password).join('[redacted]') : text);

  const engine: StoreEngine = {
    dialect: 'clickhouse',
    display: location.display,
    async exec(sql) {
      try {
        await client.command({ query: sql });
      } catch (error) {
        throw new UserError(`${location.display}: ${redact(describe(error))}`, 2);
      }
    },
    async query(sql): Promise<QueryResult> {
      try {
        const result = await client.query({ query: sql, format: 'JSONCompact' });
        const body = (await result.json()) as { meta: { name: string }[]; data: (string | number | boolean | null)[][] };
        return { columns: body.meta.map((column) => column.name), rows: body.data };
      } catch (error) {
        throw new UserError(`${location.display}: ${redact(describe(error))}`, 2);
      }
    },
    async append(table: string, columns: readonly ColumnSpec[], batch: ColumnBatch) {
      const rowCount = batch[0]?.length ?? 0;
      if (rowCount === 0) return;
      const values: Record<string, string | number>[] = new Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        const record: Record<string, string | number> = {};
        columns.forEach((spec, index) => (record[spec.name] = batch[index]![row]!));
        values[row] = record;
      }
      try {
        await client.insert({ table, values, format: 'JSONEachRow' });
      } catch (error) {
        throw new UserError(`${location.display}: insert into ${table} failed: ${redact(describe(error))}`, 2);
      }
    },
    async appendSnapshots(batch: TallyRowBatch, snapshots: ColumnBatch) {
      // Tallies first: a snapshot whose tallies failed to insert is never listed.
      await engine.append('tallies', TALLY_COLUMNS, batch.toColumns());
      await engine.append('snapshots', SNAPSHOT_COLUMNS, snapshots);
    },
    async close() {
      await client.close();
    },
  };
  return engine;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the ClickHouse server running?)';
  return (message.split('\n')[0] ?? message).slice(0, 500);
}
