#!/usr/bin/env node
// Live capture and watch, against the system tools in the same run:
//  1. `netsleuth capture` vs `ss -tanp` and `netstat -tanp` with N loopback connections held open
//     (server on 127.0.0.1, clients bound to 127.30.x.y). Wall time, best of R runs.
//     Goal ("finishes well within the interval"): under 1 s wall for 8000 sockets with
//     owners (pid/program), i.e. a small part of a 1-minute cron interval. The ratio to netstat is
//     printed for information: node's own startup (the floor row) is most of the gap.
//  2. `netsleuth watch --interval 100ms` for I iterations with --keep 5: RSS after 20 captures and
//     after I captures, beside an idle `node` process. Goal: bounded memory (final RSS < 1.5x the
//     RSS after 20 captures) and exactly --keep captures on disk.
// Usage: npm run build && node bench/health.mjs [--connections N] [--runs R] [--iterations I]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? Number(args[at + 1]) : fallback;
};
const CONNECTIONS = option('--connections', 4000);
const RUNS = option('--runs', 5);
const ITERATIONS = option('--iterations', 300);

function best(command, commandArgs) {
  let bestMs = Infinity;
  let lines = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, commandArgs, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) return { ms: NaN, lines: 0, error: result.stderr || String(result.error) };
    bestMs = Math.min(bestMs, ms);
    lines = result.stdout.split('\n').length;
  }
  return { ms: bestMs, lines };
}

async function captureBench() {
  const server = createServer((socket) => socket.on('error', () => {}));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const sockets = [];
  for (let index = 0; index < CONNECTIONS; index++) {
    const localAddress = `127.30.${Math.floor(index / 250)}.${(index % 250) + 1}`;
    sockets.push(await new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    }));
  }
  console.log(`capture with ${CONNECTIONS} loopback connections held open (x2 sockets), best of ${RUNS}:`);
  const rows = [
    ['ss -tanp (baseline)', best('ss', ['-tanp'])],
    ['netstat -tanp (baseline)', best('netstat', ['-tanp'])],
    ['netsleuth capture', best(process.execPath, [CLI, 'capture'])],
    ['node -e 0 (startup floor)', best(process.execPath, ['-e', '0'])],
  ];
  for (const [label, result] of rows) console.log(`  ${label.padEnd(28)} ${result.ms.toFixed(0).padStart(6)} ms  ${String(result.lines).padStart(7)} lines${result.error ? '  ERROR ' + result.error : ''}`);
  const ratio = rows[2][1].ms / rows[1][1].ms;
  console.log(`  netsleuth / netstat = ${ratio.toFixed(2)}x; netsleuth ${rows[2][1].ms.toFixed(0)} ms (goal < 1000 ms): ${rows[2][1].ms < 1000 ? 'met' : 'NOT met'}`);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
}

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

async function watchBench() {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-bench-watch-'));
  const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idleKb = rssKb(idle.pid);
  idle.kill();
  const child = spawn(process.execPath, [CLI, 'watch', '--interval', '100ms', '--iterations', String(ITERATIONS), '--keep', '5', '--case', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
  let captures = 0;
  let earlyKb = NaN;
  let peakKb = 0;
  child.stdout.on('data', (chunk) => {
    captures += (String(chunk).match(/ capture /g) ?? []).length;
    const rss = rssKb(child.pid);
    if (Number.isFinite(rss)) peakKb = Math.max(peakKb, rss);
    if (captures >= 20 && Number.isNaN(earlyKb)) earlyKb = rss;
  });
  let lateKb = NaN;
  const timer = setInterval(() => {
    const rss = rssKb(child.pid);
    if (Number.isFinite(rss)) lateKb = rss;
  }, 50);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const kept = readdirSync(dir).length;
  rmSync(dir, { recursive: true, force: true });
  console.log(`watch --interval 100ms --keep 5 for ${ITERATIONS} captures (exit ${code}):`);
  console.log(`  idle node process (baseline)   ${(idleKb / 1024).toFixed(1).padStart(6)} MB`);
  console.log(`  watch RSS after 20 captures     ${(earlyKb / 1024).toFixed(1).padStart(6)} MB`);
  console.log(`  watch RSS near the end          ${(lateKb / 1024).toFixed(1).padStart(6)} MB (peak ${(peakKb / 1024).toFixed(1)} MB)`);
  console.log(`  captures on disk at the end     ${String(kept).padStart(6)} (goal: 5)`);
  const bounded = lateKb < earlyKb * 1.5 && kept === 5;
  console.log(`  bounded memory and rotation: ${bounded ? 'met' : 'NOT met'}`);
}

await captureBench();
await watchBench();
