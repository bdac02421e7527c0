import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBin, runCli } from '../helpers/run-cli.js';
import { fleetFiles } from '../store/fleet-sample.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sample = (name: string) => join(PROJECT_ROOT, 'samples/incident', name);

async function queryJson(store: string, sql: string): Promise<Record<string, unknown>[]> {
  const result = await runCli(['store', 'query', '--store', store, '--format', 'json', sql]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

describe('netsleuth store add (DuckDB)', () => {
  const store = join(dir, 'fleet.duckdb');

  it('stores one row per snapshot with its tallies, and loading twice adds nothing', { timeout: 120_000 }, async () => {
    const first = await runCli(['store', 'add', '--store', store, '--host', 'web1', sample('incident-01.txt'), sample('console-log.txt')]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('5 snapshot(s) added, 0 already there');
    const snapshots = await queryJson(store, 'SELECT host, snapshot_index, snapshot_count, parser, connections, captured_at FROM snapshots ORDER BY file, snapshot_index');
    expect(snapshots).toHaveLength(5);
    expect(snapshots.map((row) => row.snapshot_index)).toEqual([1, 2, 3, 4, 1]);
    expect(snapshots[0]).toMatchObject({ host: 'web1', snapshot_count: 4, parser: 'netstat-linux', captured_at: '2026-11-28T09:00:01.000Z' });
    // The tallies add up to the snapshot totals, and to what report counts for the same file.
    const sums = await queryJson(store, 'SELECT s.file, s.snapshot_index, s.connections, sum(t.connections) AS tallied FROM snapshots s JOIN tallies t ON t.snapshot_id = s.snapshot_id GROUP BY s.file, s.snapshot_index, s.connections ORDER BY s.file, s.snapshot_index');
    for (const row of sums) expect(row.tallied).toBe(row.connections);
    const report = JSON.parse((await runCli(['report', '--format', 'json', '--no-dns', sample('incident-01.txt')])).stdout) as { totals: { connections: number } };
    expect(sums.at(-1)!.tallied).toBe(report.totals.connections);

    const before = await queryJson(store, 'SELECT count(*) AS n, sum(connections) AS c FROM tallies');
    const again = await runCli(['store', 'add', '--store', store, '--host', 'web1', sample('console-log.txt'), sample('incident-01.txt')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 snapshot(s) added, 5 already there');
    expect(await queryJson(store, 'SELECT count(*) AS n, sum(connections) AS c FROM tallies')).toEqual(before);
  });

  it('a file stored whole is known by its sha256 and not read again; a changed or same-size file is read', { timeout: 120_000 }, async () => {
    const known = join(dir, 'known.duckdb');
    const log = readFileSync(sample('console-log.txt'));
    const file = join(dir, 'web5-console.txt');
    writeFileSync(file, log);
    const first = await runCli(['store', 'add', '--store', known, file]);
    expect(first.stderr).toContain('4 of 4 snapshots added');
    expect(first.stderr).not.toContain('not read again');

    const again = await runCli(['store', 'add', '--store', known, file]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('web5-console.txt: already stored (4 snapshots, same sha256), not read again');
    expect(again.stderr).toContain('0 snapshot(s) added, 4 already there (1 known file(s) not read again)');

    // The same size with other bytes (one digit changed) is a new file: read, and its changed snapshot stored.
    const changed = Buffer.from(log);
    const at = changed.indexOf('147.46.195.90');
    changed[at + 12] = changed[at + 12] === 0x30 ? 0x31 : 0x30;
    writeFileSync(file, changed);
    const sameSize = await runCli(['store', 'add', '--store', known, file]);
    expect(sameSize.stderr).not.toContain('not read again');
    expect(sameSize.stderr).toContain('4 of 4 snapshots added');

    // A file that grew (another table appended) has other bytes: read and stored as a file of its own.
    writeFileSync(file, Buffer.concat([changed, readFileSync(sample('incident-01.txt'))]));
    const grown = await runCli(['store', 'add', '--store', known, file]);
    expect(grown.stderr).not.toContain('not read again');
    expect(grown.stderr).toMatch(/snapshot\(s\) added/);
    expect(await queryJson(known, 'SELECT count(DISTINCT sha256) AS files FROM snapshots')).toEqual([{ files: 3 }]);
  });

  it('the compiled CLI reads files on parse workers and stores exactly what reading them in turn stores', { timeout: 180_000 }, async () => {
    // runCli runs the TypeScript sources (inputs read in process); runBin the build (parse workers).
    const files = [...fleetFiles(), sample('console-log.txt'), join(dir, 'missing-2.txt'), sample('incident-01.txt')];
    const inProcess = join(dir, 'in-process.duckdb');
    const onWorkers = join(dir, 'workers.duckdb');
    const first = await runCli(['store', 'add', '--store', inProcess, '--host', 'web9', ...files]);
    const second = runBin(['store', 'add', '--store', onWorkers, '--host', 'web9', ...files], { timeoutMs: 120_000, env: { NETSLEUTH_STORE_PARALLEL_MIN_BYTES: '0' } });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(first.stderr.split(inProcess).join(onWorkers));
    expect(second.stderr).toMatch(/not stored: .*missing-2\.txt: cannot read \(no such file\)/);
    const rows = 'SELECT host, captured_ms, file, snapshot_index, connections, listening, remote, ip_version, state, local_port, program, inbound, idle, tallied FROM (' +
      'SELECT s.host, s.captured_ms, s.file, s.snapshot_index, s.connections, s.listening, t.remote, t.ip_version, t.state, t.local_port, t.program, t.inbound, t.idle, t.connections AS tallied ' +
      'FROM snapshots s JOIN tallies t ON t.snapshot_id = s.snapshot_id) ORDER BY ALL';
    const expected = await queryJson(inProcess, rows);
    expect(expected.length).toBeGreaterThan(1000);
    expect(await queryJson(onWorkers, rows)).toEqual(expected);

    // Loaded again: the workers hash the files, and none is parsed or added.
    const againInProcess = await runCli(['store', 'add', '--store', inProcess, '--host', 'web9', ...files]);
    const againOnWorkers = runBin(['store', 'add', '--store', onWorkers, '--host', 'web9', ...files], { timeoutMs: 120_000, env: { NETSLEUTH_STORE_PARALLEL_MIN_BYTES: '0' } });
    expect(againOnWorkers.stderr).toBe(againInProcess.stderr.split(inProcess).join(onWorkers));
    expect(againOnWorkers.stderr).toContain('0 snapshot(s) added');
    expect(againOnWorkers.stderr).toContain(`(${files.length - 1} known file(s) not read again)`);
    expect(await queryJson(onWorkers, rows)).toEqual(expected);
  });

  it('reads gzip and stdin, and takes the host from the file name', { timeout: 120_000 }, async () => {
    const gz = join(dir, 'db2-20261128.txt.gz');
    writeFileSync(gz, gzipSync(readFileSync(sample('incident-02.txt'))));
    const result = await runCli(['store', 'add', '--store', store, gz]);
    expect(result.stderr).toContain('host db2');
    const piped = await runCli(['store', 'add', '--store', store, '--host', 'pipe1', '-'], { stdin: readFileSync(sample('incident-03.txt')) });
    expect(piped.code).toBe(0);
    const hosts = await queryJson(store, 'SELECT host, count(*) AS snapshots FROM snapshots GROUP BY host ORDER BY host');
    expect(hosts).toEqual([{ host: 'db2', snapshots: 1 }, { host: 'pipe1', snapshots: 1 }, { host: 'web1', snapshots: 5 }]);
  });

  it('reports an input it cannot store and loads the rest (exit 1)', { timeout: 120_000 }, async () => {
    const garbage = join(dir, 'garbage.txt');
    writeFileSync(garbage, 'not a capture at all\n');
    const nameless = join(dir, 'capture.txt');
    writeFileSync(nameless, readFileSync(sample('incident-04.txt')));
    const result = await runCli(['store', 'add', '--store', store, garbage, join(dir, 'missing-1.txt'), nameless, sample('incident-04.txt')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not stored: .*garbage\.txt/);
    expect(result.stderr).toMatch(/not stored: .*missing-1\.txt: cannot read/);
    expect(result.stderr).toMatch(/capture\.txt: cannot tell which host/);
    expect(result.stderr).toMatch(/incident-04\.txt: host incident: 1 of 1 snapshot added/);
    const empty = join(dir, 'web9-empty.txt');
    writeFileSync(empty, '');
    expect((await runCli(['store', 'add', '--store', store, empty])).stderr).toMatch(/not stored/);
  });

  it('store query is read-only and prints json, csv and table', { timeout: 120_000 }, async () => {
    const write = await runCli(['store', 'query', '--store', store, 'DELETE FROM snapshots']);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/read-only/);
    const external = await runCli(['store', 'query', '--store', store, "COPY snapshots TO '" + join(dir, 'out.csv') + "'"]);
    expect(external.code).toBe(2);
    const csv = await runCli(['store', 'query', '--store', store, '--format', 'csv', "SELECT '=cmd' AS f, 1 AS n"]);
    expect(csv.stdout).toBe("f,n\r\n'=cmd,1\r\n");
    const table = await runCli(['store', 'query', '--store', store, '--format', 'table', 'SELECT host, count(*) AS n FROM snapshots GROUP BY host ORDER BY host']);
    expect(table.stdout.split('\n')[0]).toMatch(/^host\s+n$/);
    expect((await runCli(['store', 'query', '--store', join(dir, 'none.duckdb'), 'SELECT 1'])).stderr).toMatch(/no such store file/);
    expect((await runCli(['store', 'query', '--store', store, 'SELEC nonsense'])).code).toBe(2);
  });
});
