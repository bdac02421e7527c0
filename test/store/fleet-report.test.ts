import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { FLEET_DIR, fleetFiles, hostFacts } from './fleet-sample.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-fleet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = ['--now', '2026-12-02T00:00:00Z', '--no-dns'];

interface Sighting { host: string; firstSeen: string | null; lastSeen: string | null; connections: number }
interface FleetJson {
  inputs: { host: string | null }[];
  hosts: { name: string; captures: number; firstCapture: string; lastCapture: string; connections: number; series: number[] }[];
  totals: { connections: number; remotes: number };
  remotes: { ip: string; hosts: string[]; connections: number }[];
  timeline: { captures: { connections: number; remotes: number }[] } | null;
  clusters: { kind: string; key: string; hosts: string[] }[];
  acrossHosts: { sources: { kind: string; key: string; label: string; hosts: Sighting[] }[] };
}

async function reportJson(args: string[]): Promise<FleetJson> {
  const result = await runCli(['report', ...args, ...NOW, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as FleetJson;
}

describe('samples/fleet', () => {
  it('is what generate.mjs writes (deterministic)', () => {
    const out = join(dir, 'generated');
    execFileSync(process.execPath, [join(FLEET_DIR, 'generate.mjs'), out], { stdio: 'ignore' });
    const names = readdirSync(out).sort();
    expect(names).toEqual(fleetFiles().map((file) => file.slice(FLEET_DIR.length + 1)));
    for (const name of names) expect(readFileSync(join(out, name)).equals(readFileSync(join(FLEET_DIR, name))), name).toBe(true);
  });
});

describe('report --store (DuckDB) over the fleet sample', () => {
  const store = join(dir, 'fleet.duckdb');
  let report: FleetJson;

  beforeAll(async () => {
    const load = await runCli(['store', 'add', '--store', store, ...fleetFiles()]);
    expect(load.code).toBe(0);
    expect(load.stderr).toContain('60 snapshot(s) added');
    report = await reportJson(['--store', store]);
  }, 180_000);

  it('names the Korean /16 as seen on 4 hosts, with each host\'s first-seen time from the files', () => {
    const facts = hostFacts('147.46.');
    const expected = [...facts].filter(([, fact]) => fact.firstSeen !== null).map(([host, fact]) => [host, fact.firstSeen]).sort();
    expect(expected).toHaveLength(4);
    const prefix = report.acrossHosts.sources.find((source) => source.kind === 'prefix' && source.key === '147.46.0.0/16');
    expect(prefix).toBeDefined();
    expect(prefix!.hosts.map((host) => [host.host, host.firstSeen]).sort()).toEqual(expected);
    expect(prefix!.label).toMatch(/Seoul National University/);
    const asn = report.acrossHosts.sources.find((source) => source.kind === 'asn' && source.key === '9488');
    expect(asn!.hosts.map((host) => host.host).sort()).toEqual(expected.map(([host]) => host));
    // The source on the most hosts comes first; host-specific noise is not "across hosts".
    expect(report.acrossHosts.sources[0]!.hosts).toHaveLength(4);
    for (const source of report.acrossHosts.sources) expect(source.hosts.length).toBeGreaterThanOrEqual(2);
    expect(report.acrossHosts.sources.some((source) => source.key.startsWith('126.200.1.'))).toBe(false);
  });

  it('lists every host with its captures, times and connections as the files hold them', () => {
    const facts = hostFacts('147.46.');
    expect(report.hosts.map((host) => host.name)).toEqual([...facts.keys()].sort());
    for (const host of report.hosts) {
      const fact = facts.get(host.name)!;
      expect(host.captures).toBe(fact.snapshots);
      expect(host.connections).toBe(fact.connections);
      expect(host.series).toHaveLength(fact.snapshots);
      expect(host.series.reduce((a, b) => a + b, 0)).toBe(fact.connections);
    }
    expect(report.totals.connections).toBe(report.hosts.reduce((sum, host) => sum + host.connections, 0));
    expect(report.inputs).toHaveLength(60);
    const attacker = report.remotes.find((remote) => remote.ip.startsWith('147.46.'))!;
    expect(attacker.hosts.length).toBeGreaterThanOrEqual(2);
    expect(report.clusters.every((cluster) => Array.isArray(cluster.hosts))).toBe(true);
  });

  it('--remotes N lists the N heaviest remotes as the full report has them; the totals still count every remote', async () => {
    const top = await reportJson(['--store', store, '--remotes', '4']);
    expect(report.remotes.length).toBeGreaterThan(4);
    expect(top.remotes).toEqual(report.remotes.slice(0, 4));
    expect(top.totals).toEqual(report.totals);
    expect(top.hosts).toEqual(report.hosts);
    expect(top.inputs).toEqual(report.inputs);
    // Each capture's connections count every remote; its `remotes`, the listed ones seen in it.
    const captures = top.timeline!.captures;
    expect(captures.map((capture) => capture.connections)).toEqual(report.timeline!.captures.map((capture) => capture.connections));
    captures.forEach((capture, index) => {
      expect(capture.remotes).toBeLessThanOrEqual(4);
      expect(capture.remotes).toBeLessThanOrEqual(report.timeline!.captures[index]!.remotes);
    });
    expect(captures.some((capture) => capture.remotes > 0)).toBe(true);
    expect(await reportJson(['--store', store, '--remotes', '0'])).toEqual(report);
    const bad = await runCli(['report', '--store', store, '--remotes', 'many', ...NOW]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--remotes 'many' must be a whole number/);
  }, 120_000);

  it('selects hosts and times, and says when nothing matches', async () => {
    const two = await reportJson(['--store', store, '--host', 'web5', '--host', 'web1']);
    expect(two.hosts.map((host) => host.name)).toEqual(['web1', 'web5']);
    const late = await reportJson(['--store', store, '--since', '2026-12-01T11:00:00Z', '--until', '2026-12-01T11:30:00Z']);
    expect(late.hosts.every((host) => host.captures === 3 || host.captures === 4)).toBe(true);
    expect(late.hosts.every((host) => host.firstCapture >= '2026-12-01T11:00:00' && host.lastCapture <= '2026-12-01T11:30:00.000Z')).toBe(true);
    const none = await runCli(['report', '--store', store, '--host', 'db9', ...NOW]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no stored snapshots match/);
    expect((await runCli(['report', '--store', store, '--since', 'yesterday', ...NOW])).stderr).toMatch(/--since 'yesterday'/);
    expect((await runCli(['report', '--store', store, fleetFiles()[0]!, ...NOW])).stderr).toMatch(/not both/);
  }, 120_000);

  it('markdown has an "Across hosts" section naming the network', async () => {
    const result = await runCli(['report', '--store', store, ...NOW]);
    const section = result.stdout.slice(result.stdout.indexOf('## Across hosts'), result.stdout.indexOf('## Top remotes'));
    expect(section).toMatch(/\| web4 \| 12 \|/);
    expect(section).toMatch(/prefix 147\.46\.0\.0\/16 \| AS9488 Seoul National University, KR \| 4 \|/);
  }, 120_000);

  it('tui --store without a terminal prints the same markdown', async () => {
    const tui = await runCli(['tui', '--store', store, '--no-dns', '--host', 'web2']);
    expect(tui.code).toBe(0);
    expect(tui.stdout).toMatch(/## Across hosts[\s\S]*\| web2 \| 12 \|/);
    expect(tui.stdout).not.toMatch(/\| web1 \| 12 \|/);
  }, 120_000);

  it('loading the same files again changes nothing', async () => {
    const again = await runCli(['store', 'add', '--store', store, ...fleetFiles()]);
    expect(again.stderr).toContain('0 snapshot(s) added, 60 already there');
    expect(await reportJson(['--store', store])).toEqual(report);
  }, 120_000);
});

describe('report --store equals report over the same files', () => {
  it('for a console log of four snapshots (one host)', { timeout: 120_000 }, async () => {
    const store = join(dir, 'one.duckdb');
    const log = join(PROJECT_ROOT, 'samples/incident/console-log.txt');
    expect((await runCli(['store', 'add', '--store', store, '--host', 'web1', log])).code).toBe(0);
    const fromStore = (await reportJson(['--store', store])) as unknown as Record<string, unknown>;
    const fromFiles = (await reportJson([log])) as unknown as Record<string, unknown>;
    const strip = (json: Record<string, unknown>) => {
      const { inputs, hosts, acrossHosts, ...rest } = json;
      void hosts;
      void acrossHosts;
      const remotes = (rest.remotes as Record<string, unknown>[]).map(({ hosts: _h, ...remote }) => remote);
      const clusters = (rest.clusters as Record<string, unknown>[]).map(({ hosts: _h, ...cluster }) => cluster);
      return { ...rest, remotes, clusters, inputs: (inputs as Record<string, unknown>[]).map(({ host: _h, ...input }) => input) };
    };
    expect(strip(fromStore)).toEqual(strip(fromFiles));
  });
});
