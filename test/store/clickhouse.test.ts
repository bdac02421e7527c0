// The same fleet through ClickHouse (Debian's clickhouse-server, started here on free loopback
// ports with its config, data and logs in a temporary directory) as through DuckDB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { clickhouseInstalled, startClickHouse, type ClickHouseServer } from '../support/clickhouse-server.js';
import { fleetFiles } from './fleet-sample.js';

const installed = clickhouseInstalled();
if (!installed) console.warn('SKIP: ClickHouse store tests: clickhouse-server is not installed (apt-get install clickhouse-server)');

const NOW = ['--now', '2026-12-02T00:00:00Z', '--no-dns', '--format', 'json'];

describe.skipIf(!installed)('ClickHouse store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-clickhouse-'));
  let server: ClickHouseServer;

  beforeAll(async () => {
    server = await startClickHouse(join(dir, 'server'));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('gives the same report JSON as DuckDB for the same fleet, and loading twice changes nothing', { timeout: 300_000 }, async () => {
    const clickhouse = server.url('fleet');
    const duckdb = join(dir, 'fleet.duckdb');
    for (const store of [clickhouse, duckdb]) {
      const load = await runCli(['store', 'add', '--store', store, ...fleetFiles()]);
      expect(load.stderr).toContain('60 snapshot(s) added');
      expect(load.code).toBe(0);
    }
    const fromClickHouse = await runCli(['report', '--store', clickhouse, ...NOW]);
    expect(fromClickHouse.stderr).toBe('');
    const fromDuckDb = await runCli(['report', '--store', duckdb, ...NOW]);
    const a = JSON.parse(fromClickHouse.stdout) as { acrossHosts: { store: string } };
    const b = JSON.parse(fromDuckDb.stdout) as { acrossHosts: { store: string } };
    expect(a.acrossHosts.store).toBe(clickhouse);
    b.acrossHosts.store = a.acrossHosts.store;
    expect(a).toEqual(b);

    const again = await runCli(['store', 'add', '--store', clickhouse, ...fleetFiles()]);
    expect(again.stderr).toContain('0 snapshot(s) added, 60 already there');
    expect(JSON.parse((await runCli(['report', '--store', clickhouse, ...NOW])).stdout)).toEqual(a);
  });

  it('answers the README queries the same way as DuckDB, read-only', { timeout: 120_000 }, async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.slice(readme.indexOf('```sql', readme.indexOf('## A fleet in one store')) + 6);
    const queries = block.slice(0, block.indexOf('```')).split(/\n\n/).map((text) => text.split('\n').filter((line) => !line.startsWith('--')).join(' ').trim()).filter(Boolean);
    expect(queries).toHaveLength(3);
    for (const sql of queries) {
      const answers = [];
      for (const store of [server.url('fleet'), join(dir, 'fleet.duckdb')]) {
        const result = await runCli(['store', 'query', '--store', store, '--format', 'json', sql]);
        expect(result.stderr, sql).toBe('');
        answers.push(JSON.parse(result.stdout));
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0].length).toBeGreaterThan(0);
    }
    const write = await runCli(['store', 'query', '--store', server.url('fleet'), 'DROP TABLE tallies']);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/readonly|read-only|Cannot execute query in readonly mode/i);
  });
});
