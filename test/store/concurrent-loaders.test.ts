import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { fleetFiles } from './fleet-sample.js';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
const dir = mkdtempSync(join(tmpdir(), 'netsleuth-loaders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child { code: Promise<number>; stderr: () => string }

/** The CLI as its own process (a DuckDB file lock is per process). */
function start(argv: string[]): Child {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { code: new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1))), stderr: () => stderr };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function storeFacts(store: string): Promise<{ snapshots: number; distinct: number; connections: number; tallyConnections: number }> {
  const result = await runCli(['store', 'query', '--store', store, '--format', 'json',
    'SELECT (SELECT count(*) FROM snapshots) AS snapshots, (SELECT count(DISTINCT sha256 || \'/\' || snapshot_index) FROM snapshots) AS distinct_snapshots, ' +
    '(SELECT sum(connections) FROM snapshots) AS connections, (SELECT sum(connections) FROM tallies) AS tally_connections']);
  expect(result.code).toBe(0);
  const [row] = JSON.parse(result.stdout) as { snapshots: number; distinct_snapshots: number; connections: number; tally_connections: number }[];
  return { snapshots: row!.snapshots, distinct: row!.distinct_snapshots, connections: row!.connections, tallyConnections: row!.tally_connections };
}

describe('concurrent loaders on one DuckDB store', () => {
  it('a second loader says the store is busy (--wait 0), or waits for it, and loses nothing', { timeout: 180_000 }, async () => {
    const files = fleetFiles();
    const store = join(dir, 'held.duckdb');
    expect((await runCli(['store', 'add', '--store', store, files[0]!])).code).toBe(0);
    // This process holds the file the way a long load does.
    const holder = await duckdb.DuckDBInstance.create(store);
    const connection = await holder.connect();
    try {
      const refused = start(['store', 'add', '--store', store, '--wait', '0', files[1]!]);
      expect(await refused.code).toBe(2);
      expect(refused.stderr()).toMatch(new RegExp(`the store is busy: another process \\(pid ${process.pid}\\) has it open`));
      expect(refused.stderr()).not.toMatch(/\n\s+at /);
      const query = start(['store', 'query', '--store', store, '--wait', '0', 'SELECT 1']);
      expect(await query.code).toBe(2);
      expect(query.stderr()).toMatch(/the store is busy/);

      const waiting = start(['store', 'add', '--store', store, '--wait', '60', ...files.slice(1, 4)]);
      await until(() => /waiting up to 60 s/.test(waiting.stderr()), 60_000);
      connection.closeSync();
      holder.closeSync();
      expect(await waiting.code).toBe(0);
      expect(waiting.stderr()).toMatch(/3 snapshot\(s\) added/);
    } finally {
      connection.closeSync();
      holder.closeSync();
    }
    const facts = await storeFacts(store);
    const sequential = join(dir, 'sequential-held.duckdb');
    expect((await runCli(['store', 'add', '--store', sequential, ...files.slice(0, 4)])).code).toBe(0);
    expect(facts).toEqual(await storeFacts(sequential));
  });

  it('two loaders started together with overlapping files both finish, and each snapshot is stored once', { timeout: 240_000 }, async () => {
    const files = fleetFiles();
    const half = Math.ceil(files.length / 2);
    const store = join(dir, 'race.duckdb');
    const first = start(['store', 'add', '--store', store, ...files.slice(0, half + 3)]);
    const second = start(['store', 'add', '--store', store, ...files.slice(half - 3)]);
    const codes = await Promise.all([first.code, second.code]);
    expect(codes, `${first.stderr()}\n${second.stderr()}`).toEqual([0, 0]);
    const facts = await storeFacts(store);
    expect(facts.snapshots).toBe(facts.distinct);
    const sequential = join(dir, 'sequential-race.duckdb');
    expect((await runCli(['store', 'add', '--store', sequential, ...files])).code).toBe(0);
    expect(facts).toEqual(await storeFacts(sequential));
  });
});
