import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCachedBlocklists } from '../../src/enrich/blocklist/blocklist-store.js';
import { loadBootstrap } from '../../src/enrich/network/rdap-bootstrap.js';
import { FIXTURES, runCli } from '../helpers/run-cli.js';
import { startStaticServer, type StaticServer } from '../support/static-http.js';

let server: StaticServer;
let dir: string;
const drop = readFileSync(join(FIXTURES, 'real/intelmq/drop.txt'));
const ipsum = readFileSync(join(FIXTURES, 'real/ipsum/levels/7.txt'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netsleuth-update-'));
  server = await startStaticServer({
    '/drop.txt': drop,
    '/ipsum-7.txt': ipsum,
    '/rdap/ipv4.json': readFileSync(join(FIXTURES, 'real/openrdap/ipv4.json')),
    '/rdap/ipv6.json': readFileSync(join(FIXTURES, 'real/arin-rdap-bootstrap/v6_bootstrap.json')),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('netsleuth update (loopback servers only)', () => {
  it('fetches each configured list with time, size and sha256, and the bootstrap registry', async () => {
    const cacheDir = join(dir, 'cache1');
    const result = await runCli(['update', '--cache-dir', cacheDir, '--list', `spamhaus-drop=${server.url}/drop.txt`, '--list', `ipsum-7=${server.url}/ipsum-7.txt`, '--rdap-bootstrap-url', `${server.url}/rdap/`, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { lists: { ok: boolean; source: { name: string; entries: number; sha256: string; sizeBytes: number } }[]; bootstrap: { ok: boolean; publication: string }[] };
    expect(report.lists.map((list) => [list.source.name, list.source.entries, list.source.sizeBytes])).toEqual([['spamhaus-drop', 2, drop.length], ['ipsum-7', 70, ipsum.length]]);
    expect(report.bootstrap.map((entry) => entry.publication)).toEqual(['2015-08-11T00:09:31Z', '2024-11-01T22:00:01Z']);
    const lists = loadCachedBlocklists(cacheDir);
    expect(lists.map((list) => list.source.name)).toEqual(['ipsum-7', 'spamhaus-drop']);
    expect(loadBootstrap(cacheDir).publication[4]).toBe('2015-08-11T00:09:31Z');
  });

  it('a failed download keeps the previous copy and exits 1', async () => {
    const cacheDir = join(dir, 'cache2');
    expect((await runCli(['update', '--cache-dir', cacheDir, '--list', `drop=${server.url}/drop.txt`, '--no-rdap-bootstrap'])).code).toBe(0);
    const before = readFileSync(join(cacheDir, 'blocklists/drop.txt'));
    server.set('/drop.txt', null);
    const failed = await runCli(['update', '--cache-dir', cacheDir, '--list', `drop=${server.url}/drop.txt`, '--no-rdap-bootstrap']);
    server.set('/drop.txt', '<html>not a list</html>\n');
    const garbage = await runCli(['update', '--cache-dir', cacheDir, '--list', `drop=${server.url}/drop.txt`, '--no-rdap-bootstrap']);
    server.set('/drop.txt', drop);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^drop: FAILED \(HTTP 500\); kept the copy fetched 20/);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toContain('no address, range or ASN entry');
    expect(readFileSync(join(cacheDir, 'blocklists/drop.txt'))).toEqual(before);
    expect(loadCachedBlocklists(cacheDir)[0]?.entries).toHaveLength(2);
  });

  it('a tampered cached copy is not used', async () => {
    const cacheDir = join(dir, 'cache3');
    await runCli(['update', '--cache-dir', cacheDir, '--list', `drop=${server.url}/drop.txt`, '--no-rdap-bootstrap']);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(cacheDir, 'blocklists/drop.txt'), '8.8.8.8\n');
    const warnings: string[] = [];
    expect(loadCachedBlocklists(cacheDir, (warning) => warnings.push(warning))).toEqual([]);
    expect(warnings[0]).toContain('sha256');
  });

  it('refuses --offline, bad list specs and bad files with exit 2', async () => {
    expect((await runCli(['update', '--offline'])).code).toBe(2);
    const bad = await runCli(['update', '--list', 'no-equals-sign', '--cache-dir', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected NAME=URL');
    const missing = await runCli(['update', '--lists-file', join(dir, 'nope.txt'), '--cache-dir', join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
