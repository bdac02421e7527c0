// `netsleuth watch`: trends and alerts over a fake /proc that the test changes between captures,
// and crash safety of the real binary: SIGKILL mid-capture leaves only complete captures.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWatch } from '../../src/health/watch.js';
import { SecretSet } from '../../src/health/redact.js';
import { parseHealthConfig } from '../../src/health/config.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { startWebhookReceiver, type Closable } from '../health/helpers/loopback-servers.js';
import { verifyManifest } from '../health/helpers/verify-manifest.js';

let dir: string;
const cleanups: Closable[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-watch-'));
});
afterEach(async () => {
  for (const item of cleanups.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** A /proc look-alike: `httpd` processes, swap use, and N connections from 147.46.10.x to port 80. */
async function writeFakeProc(root: string, httpd: number, swapUsedPercent: number, floodConnections: number): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'net'), { recursive: true });
  const rows = Array.from({ length: floodConnections }, (_, index) => {
    // 147.46.10.(index % 250 + 1) in host byte order -> hex little-endian
    const remote = [147, 46, 10, (index % 250) + 1].reverse().map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
    const port = (40000 + index).toString(16).toUpperCase().padStart(4, '0');
    return `   ${index}: 0100000A:0050 ${remote}:${port} 01 00000000:00000000 00:00000000 00000000    33        0 ${1000 + index} 1 0000000000000000 20 4 1 10 -1`;
  });
  await writeFile(join(root, 'net', 'tcp'), TCP_HEADER + rows.join('\n') + (rows.length ? '\n' : ''));
  const swapTotal = 1_000_000;
  await writeFile(join(root, 'meminfo'), `MemTotal: 8000000 kB\nMemAvailable: 4000000 kB\nSwapTotal: ${swapTotal} kB\nSwapFree: ${swapTotal - swapTotal * swapUsedPercent / 100} kB\n`);
  await writeFile(join(root, 'loadavg'), '0.10 0.20 0.30 1/100 999\n');
  for (let pid = 1; pid <= httpd + 1; pid++) {
    await mkdir(join(root, String(pid)));
    await writeFile(join(root, String(pid), 'comm'), pid === 1 ? 'init\n' : 'httpd\n');
  }
}

