#!/usr/bin/env node
// The investigation at the speed of `parse --summary`, on realistic captures (bench/lib/realistic-capture.mjs:
// ports 80/443/22/25 interleaved, a third of the rows tcp6 ::ffff: peers, padded columns, queues,
// states in any order, the -p program column) — whole CLI processes, best of N, beside the baseline
// in the same run:
//   1. 1M rows: `report --format json --no-dns --no-trace` against `parse --summary` on the same file.
//      Goals: <= 1500 ms, <= 300 MB peak RSS, <= 3x parse --summary.
//   2. A console log of 40 dated snapshots, 4M rows: report counts every connection and lists 40 inputs.
//      Goals: <= 4x parse --summary, <= 500 MB.
//   3. With --ten-million: the same log shape with 10M rows. Goal: <= 1.5x the memory of 4M.
// Beside them, on the same 1M rows in netstat and in ss form: `parse --summary` against the shell
// pipeline awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -nr (goal <= 0.5x, <= 200 MB).
// Wall time is best of N; CPU (user + sys, from /usr/bin/time, children included) is printed too:
// on a loaded machine it moves less than wall time. Peak RSS is the largest process's.
// Captures go to bench/out/ (gitignored).
// Usage: npm run build && node bench/report-log.mjs [--runs N] [--ten-million]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { convertToSs, generateRealisticCapture } from './lib/realistic-capture.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || (args.includes('--runs') ? 3 : 3);
const REPORT = ['report', '--format', 'json', '--no-dns', '--no-trace', '--now', '2026-11-28T12:00:00Z'];

// Fixed script; the capture path is passed as $1, never interpolated.
const PIPELINE = `awk '{print $5}' "$1" | cut -d: -f1 | sort | uniq -c | sort -nr`;

function run(command) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...command], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  const [rssKb, userS, sysS] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wallMs, cpuMs: (userS + sysS) * 1000, rssMb: rssKb / 1024 };
}

const measure = (argv) => run([process.execPath, CLI, ...argv]);

function best(argv, runs = RUNS, command = measure) {
  const all = Array.from({ length: runs }, () => command(argv));
  return { wallMs: Math.min(...all.map((one) => one.wallMs)), cpuMs: Math.min(...all.map((one) => one.cpuMs)), rssMb: Math.max(...all.map((one) => one.rssMb)) };
}

const pipeline = (file) => run(['bash', '-c', PIPELINE, 'pipeline', file]);

