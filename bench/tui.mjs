#!/usr/bin/env node
// TUI responsiveness: time from a keypress to the next frame of the remotes screen
// with 100k remotes (the real App through ink-testing-library, compiled dist/),
// beside baselines measured in the same run:
//   naive-sort      Array.prototype.sort with a comparator over the 100k remotes (what a sort key costs without the index)
//   unvirtualised   the same Remotes panel rendering all rows, for 1k remotes (renderToString)
// Keys: j, PgDn, s (sort column; cold = pressed before the background warm-up built that order), r (reverse),
// filter keystrokes ('/' then 147.46.1 one character at a time, then backspace).
// Goal: <= 50 ms per keypress.
// With --capture FILE (default: bench/out/realistic-tanp-1000000.txt when bench/report-log.mjs made it):
// first the whole CLI's first screen on that capture in tmux (bench/tui-first-screen.mjs), beside
// `parse --summary` of the same file. Goal: the overview in <= 3 s.
// Usage: npm run build && node bench/tui.mjs [remotes] [--capture FILE]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

const DIST = new URL('../dist/', import.meta.url);
if (!existsSync(new URL('tui/app.js', DIST))) {
  console.error('bench/tui: dist/ is not built: run npm run build');
  process.exit(2);
}
const captureAt = process.argv.indexOf('--capture');
const CAPTURE = captureAt > 0 ? process.argv[captureAt + 1] : new URL('./out/realistic-tanp-1000000.txt', import.meta.url).pathname;
const REMOTES = Number(process.argv.slice(2).find((arg, index, all) => /^\d+$/.test(arg) && all[index - 1] !== '--capture') ?? 100_000) || 100_000;

if (CAPTURE && existsSync(CAPTURE) && spawnSync('tmux', ['-V']).status === 0) {
  const { measureFirstScreen } = await import('./tui-first-screen.mjs');
  const cli = new URL('cli.js', DIST).pathname;
  const summary = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, cli, 'parse', '--summary', '--format', 'csv', CAPTURE], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const [wallS, userS, sysS] = summary.stderr.trim().split('\n').pop().split(' ').map(Number);
  const { first, overview } = await measureFirstScreen(cli, CAPTURE);
  const seconds = (ms) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
  console.log(`tui --no-dns ${CAPTURE} in tmux 100x30 (load ${(await import('node:os')).loadavg()[0].toFixed(1)}):`);
  console.log(`  first frame (tabs, stages)   wall ${seconds(first.wallMs)}  cpu ${seconds(first.cpuMs)}`);
  console.log(`  overview (totals line)       wall ${seconds(overview.wallMs)}  cpu ${seconds(overview.cpuMs)}  goal <= 3 s: ${overview.wallMs <= 3000 ? 'ok' : 'MISSED'}`);
  console.log(`  baseline: parse --summary    wall ${seconds(wallS * 1000)}  cpu ${seconds((userS + sysS) * 1000)}  (same file, same run)`);
  console.log('');
}
// What users run: startTui() selects React's production build the same way (src/tui/start.ts).
process.env.NODE_ENV ??= 'production';
const GOAL_MS = 50;

