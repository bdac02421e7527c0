// The same fleet through ClickHouse (Debian's clickhouse-server, started here on free loopback
// ports with its config, data and logs in a temporary directory) as through DuckDB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { BIN, runCli } from '../helpers/run-cli.js';
import { writeFakeProc } from './fake-proc.js';
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

    // Listing only the heaviest remotes: ClickHouse keeps them by a connection floor (ties
    // included), DuckDB by their numbers; the same remotes are listed either way.
    for (const listed of ['1', '7']) {
      const topClickHouse = JSON.parse((await runCli(['report', '--store', clickhouse, '--remotes', listed, ...NOW])).stdout) as { acrossHosts: { store: string }; remotes: unknown[] };
      const topDuckDb = JSON.parse((await runCli(['report', '--store', duckdb, '--remotes', listed, ...NOW])).stdout) as { acrossHosts: { store: string }; remotes: unknown[] };
      expect(topClickHouse.remotes).toHaveLength(Number(listed));
      topDuckDb.acrossHosts.store = topClickHouse.acrossHosts.store;
      expect(topClickHouse).toEqual(topDuckDb);
    }
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

  it('a capture whose insert fails (server stopped mid-load) is reported, the rest load, and it loads later', { timeout: 300_000 }, async () => {
    // A loopback proxy in front of the server: at the third capture's insert it stops the
    // server, lets that request fail, and starts the server again.
    let tallyInserts = 0;
    const proxy: Server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', async () => {
        const isTallyInsert = /INSERT INTO tallies/i.test(decodeURIComponent((incoming.url ?? '').replace(/\+/g, ' ')));
        if (isTallyInsert && ++tallyInserts === 3) {
          await server.stop();
          await server.start();
          outgoing.destroy();
          return;
        }
        const forward = request({ host: '127.0.0.1', port: server.httpPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        forward.on('error', () => outgoing.destroy());
        forward.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const files = fleetFiles().filter((file) => /web1-/.test(file)).slice(0, 6);
    try {
      const load = await runCli(['store', 'add', '--store', `clickhouse://127.0.0.1:${port}/midload`, ...files]);
      expect(load.code).toBe(1);
      expect(load.stderr).toContain(`not stored: ${files[2]}: `);
      expect(load.stderr).toContain('5 snapshot(s) added, 0 already there');
      expect(load.stderr).toContain('1 input(s) not stored');
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const store = server.url('midload');
    const count = async () => JSON.parse((await runCli(['store', 'query', '--store', store, '--format', 'json', 'SELECT count(*) AS n FROM snapshots'])).stdout)[0].n;
    expect(await count()).toBe(5);
    const retry = await runCli(['store', 'add', '--store', store, ...files]);
    expect(retry.stderr).toContain('1 snapshot(s) added, 5 already there');
    expect(await count()).toBe(6);
    const duckdb = join(dir, 'midload.duckdb');
    await runCli(['store', 'add', '--store', duckdb, ...files]);
    const a = JSON.parse((await runCli(['report', '--store', store, ...NOW])).stdout);
    const b = JSON.parse((await runCli(['report', '--store', duckdb, ...NOW])).stdout);
    b.acrossHosts.store = a.acrossHosts.store;
    expect(a).toEqual(b);
  });

  it('two loaders racing on the same files store each snapshot once', { timeout: 300_000 }, async () => {
    // A loopback proxy holds each tally insert until the other loader's arrives (or 5 s pass):
    // both loaders have then found the snapshot missing, and both insert it.
    let held: (() => void) | null = null;
    let paired = 0;
    const proxy: Server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', async () => {
        const forward = (): void => {
          const upstream = request({ host: '127.0.0.1', port: server.httpPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          });
          upstream.on('error', () => outgoing.destroy());
          upstream.end(Buffer.concat(chunks));
        };
        if (!/INSERT INTO tallies/i.test(decodeURIComponent((incoming.url ?? '').replace(/\+/g, ' ')))) return forward();
        if (held) {
          paired++;
          const partner = held;
          held = null;
          partner();
          return forward();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            held = null;
            resolve();
          }, 5_000);
          held = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        forward();
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const files = fleetFiles().filter((file) => /web2-/.test(file)).slice(0, 4);
    try {
      const racing = `clickhouse://127.0.0.1:${port}/raced`;
      const loads = await Promise.all([runCli(['store', 'add', '--store', racing, ...files]), runCli(['store', 'add', '--store', racing, ...files])]);
      for (const load of loads) expect(load.code, load.stderr).toBe(0);
      // Every capture was raced: both loaders added it.
      expect(paired).toBe(files.length);
      for (const load of loads) expect(load.stderr).toContain(`${files.length} snapshot(s) added, 0 already there`);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const clean = server.url('unraced');
    expect((await runCli(['store', 'add', '--store', clean, ...files])).code).toBe(0);
    const raced = server.url('raced');
    const counts = async (store: string) =>
      JSON.parse((await runCli(['store', 'query', '--store', store, '--format', 'json', 'SELECT (SELECT count() FROM snapshots) AS snapshots, (SELECT count() FROM tallies) AS tallies, (SELECT sum(connections) FROM tallies) AS connections'])).stdout)[0];
    const expected = await counts(clean);
    expect(expected.snapshots).toBe(files.length);
    // The copies go by ClickHouse mutations, applied in the background: wait for them.
    let now = await counts(raced);
    for (let tries = 0; tries < 100 && JSON.stringify(now) !== JSON.stringify(expected); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = await counts(raced);
    }
    expect(now).toEqual(expected);
    const a = JSON.parse((await runCli(['report', '--store', raced, ...NOW])).stdout);
    const b = JSON.parse((await runCli(['report', '--store', clean, ...NOW])).stdout);
    b.acrossHosts.store = a.acrossHosts.store;
    expect(a).toEqual(b);
  });

  it('three hosts watching into one ClickHouse store at once lose nothing', { timeout: 300_000 }, async () => {
    const hosts = [['edge1', 11], ['edge2', 23], ['edge3', 37]] as const;
    const store = server.url('watching');
    const runs = await Promise.all(hosts.map(async ([host, connections]) => {
      const proc = join(dir, `proc-${host}`);
      await writeFakeProc(proc, connections);
      const child = spawn(process.execPath, [BIN, 'watch', '--proc-root', proc, '--store', store, '--host', host, '--interval', '300ms', '--iterations', '5', '--case', join(dir, `case-${host}`)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { host, connections, code, stdout };
    }));
    for (const run of runs) {
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout.match(/store: stored in /g), run.stdout).toHaveLength(5);
    }
    const result = await runCli(['store', 'query', '--store', store, '--format', 'json', 'SELECT host, count(*) AS snapshots, sum(connections) AS connections FROM snapshots GROUP BY host ORDER BY host']);
    expect(JSON.parse(result.stdout)).toEqual(hosts.map(([host, connections]) => ({ host, snapshots: 5, connections: 5 * connections })));
    const tallied = await runCli(['store', 'query', '--store', store, '--format', 'json', 'SELECT host, sum(connections) AS connections FROM tallies WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots) GROUP BY host ORDER BY host']);
    expect(JSON.parse(tallied.stdout)).toEqual(hosts.map(([host, connections]) => ({ host, connections: 5 * connections })));
  });
});

