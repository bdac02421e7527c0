// `netsleuth tui` without a terminal: the markdown report, never a crash or a hang.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunTui, colorEnabled } from '../../src/tui/start.js';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

const INCIDENT = join(PROJECT_ROOT, 'samples/incident/incident-04.txt');
const haveIncident = existsSync(INCIDENT);
if (!haveIncident) console.warn(`SKIP tui command tests: ${INCIDENT} is missing`);

describe.skipIf(!haveIncident)('netsleuth tui without a TTY', () => {
  it('prints the markdown report of the incident sample', async () => {
    const result = await runCli(['tui', '--no-dns', '--no-trace', INCIDENT], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# netsleuth report/);
    expect(result.stdout).toContain('South Korea');
    expect(result.stdout).toContain('147.46.195.90');
  });

  it('takes --baseline, --threshold and --cluster-threshold as report does, with the same errors', async () => {
    const baseline = join(PROJECT_ROOT, 'samples/incident/baseline.txt');
    const args = ['--no-dns', '--no-trace', '--baseline', baseline, '--threshold', 'floodPerRemote=1000', '--cluster-threshold', '10', INCIDENT];
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const tui = await runCli(['tui', ...args], { env });
    expect(tui.code, tui.stderr).toBe(0);
    expect(tui.stdout).toContain('- Baseline: ');
    expect(tui.stdout).not.toContain('- Baseline: none');
    // The same investigation as report's: the same markdown.
    const report = await runCli(['report', '--format', 'md', ...args], { env });
    expect(tui.stdout).toBe(report.stdout);
    const plain = await runCli(['tui', '--no-dns', '--no-trace', INCIDENT], { env });
    expect(plain.stdout).not.toBe(tui.stdout);
    for (const [flag, value] of [['--threshold', 'bogus=1'], ['--cluster-threshold', '0']]) {
      const refused = await runCli(['tui', '--no-dns', flag!, value!, INCIDENT]);
      expect(refused.code, `${flag} ${value}`).toBe(2);
      expect(refused.stderr).toContain(flag);
    }
  });

  it('reads the capture from stdin', async () => {
    const { readFile } = await import('node:fs/promises');
    const result = await runCli(['tui', '--no-dns', '--no-trace', '-'], { stdin: await readFile(INCIDENT) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Seoul National University');
  });
});

describe.skipIf(!haveIncident)('netsleuth tui live traces are opt-in', () => {
  // Stand-in tracers that only record that they ran: no probe ever leaves the machine.
  async function recordingTracers(): Promise<{ dir: string; ran: () => Promise<string[]> }> {
    const { mkdtemp, writeFile, readdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'nsl-fake-tracers-'));
    const script = '#!/bin/sh\n: > "$(dirname "$0")/ran-$(basename "$0")"\nexit 0\n';
    for (const name of ['traceroute', 'mtr', 'tracepath']) await writeFile(join(dir, name), script, { mode: 0o755 });
    return { dir, ran: async () => (await readdir(dir)).filter((name) => name.startsWith('ran-')) };
  }

  it('runs no tracer unless --trace is given', async () => {
    const tracers = await recordingTracers();
    const env = { PATH: `${tracers.dir}:${process.env.PATH ?? ''}` };
    const quiet = await runCli(['tui', '--no-dns', INCIDENT], { env });
    expect(quiet.code).toBe(0);
    expect(await tracers.ran()).toEqual([]);

    const asked = await runCli(['tui', '--no-dns', '--trace', INCIDENT], { env });
    expect(asked.code).toBe(0);
    expect((await tracers.ran()).length).toBeGreaterThan(0);
  });
});

describe('netsleuth tui errors', () => {
  it('names a missing file (exit 2, no stack)', async () => {
    const result = await runCli(['tui', '--no-dns', '--no-trace', 'no/such/capture.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no/such/capture.txt');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects unknown flags', async () => {
    const result = await runCli(['tui', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('frobnicate');
  });

  it('prints usage', async () => {
    const result = await runCli(['tui', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('netsleuth tui');
  });
});

describe('terminal checks', () => {
  it('needs raw mode on stdin and a TTY on stdout', () => {
    expect(canRunTui({ isTTY: true, setRawMode: () => {} }, { isTTY: true })).toBe(true);
    expect(canRunTui({ isTTY: true }, { isTTY: true })).toBe(false);
    expect(canRunTui({ isTTY: false, setRawMode: () => {} }, { isTTY: true })).toBe(false);
    expect(canRunTui({ isTTY: true, setRawMode: () => {} }, {})).toBe(false);
  });

  it('honours NO_COLOR', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
  });
});

describe('netsleuth tui on a gateway conntrack table without a TTY', () => {
  it('prints the report with the outside addresses as remotes', async () => {
    const result = await runCli(['tui', '--no-dns', '--no-trace', '--local-net', '192.168.10.0/24', join(PROJECT_ROOT, 'samples/captures/gateway-nf-conntrack.txt')], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Seoul National University');
    expect(result.stdout).not.toMatch(/\| 192\.168\.10\.\d+ \|/);
  });
});

describe('netsleuth tui on web server status pages without a TTY', () => {
  it.each(['apache-server-status.html', 'apache-server-status-auto.txt'])('%s: the report names the slow-request attack', async (file) => {
    const result = await runCli(['tui', '--no-dns', '--no-trace', join(PROJECT_ROOT, 'samples/captures', file)], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('slow-requests');
  });
});