describe('watch trends', () => {
  it('prints "httpd processes rising 40/10 min, swap 92%", notifies once per new alert, rotates by count', async () => {
    const proc = join(dir, 'proc');
    const caseDir = join(dir, 'case');
    const hook = await startWebhookReceiver();
    cleanups.push(hook);
    const config = parseHealthConfig(`notify:\n  channels:\n    - {type: webhook, url: "${hook.url}"}\n`, 'watch.yaml', {}, { requireChecks: false });
    // Five captures, 5 minutes apart: httpd 10, 30, 50, 50, 50; swap 50, 70, 92, 92, 92.
    const steps = [[10, 50], [30, 70], [50, 92], [50, 92], [50, 92]] as const;
    let step = 0;
    await writeFakeProc(proc, steps[0][0], steps[0][1], 0);
    const lines: string[] = [];
    const summary = await runWatch({
      caseDir, intervalMs: 100, iterations: steps.length, keep: 3, maxAgeMs: null, window: 6,
      thresholds: config.watch, procRoot: proc, channels: config.notify.channels, notifyTimeoutMs: 5000, secrets: new SecretSet(),
      signal: new AbortController().signal,
      now: () => new Date(Date.UTC(2026, 10, 28, 17, 0, 0) + step * 5 * 60_000),
      log: (line) => lines.push(line),
      onCapture: async () => {
        step += 1;
        const next = steps[step];
        if (next) await writeFakeProc(proc, next[0], next[1], 0);
      },
    });
    expect(summary).toEqual({ captures: 5, alerts: 2 });
    const alertLines = lines.filter((line) => line.startsWith('ALERT'));
    // swap crosses 80% at the 3rd capture together with the httpd trend... but the httpd trend
    // already crossed at the 2nd (20 per 5 min = 40/10 min):
    expect(alertLines).toEqual([
      'ALERT 2026-11-28T17:05:00.000Z httpd processes rising 40/10 min',
      'ALERT 2026-11-28T17:10:00.000Z httpd processes rising 40/10 min, swap 92%',
    ]);
    expect(hook.received.map((request) => (request.body as { subject: string }).subject)).toEqual([
      expect.stringMatching(/: httpd processes rising 40\/10 min$/),
      expect.stringMatching(/: httpd processes rising 40\/10 min, swap 92%$/),
    ]);
    expect(lines.filter((line) => line.includes(' capture '))[2]).toBe('2026-11-28T17:10:00.000Z capture 20261128T171000Z: 0 connections, top process httpd 50, swap 92%');
    const kept = await readdir(caseDir);
    expect(kept).toEqual(['20261128T171000Z', '20261128T171500Z', '20261128T172000Z']);
    for (const name of kept) await verifyManifest(join(caseDir, name));
  });

  it('a flood from one /24 between captures raises the prefix alert', async () => {
    const proc = join(dir, 'proc');
    let step = 0;
    await writeFakeProc(proc, 1, 0, 0);
    const lines: string[] = [];
    await runWatch({
      caseDir: join(dir, 'case'), intervalMs: 100, iterations: 2, keep: 10, maxAgeMs: null, window: 6,
      thresholds: { processRisePer10Min: 20, connectionsRisePer10Min: 1000, prefixRisePer10Min: 100, swapPercent: 80, alpha: 0.5 },
      procRoot: proc, channels: [], notifyTimeoutMs: 1000, secrets: new SecretSet(), signal: new AbortController().signal,
      now: () => new Date(Date.UTC(2026, 10, 28, 17, 0, 0) + step * 10 * 60_000),
      log: (line) => lines.push(line),
      onCapture: async () => {
        step += 1;
        await writeFakeProc(proc, 1, 0, 300);
      },
    });
    expect(lines.filter((line) => line.startsWith('ALERT'))).toEqual(['ALERT 2026-11-28T17:10:00.000Z connections from 147.46.10.0/24 rising 300/10 min (now 300)']);
  });
});

