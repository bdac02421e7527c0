// Which store a --store argument names: `duckdb:PATH` or a path ending in `.duckdb` (DuckDB, in
// process), or `clickhouse://[user[:password]@]host:port/database` (ClickHouse over HTTP).
// Pure: the default path comes from the environment the caller passes in.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

export type StoreLocation =
  | { kind: 'duckdb'; path: string; display: string }
  | { kind: 'clickhouse'; url: string; username: string; password: string; database: string; display: string };

/** $XDG_DATA_HOME/netsleuth/fleet.duckdb, else ~/.local/share/netsleuth/fleet.duckdb. */
export function defaultStorePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'netsleuth', 'fleet.duckdb');
}

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Parses a --store value; undefined or '' means the default DuckDB file. */
export function parseStoreLocation(text: string | undefined, env: NodeJS.ProcessEnv, cwd: string): StoreLocation {
  if (text === undefined || text === '') {
    const path = defaultStorePath(env);
    return { kind: 'duckdb', path, display: path };
  }
  if (text.startsWith('duckdb:')) {
    const path = text.slice('duckdb:'.length);
    if (path === '') throw new UserError("--store 'duckdb:' needs a file path (duckdb:/var/lib/netsleuth/fleet.duckdb)", 2);
    return { kind: 'duckdb', path: resolve(cwd, path), display: text };
  }
  if (/^clickhouse:\/\//i.test(text)) return parseClickHouse(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UserError(`--store '${redactUrl(text)}': unknown kind of store (use duckdb:PATH, FILE.duckdb or clickhouse://host:port/database)`, 2);
  }
  if (text.toLowerCase().endsWith('.duckdb')) return { kind: 'duckdb', path: resolve(cwd, text), display: text };
  throw new UserError(`--store '${text}': give duckdb:PATH, a file ending in .duckdb, or clickhouse://[user[:password]@]host:port/database`, 2);
}

function parseClickHouse(text: string): StoreLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--store '${redactUrl(text)}': not a valid URL (clickhouse://[user[:password]@]host:port/database)`, 2);
  }
  if (!url.hostname) throw new UserError(`--store '${redactUrl(text)}': no host`, 2);
  if (!url.port) throw new UserError(`--store '${redactUrl(text)}': give the HTTP port (clickhouse://host:8123/database)`, 2);
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || 'default';
  if (!DATABASE_NAME.test(database)) throw new UserError(`--store '${redactUrl(text)}': database name '${database}' must be letters, digits and _`, 2);
  if (url.search || url.hash) throw new UserError(`--store '${redactUrl(text)}': no query or fragment expected`, 2);
  const username = decodeURIComponent(url.username) || 'default';
  const password = decodeURIComponent(url.password);
  const host = url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname;
  const display = `clickhouse://${url.username ? `${url.username}${url.password ? ':[redacted]' : ''}@` : ''}${host}:${url.port}/${database}`;
  return { kind: 'clickhouse', url: `http://${host}:${url.port}`, username, password, database, display };
}

/** The text of a store URL with any password replaced, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:[redacted]@');
}
