// `netsleuth report --trace` end to end: the compiled CLI runs inside a client network namespace
// this test builds (client -> router1 -> router2 -> target, TEST-NET addresses only, deleted
// afterwards) and traces the heaviest public remote of the capture; private remotes are never traced.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/trace/live.js';
import { BIN } from '../helpers/run-cli.js';
import { markdownTables } from './markdown-check.js';

const PREFIX = `nsr-${process.pid}`;
const NS = { client: `${PREFIX}-c`, router1: `${PREFIX}-r1`, router2: `${PREFIX}-r2`, target: `${PREFIX}-t` };
const TARGET = '203.0.113.10';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, ...args);

function namespacesPermitted(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    ip('netns', 'add', `${PREFIX}-probe`);
    ip('netns', 'del', `${PREFIX}-probe`);
    return null;
  } catch (error) {
    return `ip netns add failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
}

function link(nsA: string, nameA: string, addressA: string, nsB: string, nameB: string, addressB: string): void {
  ip('link', 'add', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
  inNs(nsA, 'ip', 'addr', 'add', addressA, 'dev', nameA);
  inNs(nsB, 'ip', 'addr', 'add', addressB, 'dev', nameB);
  inNs(nsA, 'ip', 'link', 'set', nameA, 'up');
  inNs(nsB, 'ip', 'link', 'set', nameB, 'up');
}

function buildTopology(): void {
  for (const ns of Object.values(NS)) {
    ip('netns', 'add', ns);
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  }
  link(NS.client, 'c0', '198.51.100.10/25', NS.router1, 'r1a', '198.51.100.1/25');
  link(NS.router1, 'r1b', '198.51.100.129/25', NS.router2, 'r2a', '198.51.100.130/25');
  link(NS.router2, 'r2b', '203.0.113.1/24', NS.target, 't0', `${TARGET}/24`);
  inNs(NS.client, 'ip', 'route', 'add', 'default', 'via', '198.51.100.1');
  inNs(NS.router1, 'ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.130');
  inNs(NS.router2, 'ip', 'route', 'add', '198.51.100.0/25', 'via', '198.51.100.129');
  inNs(NS.target, 'ip', 'route', 'add', 'default', 'via', '203.0.113.1');
  for (const router of [NS.router1, NS.router2]) inNs(router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0');
}

function deleteNamespaces(): void {
  for (const ns of Object.values(NS)) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not created
    }
  }
}

const skipReason = namespacesPermitted();
if (skipReason) console.warn(`SKIP: report --trace through network namespaces not run (${skipReason})`);

describe.skipIf(skipReason !== null)('netsleuth report --trace in network namespaces', () => {
  beforeAll(() => {
    try {
      buildTopology();
    } catch (error) {
      deleteNamespaces();
      throw error;
    }
  });
  afterAll(deleteNamespaces);

  it('traces the heaviest public remote and shows its path and verdict', async () => {
    if (!(await findOnPath('traceroute')) && !(await findOnPath('tracepath')) && !(await findOnPath('mtr'))) {
      console.warn('SKIP: no tracer installed — report --trace not run');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-live-'));
    const capture = join(dir, 'capture.txt');
    writeFileSync(capture, [
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      ...Array.from({ length: 5 }, (_, i) => `tcp        0      0 198.51.100.10:80        10.9.9.9:${4000 + i}           ESTABLISHED`),
      ...Array.from({ length: 3 }, (_, i) => `tcp        0      0 198.51.100.10:80        ${TARGET}:${5000 + i}       ESTABLISHED`),
      '',
    ].join('\n'));
    const result = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, BIN, 'report', '--trace', '--no-dns', '--now', '2026-11-28T12:00:00Z', capture], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, NO_COLOR: '1', NETSLEUTH_CACHE_DIR: dir },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const markdown = result.stdout;
    expect(markdown).toContain(`### Path to ${TARGET}`);
    expect(markdown).not.toContain('### Path to 10.9.9.9');
    expect(markdown).toContain('The destination answered.');
    expect(markdown).toMatch(/Verdict \((low|medium|high) confidence\): destination answered/);
    expect(markdown).toContain('- Live traceroutes: run for the top remotes; saved traces attached: 1.');
    const hops = markdownTables(markdown).find((table) => table.header[0] === 'TTL');
    expect(hops?.rows.map((row) => row[1])).toEqual(['198.51.100.1', '198.51.100.130', TARGET]);
  }, 120_000);
});
