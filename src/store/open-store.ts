// Opens the store a --store value names, with its schema in place.
import type { StoreEngine } from './engine.js';
import { ensureSchema, checkVersion, readSchemaVersion } from './schema.js';
import { parseStoreLocation, type StoreLocation } from './store-url.js';
import { UserError } from '../errors.js';

export interface OpenStoreOptions {
  /** store query, report: nothing is created or written. */
  readOnly?: boolean;
  nowMs?: number;
  requestTimeoutMs?: number;
  /** DuckDB: how long to wait while another process holds the file (default 0). */
  waitMs?: number;
  /** Told once when the store is busy and we wait. */
  onWait?: (message: string) => void;
  /** DuckDB, read-only: every query that needs an order says so (ORDER BY); others stream in any order. */
  unordered?: boolean;
}

export async function openStoreLocation(location: StoreLocation, options: OpenStoreOptions = {}): Promise<StoreEngine> {
  const engine =
    location.kind === 'duckdb'
      ? await (await import('./duckdb-engine.js')).openDuckDbEngine(location.path, location.display, {
          ...(options.readOnly ? { readOnly: true } : {}),
          ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
          ...(options.onWait ? { onWait: options.onWait } : {}),
          ...(options.unordered ? { unordered: true } : {}),
        })
      : await (await import('./clickhouse-engine.js')).openClickHouseEngine(location, {
          ...(options.readOnly ? { readOnly: true } : {}),
          ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
        });
  try {
    if (options.readOnly) {
      const version = await readSchemaVersion(engine);
      if (version === null) throw new UserError(`${location.display}: no netsleuth store here yet (load captures with 'netsleuth store add')`, 2);
      checkVersion(engine, version);
    } else {
      await ensureSchema(engine, options.nowMs ?? Date.now());
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}

export async function openStore(text: string | undefined, env: NodeJS.ProcessEnv, cwd: string, options: OpenStoreOptions = {}): Promise<StoreEngine> {
  const location = parseStoreLocation(text, env, cwd);
  if (location.kind === 'duckdb' && options.readOnly) {
    const { access } = await import('node:fs/promises');
    try {
      await access(location.path);
    } catch {
      throw new UserError(`${location.display}: no such store file (load captures with 'netsleuth store add --store ${location.display}')`, 2);
    }
  }
  return openStoreLocation(location, options);
}
