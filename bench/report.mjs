#!/usr/bin/env node
// End-to-end report speed and memory: a 1M-line `netstat -tan` capture (50k remotes,
// a Seoul National University-style heavy tail) through the compiled CLI to markdown,
// without DNS or traceroute, beside parse-only (`netsleuth parse --summary`) in the same run.
// Each command runs as its own child process; its peak RSS is read from the child itself
// (process.resourceUsage().maxRSS at exit, through a --import hook), wall time from the parent.
// The capture is generated into bench/out/ (gitignored), deterministically (seeded PRNG).
// Usage: npm run build && node bench/report.mjs [lines] [remotes] [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateHeavyTailCapture } from './lib/heavy-tail-capture.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const LINES = Number(process.argv[2] ?? 1_000_000) || 1_000_000;
const REMOTES = Number(process.argv[3] ?? 50_000) || 50_000;
const RUNS = Number(process.argv[4] ?? 3) || 3;
const CAPTURE = `${OUT}netstat-${LINES}.txt`;
const RSS_HOOK = `${OUT}rss-hook.mjs`;


function measure(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', RSS_HOOK, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', NETSLEUTH_RSS_FD: '2' },
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`netsleuth ${args.join(' ')} failed (${child.status}): ${child.stderr.slice(-2000)}`);
  const match = /netsleuth-bench-max-rss-kb=(\d+)/.exec(child.stderr);
  return { elapsedMs, peakMb: match ? Number(match[1]) / 1024 : Number.NaN, outputBytes: Buffer.byteLength(child.stdout) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** In a child: the pipeline in-process, timing each stage through onProgress. */
async function stagesPhase() {
  const { investigate } = await import(new URL('../dist/pipeline.js', import.meta.url));
  const { renderMarkdown } = await import(new URL('../dist/report/renderers/markdown.js', import.meta.url));
  const { Readable, PassThrough } = await import('node:stream');
  const marks = [];
  const started = performance.now();
  const report = await investigate(
    { inputs: [CAPTURE], rdns: null, trace: false, now: new Date(0), onProgress: (stage) => marks.push({ stage, at: performance.now() - started }) },
    { stdin: Readable.from([]), stderr: new PassThrough(), env: process.env, cwd: ROOT },
  );
  marks.push({ stage: 'render', at: performance.now() - started });
  renderMarkdown(report);
  marks.push({ stage: 'end', at: performance.now() - started });
  const stages = marks.slice(0, -1).map((mark, index) => ({ stage: mark.stage, ms: (marks[index + 1]?.at ?? mark.at) - mark.at }));
  process.stdout.write(JSON.stringify(stages));
}

if (process.argv[2] === '--stages') {
  await stagesPhase();
  process.exit(0);
}

if (!existsSync(CLI)) {
  console.error('bench/report: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
writeFileSync(RSS_HOOK, "import { writeSync } from 'node:fs';\nprocess.on('exit', () => writeSync(2, `\\nnetsleuth-bench-max-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n");
await generateHeavyTailCapture(CAPTURE, { lines: LINES, remotes: REMOTES, seed: 7, sendQueues: true });
console.log(`bench/report: ${CAPTURE.slice(ROOT.length)} (${LINES} lines, ${(statSync(CAPTURE).size / 1e6).toFixed(1)} MB, ${REMOTES} remotes), node ${process.version}, median of ${RUNS} runs`);
const phases = [
  { name: 'startup', args: ['--version'] },
  { name: 'parse --summary', args: ['parse', '--summary', '--format', 'csv', CAPTURE] },
  { name: 'report md', args: ['report', '--no-dns', '--no-trace', '--now', '2026-11-28T00:00:00Z', CAPTURE] },
];
console.log('command            time (ms)   peak RSS (MB)   output (bytes)');
for (const phase of phases) {
  const runs = Array.from({ length: RUNS }, () => measure(phase.args));
  console.log(
    `${phase.name.padEnd(16)} ${median(runs.map((r) => r.elapsedMs)).toFixed(0).padStart(10)} ${median(runs.map((r) => r.peakMb)).toFixed(0).padStart(15)} ${String(runs[0].outputBytes).padStart(16)}`,
  );
}
// Where the report's time goes (one in-process run): read+parse, geo, analyze, build, render.
const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--stages', String(LINES), String(REMOTES)], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (child.status === 0) {
  console.log(`report stages (ms): ${JSON.parse(child.stdout).map((s) => `${s.stage} ${s.ms.toFixed(0)}`).join(', ')}`);
} else {
  console.log(`report stages: failed (${child.stderr.slice(-300)})`);
}