/** The report's own totals: every row counted, one input per snapshot. */
function reportTotals(file) {
  const json = `${OUT}report-log-check.json`;
  rmSync(json, { force: true });
  const result = spawnSync(process.execPath, [CLI, ...REPORT, '--force', '-o', json, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`report failed: ${result.stderr.slice(-2000)}`);
  const report = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(json, { force: true });
  const parsed = report.inputs.reduce((sum, input) => sum + input.parsed, 0);
  return { inputs: report.inputs.length, connections: report.totals.connections, listening: report.totals.listening, parsed, remotes: report.totals.remotes };
}

const line = (label, one) => `${label.padEnd(44)} wall ${one.wallMs.toFixed(0).padStart(6)} ms  cpu ${one.cpuMs.toFixed(0).padStart(6)} ms  peak RSS ${one.rssMb.toFixed(1).padStart(6)} MB`;
const verdict = (ok) => (ok ? 'OK' : 'MISSED');

if (!existsSync(CLI)) {
  console.error('build first: npm run build');
  process.exit(2);
}
console.log(`load average: ${loadavg().map((load) => load.toFixed(2)).join(' ')} (${availableParallelism()} cores; best of ${RUNS} runs)`);

// 1. One 1M-row capture with the -p column.
const million = `${OUT}realistic-tanp-1000000.txt`;
await generateRealisticCapture(million, 1_000_000, { programs: true });
console.log(`capture: ${million} (1,000,000 rows, ${(statSync(million).size / 1e6).toFixed(1)} MB)`);
const awk1 = best(million, RUNS, pipeline);
const summary1 = best(['parse', '--summary', '--format', 'csv', million]);
const report1 = best([...REPORT, million]);
const ratio1 = report1.wallMs / summary1.wallMs;
const awkRatio1 = summary1.wallMs / awk1.wallMs;
console.log(line('awk | cut | sort | uniq -c | sort -nr', awk1));
console.log(line('parse --summary', summary1));
console.log(line('report --format json --no-dns --no-trace', report1));
console.log(`1M rows: parse --summary ${awkRatio1.toFixed(2)}x the awk pipeline (goal <= 0.5x) ${verdict(awkRatio1 <= 0.5)}, ${summary1.rssMb.toFixed(0)} MB (goal <= 200) ${verdict(summary1.rssMb <= 200)}`);
console.log(`1M rows: report ${report1.wallMs.toFixed(0)} ms (goal <= 1500) ${verdict(report1.wallMs <= 1500)}, ${report1.rssMb.toFixed(0)} MB (goal <= 300) ${verdict(report1.rssMb <= 300)}, ${ratio1.toFixed(2)}x parse --summary (goal <= 3x) ${verdict(ratio1 <= 3)}`);

// The same rows as `ss -tan` prints them (IPv6 sockets bracketed).
const millionSs = `${OUT}realistic-ss-1000000.txt`;
await convertToSs(million, millionSs);
const awkSs = best(millionSs, RUNS, pipeline);
const summarySs = best(['parse', '--summary', '--format', 'csv', millionSs]);
const reportSs = best([...REPORT, millionSs]);
const awkRatioSs = summarySs.wallMs / awkSs.wallMs;
console.log(line('ss form: awk | cut | sort | uniq -c | sort -nr', awkSs));
console.log(line('ss form: parse --summary', summarySs));
console.log(line('ss form: report --format json', reportSs));
console.log(`1M rows, ss form: parse --summary ${awkRatioSs.toFixed(2)}x the awk pipeline (goal <= 0.5x) ${verdict(awkRatioSs <= 0.5)}, ${summarySs.rssMb.toFixed(0)} MB; report ${(reportSs.wallMs / summarySs.wallMs).toFixed(2)}x parse --summary`);

// 2. A console log of 40 dated snapshots, 4M rows.
const log4 = `${OUT}realistic-log-4000000.txt`;
await generateRealisticCapture(log4, 4_000_000, { snapshots: 40, seed: 29 });
const totals4 = reportTotals(log4);
console.log(`capture: ${log4} (4,000,000 rows in 40 snapshots, ${(statSync(log4).size / 1e6).toFixed(1)} MB); report lists ${totals4.inputs} inputs, ${totals4.connections.toLocaleString('en')} connections + ${totals4.listening} listening = ${(totals4.connections + totals4.listening).toLocaleString('en')} rows (parsed ${totals4.parsed.toLocaleString('en')}), ${totals4.remotes.toLocaleString('en')} remotes`);
const summary4 = best(['parse', '--summary', '--format', 'csv', log4], Math.min(RUNS, 2));
const report4 = best([...REPORT, log4], Math.min(RUNS, 2));
const ratio4 = report4.wallMs / summary4.wallMs;
console.log(line('parse --summary (4M log)', summary4));
console.log(line('report --format json (4M log)', report4));
console.log(`4M log: ${ratio4.toFixed(2)}x parse --summary (goal <= 4x) ${verdict(ratio4 <= 4)}, ${report4.rssMb.toFixed(0)} MB (goal <= 500) ${verdict(report4.rssMb <= 500)}, all rows counted ${verdict(totals4.connections + totals4.listening === 4_000_000 && totals4.inputs === 40)}`);

// 3. 10M rows in the same shape: memory must stay near the 4M figure.
if (args.includes('--ten-million')) {
  const log10 = `${OUT}realistic-log-10000000.txt`;
  await generateRealisticCapture(log10, 10_000_000, { snapshots: 40, seed: 31 });
  const report10 = measure([...REPORT, log10]);
  const growth = report10.rssMb / report4.rssMb;
  console.log(line('report --format json (10M log)', report10));
  console.log(`10M log: ${growth.toFixed(2)}x the memory of 4M (goal <= 1.5x) ${verdict(growth <= 1.5)}`);
}