describe('watch command', () => {
  it('bad flags are usage errors', async () => {
    expect((await runCli(['watch', '--interval', 'often'])).stderr).toContain('--interval must be a duration');
    expect((await runCli(['watch', '--keep', '0'])).stderr).toContain('--keep must be a whole number of at least 1');
    expect((await runCli(['watch', '--interval', '10ms'])).code).toBe(2);
  });

  it('--iterations 2 writes two complete captures and exits 0', async () => {
    const result = await runCli(['watch', '--interval', '100ms', '--iterations', '2', '--case', 'case'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').filter((line) => line.includes(' capture '))).toHaveLength(2);
    const captures = await readdir(join(dir, 'case'));
    expect(captures).toHaveLength(2);
    for (const name of captures) expect(await verifyManifest(join(dir, 'case', name))).toContain('connections.txt');
  });

  it('--max-age 1ms never deletes the capture just taken: the newest stays, older ones rotate', async () => {
    const result = await runCli(['watch', '--interval', '100ms', '--iterations', '2', '--max-age', '1ms', '--case', 'case'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const taken = result.stdout.split('\n').flatMap((line) => / capture (\S+):/.exec(line)?.[1] ?? []);
    expect(taken).toHaveLength(2);
    const captures = await readdir(join(dir, 'case'));
    expect(captures).toEqual([taken[1]]);
    expect(await verifyManifest(join(dir, 'case', taken[1]!))).toContain('connections.txt');
    expect(result.stdout).toContain(`rotated 1 old capture: ${taken[0]}`);
  });
});

describe('watch crash safety (compiled binary)', () => {
  const haveBin = existsSync(BIN);
  it.skipIf(!haveBin)('SIGKILL mid-capture leaves only complete captures; the next run removes the leftovers', async () => {
    const caseDir = join(dir, 'case');
    // Kill at different points after the first capture, so some kills land mid-capture.
    for (const delayMs of [0, 130, 270]) {
      const child = spawn(process.execPath, [BIN, 'watch', '--interval', '100ms', '--case', caseDir, '--keep', '1000'], { stdio: ['ignore', 'pipe', 'ignore'] });
      await firstCapture(child);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const entries = await readdir(caseDir);
    const captures = entries.filter((name) => /^\d{8}T\d{6}Z(-\d+)?$/.test(name));
    expect(captures.length).toBeGreaterThan(0);
    // Nothing but complete captures and hidden staging leftovers.
    expect(entries.filter((name) => !captures.includes(name)).every((name) => name.startsWith('.netsleuth-tmp-'))).toBe(true);
    for (const name of captures) {
      const listed = await verifyManifest(join(caseDir, name));
      expect((await readdir(join(caseDir, name))).sort()).toEqual([...listed, 'SHA256SUMS'].sort());
    }
    // The next run cleans staging directories of dead processes.
    const again = await runCli(['watch', '--interval', '100ms', '--iterations', '1', '--case', caseDir]);
    expect(again.code).toBe(0);
    expect((await readdir(caseDir)).filter((name) => name.startsWith('.'))).toEqual([]);
  }, 30_000);

  it.skipIf(!haveBin)('SIGTERM stops cleanly: exit 0, no temp names at all', async () => {
    const caseDir = join(dir, 'case');
    const child = spawn(process.execPath, [BIN, 'watch', '--interval', '100ms', '--case', caseDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    // The signal handlers are in place before the first capture; a loaded machine may take a while to get there.
    await firstCapture(child);
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(stderr).toMatch(/stopped after \d+ captures?/);
    const entries = await readdir(caseDir);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((name) => name.startsWith('.'))).toEqual([]);
    for (const name of entries) await verifyManifest(join(caseDir, name));
  }, 30_000);
  // Say so visibly when they cannot run (npm test builds dist/ first).
  if (!haveBin) console.warn('watch crash-safety tests skipped: dist/cli.js is missing; build it with `npx tsc -p tsconfig.build.json`');
});

/** Resolves when the child prints its first capture line (or exits). */
function firstCapture(child: import('node:child_process').ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (seen.includes(' capture ')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => resolve());
  });
}

describe('watch --tui (compiled binary in tmux)', () => {
  const haveTmux = (() => {
    try {
      return spawnSyncOk('tmux', ['-V']);
    } catch {
      return false;
    }
  })();
  it.skipIf(!haveTmux || !existsSync(BIN))('feeds each capture to the TUI live mode; q quits with exit 0 and complete captures', async () => {
    const session = `netsleuth-watch-${process.pid}`;
    const caseDir = join(dir, 'case');
    const exitFile = join(dir, 'exit.txt');
    const script = join(dir, 'run.sh');
    // Fixed script; paths are passed as arguments, not interpolated into a shell string.
    await writeFile(script, '"$1" "$2" watch --tui --interval 500ms --case "$3"; echo "$?" > "$4"\n');
    spawnSyncOk('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '35', 'sh', script, process.execPath, BIN, caseDir, exitFile]);
    try {
      let screen = '';
      for (let waited = 0; waited < 15_000 && !/live · [2-9]\d* capture/.test(screen); waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        screen = capturePane(session);
      }
      expect(screen).toMatch(/live · [2-9]\d* capture/);
      expect(screen).toContain('Overview');
      spawnSyncOk('tmux', ['send-keys', '-t', session, 'q']);
      for (let waited = 0; waited < 10_000 && !existsSync(exitFile); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await readFile(exitFile, 'utf8')).trim()).toBe('0');
      const entries = await readdir(caseDir);
      expect(entries.filter((name) => name.startsWith('.'))).toEqual([]);
      for (const name of entries) await verifyManifest(join(caseDir, name));
    } finally {
      spawnSyncOk('tmux', ['kill-session', '-t', session]);
    }
  }, 40_000);
});

function spawnSyncOk(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function capturePane(session: string): string {
  return spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout ?? '';
}
