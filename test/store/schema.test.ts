import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runCli } from '../helpers/run-cli.js';
import { fleetFiles } from './fleet-sample.js';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
const dir = mkdtempSync(join(tmpdir(), 'netsleuth-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const REPORT = ['--now', '2026-12-02T00:00:00Z', '--no-dns', '--no-trace', '--format', 'json'];

async function withDuckDb<T>(path: string, use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await duckdb.DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function rows(path: string, sql: string): Promise<unknown[][]> {
  return withDuckDb(path, async (connection) => (await connection.runAndReadAll(sql)).getRows());
}

describe('DuckDB store schema', () => {
  it('keeps tallies as numbers behind a tallies view with the documented columns', { timeout: 120_000 }, async () => {
    const store = join(dir, 'v2.duckdb');
    const files = fleetFiles().slice(0, 4);
    expect((await runCli(['store', 'add', '--store', store, ...files])).code).toBe(0);
    const tables = await rows(store, "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN ('tallies', 'tally_rows', 'remotes') ORDER BY table_name");
    expect(tables).toEqual([['remotes', 'BASE TABLE'], ['tallies', 'VIEW'], ['tally_rows', 'BASE TABLE']]);
    const columns = await rows(store, "SELECT column_name FROM information_schema.columns WHERE table_name = 'tallies' ORDER BY ordinal_position");
    expect(columns.map((row) => row[0])).toEqual(['host', 'captured_ms', 'snapshot_id', 'remote', 'ip_version', 'state', 'local_port', 'program', 'inbound', 'idle', 'connections']);
    // Every tally row belongs to a stored snapshot, and every remote is numbered once.
    const [[orphans]] = (await rows(store, 'SELECT count(*) FROM tally_rows t ANTI JOIN snapshots s ON s.snapshot_no = t.snapshot_no')) as [[bigint]];
    expect(orphans).toBe(0n);
    const [[remotes, distinct]] = (await rows(store, 'SELECT count(*), count(DISTINCT remote) FROM remotes')) as [[bigint, bigint]];
    expect(remotes).toBe(distinct);
  });

  it('reads a version 1 store as it is, and upgrades it on the next load without changing a report', { timeout: 180_000 }, async () => {
    const files = fleetFiles().slice(0, 6);
    const current = join(dir, 'current.duckdb');
    expect((await runCli(['store', 'add', '--store', current, ...files])).code).toBe(0);
    const expected = await runCli(['report', '--store', current, ...REPORT]);
    expect(expected.code).toBe(0);

    // A version 1 store held the tallies as one text table.
    const old = join(dir, 'old.duckdb');
    await withDuckDb(old, async (connection) => {
      await connection.run(`ATTACH '${current}' AS v2 (READ_ONLY)`);
      await connection.run('CREATE TABLE netsleuth_schema (version INTEGER, created_ms BIGINT)');
      await connection.run('INSERT INTO netsleuth_schema VALUES (1, 0)');
      await connection.run('CREATE TABLE snapshots AS SELECT * EXCLUDE (snapshot_no) FROM v2.snapshots');
      await connection.run('CREATE TABLE tallies AS SELECT * FROM v2.tallies');
      // A load that failed half-way left tallies without a snapshots row: they never counted.
      await connection.run("INSERT INTO tallies SELECT host, captured_ms, 'lost-snapshot', remote, ip_version, state, local_port, program, inbound, idle, connections FROM v2.tallies LIMIT 5");
      await connection.run('DETACH v2');
    });
    const strip = (json: string): unknown => {
      const report = JSON.parse(json) as { acrossHosts: { store: string } };
      report.acrossHosts.store = '';
      return report;
    };
    const fromOld = await runCli(['report', '--store', old, ...REPORT]);
    expect(fromOld.code).toBe(0);
    expect(strip(fromOld.stdout)).toEqual(strip(expected.stdout));

    const upgraded = await runCli(['store', 'add', '--store', old, ...files]);
    expect(upgraded.code).toBe(0);
    expect(upgraded.stderr).toMatch(/0 snapshot\(s\) added, \d+ already there/);
    expect((await rows(old, 'SELECT max(version) FROM netsleuth_schema'))[0]![0]).toBe(2);
    expect((await rows(old, "SELECT table_type FROM information_schema.tables WHERE table_name = 'tallies'"))[0]![0]).toBe('VIEW');
    const after = await runCli(['report', '--store', old, ...REPORT]);
    expect(strip(after.stdout)).toEqual(strip(expected.stdout));
  });
});