const { createElement } = await import('react');
const { render } = await import('ink-testing-library');
const { renderToString } = await import('ink');
const { App } = await import(new URL('tui/app.js', DIST).href);
const { Remotes } = await import(new URL('tui/panels/remotes.js', DIST).href);
const { RemoteIndex } = await import(new URL('tui/remote-index.js', DIST).href);
// The synthetic report is test fixture code (test/support/, not shipped): transpiled here, with
// its one import pointed at the compiled module.
const syntheticReportSource = readFileSync(new URL('../test/support/synthetic-report.ts', import.meta.url), 'utf8').replace("'../../src/net/ip.js'", JSON.stringify(new URL('net/ip.js', DIST).href));
const { default: ts } = await import('typescript');
const syntheticReportJs = ts.transpileModule(syntheticReportSource, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { syntheticReport } = await import(`data:text/javascript;base64,${Buffer.from(syntheticReportJs).toString('base64')}`);
const { compareIps } = await import(new URL('net/ip.js', DIST).href);

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: samples.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const fmt = (ms) => `${ms.toFixed(1).padStart(7)} ms`;
function line(name, samples, note = '') {
  const { n, median, p95, max } = stats(samples);
  const verdict = max <= GOAL_MS ? 'ok' : 'OVER GOAL';
  console.log(`${name.padEnd(34)} n=${String(n).padStart(3)}  median ${fmt(median)}  p95 ${fmt(p95)}  max ${fmt(max)}  ${verdict}${note ? `  ${note}` : ''}`);
}

let t = performance.now();
const report = syntheticReport(REMOTES, { seed: 1 });
console.log(`generated ${report.analysis.remotes.length.toLocaleString('en-US')} remotes in ${(performance.now() - t).toFixed(0)} ms (not counted)`);

// The App, driven key by key.
const instance = render(createElement(App, { report, color: false, size: { columns: 100, rows: 30 } }));
const { stdin, stdout } = instance;

// The machine may be shared (2 cores): besides wall time, record this process's CPU time per key,
// which other processes' load does not inflate.
const cpuSamples = new Map();
let currentLabel = 'other';
async function press(key) {
  const before = stdout.frames.length;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  stdin.write(key);
  while (stdout.frames.length === before) {
    await tick();
    if (performance.now() - started > 10_000) throw new Error(`no frame after ${JSON.stringify(key)}`);
  }
  const cpu = process.cpuUsage(cpuStart);
  const list = cpuSamples.get(currentLabel) ?? [];
  list.push((cpu.user + cpu.system) / 1000);
  cpuSamples.set(currentLabel, list);
  return performance.now() - started;
}

t = performance.now();
await press('2');
const firstRemotes = performance.now() - t;
// Cold: keys pressed before the background warm-up (sort orders, search texts) has run.
currentLabel = 's before warm-up (cold)';
const coldSort = await press('s');
currentLabel = '/ and first filter key before warm-up';
const coldFilter = [await press('/'), await press('1')];
currentLabel = 'other';
await press('\u001b');
await press('S');
// Let the warm-up finish, as it does while a person reads the first screen.
await new Promise((resolve) => setTimeout(resolve, 3000));
const samples = { j: [], pageDown: [], sortCold: [], sortWarm: [], reverse: [], filter: [], backspace: [] };
currentLabel = 'j (down)';
for (let i = 0; i < 60; i++) samples.j.push(await press('j'));
currentLabel = 'PgDn';
for (let i = 0; i < 40; i++) samples.pageDown.push(await press('\u001b[6~'));
currentLabel = 's sort column, first pass';
for (let i = 0; i < 8; i++) samples.sortCold.push(await press('s'));
currentLabel = 's sort column, cached';
for (let i = 0; i < 16; i++) samples.sortWarm.push(await press('s'));
currentLabel = 'r reverse sort (cold then cached)';
for (let i = 0; i < 6; i++) samples.reverse.push(await press('r'));
await press('/');
currentLabel = 'filter keystroke (/147.46.1)';
for (const char of '147.46.1') samples.filter.push(await press(char));
currentLabel = 'filter backspace';
for (let i = 0; i < 4; i++) samples.backspace.push(await press('\u007f'));
instance.unmount();

// Baselines run after the App so their garbage (the unvirtualised render allocates a lot) does not land in the key timings.
// Baseline 1: a comparator sort of all remotes by connections with an address tie-breaker.
const naive = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  [...report.analysis.remotes].sort((a, b) => b.connections - a.connections || compareIps(a.ip, b.ip));
  naive.push(performance.now() - t);
}
const naiveName = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  [...report.analysis.remotes].sort((a, b) => (a.asOrg ?? '').localeCompare(b.asOrg ?? '') || compareIps(a.ip, b.ip));
  naiveName.push(performance.now() - t);
}

// Baseline 2: the panel without virtualisation: every row rendered, for 1k remotes.
const small = syntheticReport(1000, { seed: 1 }).analysis.remotes;
const smallIndex = new RemoteIndex(small);
const smallView = smallIndex.view('connections', 'desc', '');
const unvirtualised = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  renderToString(createElement(Remotes, { remotes: small, view: smallView, cursor: i, top: 0, sortColumn: 'connections', sortDirection: 'desc', filter: '', editingFilter: false, width: 100, height: small.length + 2, color: false }), { columns: 100 });
  unvirtualised.push(performance.now() - t);
}

console.log('');
console.log(`remotes screen, ${REMOTES.toLocaleString('en-US')} remotes, 100x30, keypress -> next frame (goal <= ${GOAL_MS} ms):`);
line('first remotes frame (builds index)', [firstRemotes], 'once per report');
line('j (down)', samples.j);
line('PgDn', samples.pageDown);
line('s before warm-up (cold)', [coldSort], 'builds that order; overlaps the warm-up start');
line('/ and first filter key before warm-up', coldFilter, 'builds the search texts');
line('s sort column, first pass', samples.sortCold);
line('s sort column, cached', samples.sortWarm);
line('r reverse sort (cold then cached)', samples.reverse);
line('filter keystroke (/147.46.1)', samples.filter);
line('filter backspace', samples.backspace);
console.log('');
console.log('same keys, CPU time of this process per key (not inflated by other processes on a shared machine):');
for (const [label, list] of cpuSamples) if (label !== 'other') line(label, list);
console.log('');
console.log(`load average while running: ${(await import('node:os')).loadavg().map((value) => value.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
console.log('baselines, same run:');
line(`naive sort by connections (${(REMOTES / 1000).toFixed(0)}k)`, naive, 'Array.sort + compareIps');
line(`naive sort by AS name (${(REMOTES / 1000).toFixed(0)}k)`, naiveName, 'localeCompare');
line('unvirtualised panel, 1k rows', unvirtualised, 'renders every row');
