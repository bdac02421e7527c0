// capture, watch and health append each capture to the store as it is taken; a failed insert
// keeps the capture file and says where.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { writeFakeProc } from './fake-proc.js';
import { freePort } from '../support/clickhouse-server.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rows(store: string, sql: string): Promise<Record<string, unknown>[]> {
  const result = await runCli(['store', 'query', '--store', store, '--format', 'json', sql]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

describe('writers into a store', () => {
  it('capture --store stores the snapshot under --host and leaves no file behind', { timeout: 120_000 }, async () => {
    const proc = join(dir, 'proc-a');
    await writeFakeProc(proc, 37);
    const work = join(dir, 'work-a');
    const store = join(dir, 'a.duckdb');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(work);
    const result = await runCli(['capture', '--proc-root', proc, '--store', store, '--host', 'edge7'], { cwd: work });
    expect(result.stderr).toMatch(/stored in .*a\.duckdb: host edge7, 37 connections/);
    expect(result.code).toBe(0);
    expect(readdirSync(work)).toEqual([]);
    expect(await rows(store, 'SELECT host, connections, parser FROM snapshots')).toEqual([{ host: 'edge7', connections: 37, parser: 'netsleuth-capture' }]);
  });

  it('a failed insert keeps the capture file and says so (exit 1)', { timeout: 120_000 }, async () => {
    const proc = join(dir, 'proc-b');
    await writeFakeProc(proc, 5);
    const work = join(dir, 'work-b');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(work);
    const closed = `clickhouse://netsleuth:hunter22@127.0.0.1:${await freePort()}/fleet`;
    const result = await runCli(['capture', '--proc-root', proc, '--store', closed, '--host', 'edge8'], { cwd: work });
    expect(result.code).toBe(1);
    const kept = readdirSync(work);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^edge8-\d{8}T\d{6}Z\.txt$/);
    expect(result.stderr).toContain(`the capture is kept in ${kept[0]}`);
    expect(result.stderr).not.toContain('hunter22');
    expect(readFileSync(join(work, kept[0]!), 'utf8')).toMatch(/^# netsleuth capture v1\n# host: edge8\n/);
    // ... and it loads later.
    const store = join(dir, 'b.duckdb');
    expect((await runCli(['store', 'add', '--store', store, join(work, kept[0]!)])).code).toBe(0);
    expect(await rows(store, 'SELECT host, connections FROM snapshots')).toEqual([{ host: 'edge8', connections: 5 }]);
  });

  it('watch --store appends every capture; health with store: appends its capture', { timeout: 180_000 }, async () => {
    const proc = join(dir, 'proc-c');
    await writeFakeProc(proc, 12);
    const store = join(dir, 'c.duckdb');
    const watch = await runCli(['watch', '--proc-root', proc, '--store', store, '--host', 'edge9', '--interval', '200ms', '--iterations', '3', '--case', join(dir, 'watch-c')]);
    expect(watch.code).toBe(0);
    expect(watch.stdout.match(/store: stored in .*host edge9, 12 connections/g)).toHaveLength(3);
    expect(await rows(store, 'SELECT host, count(*) AS snapshots, sum(connections) AS connections FROM snapshots GROUP BY host')).toEqual([{ host: 'edge9', snapshots: 3, connections: 36 }]);

    const config = join(dir, 'health.yaml');
    writeFileSync(config, `checks:\n  - name: flood\n    type: connections\n    warn: 5\ncapture: on-failure\nstore: ${store}\nreport:\n  dns: false\n`);
    const health = await runCli(['health', '--config', config, '--proc-root', proc, '--case', join(dir, 'case-c'), '--no-dns']);
    expect(health.code).toBe(1);
    expect(health.stderr).not.toMatch(/not stored/);
    expect(await rows(store, 'SELECT count(*) AS snapshots FROM snapshots')).toEqual([{ snapshots: 4 }]);

    const badConfig = join(dir, 'health-bad.yaml');
    writeFileSync(config.replace('health.yaml', 'health-bad.yaml'), `checks:\n  - name: flood\n    type: connections\n    warn: 5\ncapture: on-failure\nstore: clickhouse://u:pw1234@127.0.0.1:${await freePort()}/x\n`);
    const failing = await runCli(['health', '--config', badConfig, '--proc-root', proc, '--case', join(dir, 'case-d'), '--no-dns']);
    expect(failing.stderr).toMatch(/not stored in clickhouse:\/\/u:\[redacted\]@127\.0\.0\.1:\d+\/x: .*the capture is kept in .*connections\.txt/);
    expect(failing.stderr).not.toContain('pw1234');
    expect(existsSync(join(dir, 'case-d'))).toBe(true);
    expect((await runCli(['health', '--config', join(dir, 'nope.yaml')])).code).toBe(2);
    writeFileSync(badConfig, 'checks:\n  - name: x\n    type: load\nstore: sqlite:/tmp/x\n');
    expect((await runCli(['health', '--config', badConfig])).stderr).toMatch(/health-bad\.yaml:\d+: store: /);
  });
});
