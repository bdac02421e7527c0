#!/usr/bin/env node
// The HTML report at scale: a capture with 50k distinct remotes (a Seoul National
// University-style heavy head and a long tail), reported by the compiled CLI as HTML
// and, in the same run, as markdown (the baseline: whole CLI processes, best of N).
// Then the page in headless Chromium (Debian's chromium through playwright-core):
// file size, first contentful paint, the page's script ready (tables drawn), and the
// time from a filter keystroke to the next frame, for the first keystroke (which
// builds the search index) and the ones after it.
// Goals: ≤ 15 MB, first paint ≤ 2 s, a keystroke ≤ 100 ms.
// Usage: npm run build && node bench/html.mjs [lines] [remotes] [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateHeavyTailCapture } from './lib/heavy-tail-capture.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const CHROMIUM = '/usr/bin/chromium';
const LINES = Number(process.argv[2] ?? 300_000) || 300_000;
const REMOTES = Number(process.argv[3] ?? 50_000) || 50_000;
const RUNS = Number(process.argv[4] ?? 3) || 3;
const CAPTURE = `${OUT}html-netstat-${LINES}-${REMOTES}.txt`;
const NOW = ['--now', '2026-11-28T00:00:00Z'];

function timeCli(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`netsleuth ${args.join(' ')} failed (${child.status}): ${child.stderr.slice(-2000)}`);
  return elapsedMs;
}

const best = (values) => Math.min(...values);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (!existsSync(CLI)) {
  console.error('bench/html: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
await generateHeavyTailCapture(CAPTURE, { lines: LINES, remotes: REMOTES, seed: 21, everyRemote: true });
const html = `${OUT}html-report.html`;
const markdown = `${OUT}html-report.md`;
console.log(`bench/html: ${CAPTURE.slice(ROOT.length)} (${LINES} lines, ${REMOTES} remotes), node ${process.version}, best of ${RUNS} runs, load average ${loadavg()[0].toFixed(1)}`);

// Whole CLI processes, alternated so load drifts hit both alike.
const times = { md: [], html: [] };
for (let run = 0; run < RUNS; run++) {
  rmSync(markdown, { force: true });
  rmSync(html, { force: true });
  times.md.push(timeCli(['report', '--no-dns', ...NOW, '--no-map', CAPTURE, '-o', markdown]));
  times.html.push(timeCli(['report', '--no-dns', ...NOW, CAPTURE, '-o', html]));
}
const sizeMb = statSync(html).size / 1e6;
console.log(`report md   (CLI, whole process) ${best(times.md).toFixed(0).padStart(7)} ms`);
console.log(`report html (CLI, whole process) ${best(times.html).toFixed(0).padStart(7)} ms   ${sizeMb.toFixed(2)} MB   (goal ≤ 15 MB)`);

if (!existsSync(CHROMIUM)) {
  console.log(`browser: SKIP, ${CHROMIUM} not installed (apt-get install chromium)`);
  process.exit(0);
}
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
// Playwright starts Chromium as a child of this process: count every descendant but ourselves.
const browserPid = process.pid;
const paints = [];
const ready = [];
const searchReady = [];
const busy = [];
const firstKeys = [];
const laterKeys = [];
const keyBusy = [];
// CPU time of the whole browser (every Chromium process under the one we launched, from
// /proc, in ms): what the page costs, far less disturbed than wall time on a shared machine.
function browserCpuMs(rootPid) {
  const children = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
      cpu.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we looked.
    }
  }
  let ticks = 0;
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop();
    ticks += cpu.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
try {
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cpuBefore = browserCpuMs(browserPid);
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${html}`);
    await page.waitForSelector('html[data-ready]', { timeout: 120_000 });
    const paint = await page.evaluate(`(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime`);
    paints.push(paint ?? Number.NaN);
    ready.push(Number(await page.getAttribute('html', 'data-ready')));
    busy.push(browserCpuMs(browserPid) - cpuBefore);
    // A person reads the page before typing: the search index is built in slices meanwhile.
    await page.waitForSelector('html[data-search-ready]', { timeout: 120_000 });
    searchReady.push(Number(await page.getAttribute('html', 'data-search-ready')));
    // Keystroke -> filtered table painted: keydown's timestamp to the frame after the input handler ran.
    await page.evaluate(`{
      window.__keyTimes = [];
      let down = 0;
      document.addEventListener('keydown', (event) => { down = event.timeStamp; }, true);
      document.getElementById('filter-remotes').addEventListener('input', () => {
        requestAnimationFrame(() => setTimeout(() => window.__keyTimes.push(performance.now() - down), 0));
      });
    }`);
    await page.focus('#filter-remotes');
    for (const key of ['1', '4', '7', '.', '4', '6']) {
      const before = browserCpuMs(browserPid);
      await page.keyboard.press(key);
      // Polled from here: waitForFunction evaluates strings with eval, which the page's CSP refuses.
      while (!(await page.evaluate(`window.__keyTimes.length === document.getElementById('filter-remotes').value.length`))) await new Promise((resolve) => setTimeout(resolve, 5));
      keyBusy.push(browserCpuMs(browserPid) - before);
    }
    const keyTimes = await page.evaluate('window.__keyTimes');
    firstKeys.push(keyTimes[0]);
    laterKeys.push(...keyTimes.slice(1));
    const shown = await page.textContent('#remotes .grid-count');
    if (run === 0) console.log(`browser: filter '147.46' shows ${shown}; requests beyond the file: ${requests.length - 1}`);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`first contentful paint   ${median(paints).toFixed(0).padStart(7)} ms (median; goal ≤ 2000)`);
console.log(`page script ready        ${median(ready).toFixed(0).padStart(7)} ms (median, tables drawn; browser CPU ${median(busy).toFixed(0)} ms)`);
console.log(`search index ready       ${median(searchReady).toFixed(0).padStart(7)} ms (median, built in slices after the page is drawn)`);
console.log(`filter keystroke         ${median([...firstKeys, ...laterKeys]).toFixed(0).padStart(7)} ms (median to the next frame), ${Math.max(...firstKeys, ...laterKeys).toFixed(0)} ms worst; browser CPU ${median(keyBusy).toFixed(0)} ms median, ${Math.max(...keyBusy).toFixed(0)} ms worst (goal ≤ 100)`);
