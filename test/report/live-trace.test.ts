// `netsleuth report --trace` end to end: the compiled CLI runs inside a client network namespace
// this test builds (client -> router1 -> router2 -> target, TEST-NET addresses only, deleted
// afterwards) and traces the heaviest public remote of the capture; private remotes are never traced.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/trace/live.js';
import { BIN } from '../helpers/run-cli.js';
import { markdownTables } from './markdown-check.js';
import { namespacesPermitted, TOPOLOGY_HOPS, TOPOLOGY_TARGET, twoRouterTopology } from '../support/netns-topology.js';

const PREFIX = `nsr-${process.pid}`;
const TARGET = TOPOLOGY_TARGET;
const topology = twoRouterTopology(PREFIX);
const NS = topology.ns;

const skipReason = namespacesPermitted(PREFIX);
if (skipReason) console.warn(`SKIP: report --trace through network namespaces not run (${skipReason})`);

describe.skipIf(skipReason !== null)('netsleuth report --trace in network namespaces', () => {
  beforeAll(topology.build);
  afterAll(topology.destroy);

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
    expect(hops?.rows.map((row) => row[1])).toEqual(TOPOLOGY_HOPS);
  }, 120_000);
});
