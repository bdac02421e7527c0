// The real compiled binary in a real terminal (tmux): overview shows South Korea,
// filter to 147.46., open a host, back, export, resize to 80×24, quit with exit 0.
// tmux runs node with an argument array; a fixed sh wrapper only records the exit
// status in a file (tmux 3.3's #{pane_dead_status} is sometimes left empty).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, PROJECT_ROOT } from '../helpers/run-cli.js';
import { buildMmdb } from '../support/mmdb-writer.js';

const INCIDENT = join(PROJECT_ROOT, 'samples/incident/incident-04.txt');
const SOCKET = `nsl-test-${process.pid}`;
const SESSION = 'nsl';
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const missing = [!haveTmux && 'tmux is not installed', !existsSync(BIN) && `${BIN} is not built (npm run build)`, !existsSync(INCIDENT) && `${INCIDENT} is missing`].filter(Boolean);
if (missing.length > 0) console.warn(`SKIP tui tmux end-to-end: ${missing.join('; ')}`);

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color' } });
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

// The paths and argv reach sh as positional parameters, never spliced into the script.
const RECORD_EXIT = 'status_file=$1; shift; "$@"; echo "$?" > "$status_file"';
const RECORD_EXIT_WITH_STDIN = 'status_file=$1; input=$2; shift 2; "$@" < "$input"; echo "$?" > "$status_file"';

async function waitForExitStatus(statusFile: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(statusFile)) {
      const status = readFileSync(statusFile, 'utf8').trim();
      if (status !== '') return status;
    }
    await delay(50);
  }
  return 'no exit within the timeout';
}

async function waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
    await delay(50);
  }
}

