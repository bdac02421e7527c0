import { describe, expect, it } from 'vitest';
import { defaultStorePath, parseStoreLocation, redactUrl } from '../../src/store/store-url.js';

const env = { XDG_DATA_HOME: '/data' };

describe('parseStoreLocation', () => {
  it('defaults to $XDG_DATA_HOME/netsleuth/fleet.duckdb', () => {
    expect(parseStoreLocation(undefined, env, '/cwd')).toEqual({ kind: 'duckdb', path: '/data/netsleuth/fleet.duckdb', display: '/data/netsleuth/fleet.duckdb' });
    expect(defaultStorePath({ XDG_DATA_HOME: 'relative' })).toMatch(/\.local\/share\/netsleuth\/fleet\.duckdb$/);
  });

  it('reads duckdb:PATH and *.duckdb relative to the working directory', () => {
    expect(parseStoreLocation('duckdb:f.db', env, '/cwd')).toMatchObject({ kind: 'duckdb', path: '/cwd/f.db' });
    expect(parseStoreLocation('x/fleet.DuckDB', env, '/cwd')).toMatchObject({ kind: 'duckdb', path: '/cwd/x/fleet.DuckDB' });
  });

  it('reads clickhouse:// URLs with user, password, port and database, and redacts the password', () => {
    const location = parseStoreLocation('clickhouse://ops:s3cr%40t@127.0.0.1:8123/fleet', env, '/cwd');
    expect(location).toEqual({ kind: 'clickhouse', url: 'http://127.0.0.1:8123', username: 'ops', password: 's3cr@t', database: 'fleet', display: 'clickhouse://ops:[redacted]@127.0.0.1:8123/fleet' });
    expect(parseStoreLocation('clickhouse://[::1]:8123/', env, '/cwd')).toMatchObject({ url: 'http://[::1]:8123', username: 'default', password: '', database: 'default' });
  });

  it('refuses what it cannot use, without echoing a password', () => {
    expect(() => parseStoreLocation('clickhouse://u:pw@127.0.0.1/db', env, '/cwd')).toThrow(/HTTP port/);
    expect(() => parseStoreLocation('clickhouse://u:pw@127.0.0.1/db', env, '/cwd')).not.toThrow(/pw/);
    expect(() => parseStoreLocation('clickhouse://127.0.0.1:8123/bad-name', env, '/cwd')).toThrow(/database name/);
    expect(() => parseStoreLocation('postgres://u:pw@h:5432/db', env, '/cwd')).toThrow(/unknown kind of store/);
    expect(() => parseStoreLocation('fleet.sqlite', env, '/cwd')).toThrow(/duckdb:PATH/);
    expect(() => parseStoreLocation('duckdb:', env, '/cwd')).toThrow(/file path/);
    expect(redactUrl('clickhouse://u:pw@h:1/d')).toBe('clickhouse://u:[redacted]@h:1/d');
  });
});