describe.skipIf(missing.length > 0)('netsleuth tui in tmux', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    // kill-server leaves the socket file behind: remove it too.
    const socketPath = spawnSync('tmux', ['-L', SOCKET, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    if (socketPath.endsWith(SOCKET)) rmSync(socketPath, { force: true });
    for (const cleanup of cleanups) cleanup();
  });

  it('overview -> filter 147.46. -> host -> back -> q exits 0', async () => {
    const exportDir = mkdtempSync(join(tmpdir(), 'nsl-tui-e2e-'));
    cleanups.push(() => rmSync(exportDir, { recursive: true, force: true }));
    tmux(
      'new-session', '-d', '-x', '100', '-y', '30', '-s', SESSION, '-c', exportDir,
      'sh', '-c', RECORD_EXIT, 'sh', join(exportDir, '.exit-status'), process.execPath, BIN, 'tui', '--no-dns', '--no-trace', INCIDENT,
      ';', 'set-option', '-w', '-t', SESSION, 'remain-on-exit', 'on',
    );
    let text = await waitForScreen((current) => current.includes('South Korea'), 'the overview');
    expect(text).toContain('Top countries');
    expect(text).toMatch(/KR South Korea\s+█/);

    tmux('send-keys', '-t', SESSION, '2');
    await waitForScreen((current) => current.includes('CONNS▼'), 'the remotes table');
    tmux('send-keys', '-t', SESSION, '/');
    tmux('send-keys', '-t', SESSION, '-l', '147.46.');
    tmux('send-keys', '-t', SESSION, 'Enter');
    text = await waitForScreen((current) => current.includes('filtered from'), 'the filtered table');
    const rows = text.split('\n').filter((line) => /^\s*\d+\.\d+\.\d+\.\d+\s/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.trim()).toMatch(/^147\.46\./);

    tmux('send-keys', '-t', SESSION, 'Enter');
    text = await waitForScreen((current) => /Host 147\.46\.\d+\.\d+/.test(current), 'the host screen');
    expect(text).toContain('Seoul National University');
    expect(text).toContain('Connections by state');

    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitForScreen((current) => current.includes('filtered from') && !current.includes('Connections by state'), 'the table again');

    // Export: the real markdown renderer, into the session's working directory.
    tmux('send-keys', '-t', SESSION, 'e');
    text = await waitForScreen((current) => current.includes('exported '), 'the export message');
    const written = readdirSync(exportDir).filter((name) => name.endsWith('.md'));
    expect(written).toHaveLength(1);
    expect(text).toContain(written[0]!.slice(0, 40));
    expect(readFileSync(join(exportDir, written[0]!), 'utf8')).toMatch(/^# netsleuth report[\s\S]*147\.46\.195\.90/);
    const pages = readdirSync(exportDir).filter((name) => name.endsWith('.html'));
    expect(pages).toEqual([written[0]!.replace(/\.md$/, '.html')]);
    expect(readFileSync(join(exportDir, pages[0]!), 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*147\.46\.195\.90/);

    // Resize: at 80×24 the map tab goes away and the screen still fits.
    expect(screen()).toContain('5 Map');
    tmux('resize-window', '-t', SESSION, '-x', '80', '-y', '24');
    text = await waitForScreen((current) => !current.includes('5 Map') && current.includes('4 Timeline'), 'the 80×24 layout');
    expect(text.split('\n').filter((row) => row.length > 80)).toEqual([]);
    // The export message holds the footer until the next key.
    tmux('send-keys', '-t', SESSION, 'j');
    await waitForScreen((current) => current.includes('q quit'), 'the footer keys');

    tmux('send-keys', '-t', SESSION, 'q');
    expect(await waitForExitStatus(join(exportDir, '.exit-status')), screen()).toBe('0');
  }, 60_000);

  // The capture arrives on stdin, the keys from the terminal (/dev/tty).
  it.each([
    { name: 'tui - reads the capture from stdin', session: 'stdin', argv: ['tui', '--no-dns', '--no-trace', '-'] },
    { name: 'netstat | netsleuth at a terminal opens the TUI on the piped capture', session: 'piped', argv: [] },
  ])('$name; keys come from the terminal', async ({ session, argv }) => {
    const statusDir = mkdtempSync(join(tmpdir(), 'nsl-tui-e2e-'));
    cleanups.push(() => rmSync(statusDir, { recursive: true, force: true }));
    const statusFile = join(statusDir, '.exit-status');
    // sh only redirects stdin; the paths are positional parameters, never spliced into the script.
    tmux(
      'new-session', '-d', '-x', '100', '-y', '30', '-s', session, '-c', PROJECT_ROOT,
      'sh', '-c', RECORD_EXIT_WITH_STDIN, 'sh', statusFile, INCIDENT, process.execPath, BIN, ...argv,
      ';', 'set-option', '-w', '-t', session, 'remain-on-exit', 'on',
    );
    const capture = () => tmux('capture-pane', '-p', '-t', session);
    const deadline = Date.now() + 20_000;
    while (!capture().includes('South Korea')) {
      if (Date.now() > deadline) throw new Error(`no overview; screen:\n${capture()}`);
      await delay(50);
    }
    tmux('send-keys', '-t', session, '2');
    while (!capture().includes('CONNS▼')) {
      if (Date.now() > deadline) throw new Error(`keys from /dev/tty ignored; screen:\n${capture()}`);
      await delay(50);
    }
    tmux('send-keys', '-t', session, 'q');
    expect(await waitForExitStatus(statusFile), capture()).toBe('0');
  }, 60_000);
  it('emoji and CJK AS and program names keep every column where the header puts it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nsl-tui-wide-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    // An ASN database of our own (public-looking prefixes: special ranges get no attribution).
    writeFileSync(join(work, 'GeoLite2-ASN.mmdb'), buildMmdb('GeoLite2-ASN', [
      { prefix: '45.33.10.0/24', record: { autonomous_system_number: 64500, autonomous_system_organization: '☕⚡✅ Coffee Networks' } },
      { prefix: '85.10.20.0/24', record: { autonomous_system_number: 64501, autonomous_system_organization: '東京大学ネットワーク' } },
      { prefix: '91.200.1.0/24', record: { autonomous_system_number: 64502, autonomous_system_organization: 'Plain Net' } },
    ]));
    writeFileSync(join(work, 'wide.txt'), [
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      'tcp        0      0 10.0.0.1:443            45.33.10.5:5555         ESTABLISHED 4242/☕⚡✅brew',
      'tcp        0      0 10.0.0.1:443            45.33.10.5:5556         ESTABLISHED 4242/☕⚡✅brew',
      'tcp        0      0 10.0.0.1:443            85.10.20.7:5555         ESTABLISHED 77/東京サーバ',
      'tcp        0      0 10.0.0.1:443            91.200.1.9:5555         ESTABLISHED 1/sshd',
      '',
    ].join('\n'));
    const session = 'wide';
    const capture = () => tmux('capture-pane', '-p', '-t', session);
    tmux(
      'new-session', '-d', '-x', '100', '-y', '30', '-s', session, '-c', work,
      'sh', '-c', RECORD_EXIT, 'sh', join(work, '.exit-status'), process.execPath, BIN, 'tui', '--no-dns', '--no-trace', '--geo-dir', join(work, 'GeoLite2-ASN.mmdb'), 'wide.txt',
      ';', 'set-option', '-w', '-t', session, 'remain-on-exit', 'on',
    );
    const waitFor = async (predicate: (text: string) => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      for (let text = capture(); ; text = capture()) {
        if (predicate(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
        await delay(50);
      }
    };
    // Overview: each institution row's percentage starts in the same column.
    let text = await waitFor((current) => current.includes('Coffee Networks'), 'the overview');
    const institutionRows = text.split('\n').filter((line) => /AS6450[0-2] /.test(line));
    expect(institutionRows).toHaveLength(3);
    const percentColumns = institutionRows.map((line) => stringWidth(line.slice(0, line.search(/\d+%/))));
    expect(new Set(percentColumns).size, institutionRows.join('\n')).toBe(1);
    // Remotes: the PTR column of every row starts under its header, and no row is cut.
    tmux('send-keys', '-t', session, '2');
    text = await waitFor((current) => current.includes('CONNS▼') && current.includes('Plain Net'), 'the remotes table');
    const lines = text.split('\n');
    const header = lines.find((line) => line.includes('CONNS▼'))!;
    const ptrColumn = stringWidth(header.slice(0, header.indexOf('PTR')));
    const rows = lines.filter((line) => /^ (45|85|91)\./.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(stringWidth(row.slice(0, row.indexOf('skipped'))), row).toBe(ptrColumn);
      expect(stringWidth(row), row).toBeLessThanOrEqual(100);
      expect(row.trimEnd(), row).not.toMatch(/…$/);
    }
    // Host detail: the emoji program name is shown whole.
    tmux('send-keys', '-t', session, 'Enter');
    text = await waitFor((current) => current.includes('Host 45.33.10.5'), 'the host screen');
    expect(text).toContain('☕⚡✅brew×2');
    for (const line of text.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(100);
    tmux('send-keys', '-t', session, 'q');
    expect(await waitForExitStatus(join(work, '.exit-status')), capture()).toBe('0');
  }, 60_000);
  it('a 30×8 terminal: the overview cuts whole rows at the bottom instead of drawing them over each other', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nsl-tui-small-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const session = 'small';
    const capture = () => tmux('capture-pane', '-p', '-t', session);
    tmux(
      'new-session', '-d', '-x', '30', '-y', '8', '-s', session, '-c', work,
      'sh', '-c', RECORD_EXIT, 'sh', join(work, '.exit-status'), process.execPath, BIN, 'tui', '--no-dns', '--no-trace', INCIDENT,
      ';', 'set-option', '-w', '-t', session, 'remain-on-exit', 'on',
    );
    const deadline = Date.now() + 20_000;
    let text = capture();
    while (!text.includes('q quit')) {
      if (Date.now() > deadline) throw new Error(`no overview; screen:\n${text}`);
      await delay(50);
      text = capture();
    }
    const lines = text.split('\n').map((line) => line.trimEnd());
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(30);
    // Each heading stands alone on its row: nothing drawn over it.
    for (const heading of ['Indicators (4)', 'Top countries', 'Top institutions']) {
      const row = lines.find((line) => line.startsWith(heading.slice(0, 8)));
      if (row !== undefined) expect(row, text).toBe(heading);
    }
    expect(lines.filter((line) => /^(HIGH|MEDIUM)\s/.test(line)).every((line) => /^(HIGH|MEDIUM)\s+[a-z-]+: /.test(line)), text).toBe(true);
    expect(lines[0]).toMatch(/^netsleuth {2}1 Overview/);
    expect(lines.some((line) => line.startsWith('q quit')), text).toBe(true);
    tmux('send-keys', '-t', session, 'q');
    expect(await waitForExitStatus(join(work, '.exit-status')), capture()).toBe('0');
  }, 60_000);
});
