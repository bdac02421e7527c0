#!/usr/bin/env node
// `netsleuth parse --summary` against the classic shell pipeline, in the same run:
//   awk '{print $5}' FILE | cut -d: -f1 | sort | uniq -c | sort -nr
// on a generated Linux `netstat -tan` capture (bench/out/, gitignored) with ~50k distinct remotes.
// Prints wall time (best of N runs), the ratio, and peak RSS from /usr/bin/time.
// Goal: netsleuth <= 0.5x the pipeline's time, <= 200 MB peak RSS; and 10M lines must not
// need 10x the memory of 1M (pass --ten-million to also measure 10M lines).
// Also prints start-up times (goal: `netsleuth parse small.txt` <= 150 ms).
// Usage: npm run build && node bench/parse.mjs [--lines N] [--runs N] [--ten-million]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prng } from './lib/prng.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? Number(args[at + 1]) : fallback;
};
const LINES = option('--lines', 1_000_000);
const RUNS = option('--runs', 3);
const REMOTES = 50_000;
const GOAL_RATIO = 0.5;
const GOAL_MB = 200;
// Fixed script; the capture path is passed as $1, never interpolated.
const PIPELINE = `awk '{print $5}' "$1" | cut -d: -f1 | sort | uniq -c | sort -nr`;


const STATES = ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'SYN_RECV', 'SYN_RECV', 'TIME_WAIT', 'FIN_WAIT2', 'CLOSE_WAIT', 'LAST_ACK'];

async function generate(path, lines) {
  if (existsSync(path)) return;
  mkdirSync(OUT, { recursive: true });
  const random = prng(20261128);
  const pool = new Set();
  // The story: a few hundred hosts in Korean academic /16s hammer httpd; the rest is the world.
  while (pool.size < REMOTES) {
    const heavy = pool.size < 300;
    pool.add(heavy ? `147.46.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}` : `${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  }
  const remotes = [...pool];
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));
  await write('Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \n');
  await write('tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     \n');
  let batch = [];
  for (let line = 0; line < lines - 3; line++) {
    const remote = random() < 0.4 ? remotes[Math.floor(random() * 300)] : remotes[Math.floor(random() * remotes.length)];
    const foreign = `${remote}:${1024 + Math.floor(random() * 64000)}`.padEnd(23);
    const state = STATES[Math.floor(random() * STATES.length)];
    batch.push(`tcp        0      0 203.0.113.10:80         ${foreign} ${state.padEnd(11)}`);
    if (batch.length === 10_000) {
      await write(batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length > 0) await write(batch.join('\n') + '\n');
  await new Promise((resolve) => out.end(resolve));
}

/** Run argv under /usr/bin/time; returns wall ms and peak RSS in MB. */
function measure(argv) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  const [rssKb, userS, sysS] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wallMs, rssMb: rssKb / 1024, cpuMs: (userS + sysS) * 1000, stdout: result.stdout };
}

function best(argv) {
  const runs = Array.from({ length: RUNS }, () => measure(argv));
  return { wallMs: Math.min(...runs.map((run) => run.wallMs)), cpuMs: Math.min(...runs.map((run) => run.cpuMs)), rssMb: Math.max(...runs.map((run) => run.rssMb)), stdout: runs[0].stdout };
}

function netsleuth(path) {
  return best([process.execPath, CLI, 'parse', '--summary', '--format', 'csv', path]);
}

function pipeline(path) {
  return best(['bash', '-c', PIPELINE, 'pipeline', path]);
}

/** The two tools must agree on the per-remote totals (awk counts the header/listen lines too). */
function checkAgreement(ours, theirs) {
  const counts = new Map();
  for (const line of theirs.trim().split('\n')) {
    const [count, ip] = line.trim().split(/\s+/);
    counts.set(ip, Number(count));
  }
  let checked = 0;
  for (const line of ours.trim().split('\n').slice(1)) {
    const [ip, connections] = line.split(',');
    if (ip === '0.0.0.0') continue;
    if (counts.get(ip) !== Number(connections)) throw new Error(`disagreement on ${ip}: netsleuth ${connections}, pipeline ${counts.get(ip)}`);
    checked++;
  }
  return checked;
}

if (!existsSync(CLI) || !existsSync(`${ROOT}dist/wasm/socket-rows.wasm`)) {
  console.error('build first: npm run build');
  process.exit(2);
}
const file = `${OUT}netstat-tan-${LINES}.txt`;
await generate(file, LINES);
console.log(`capture: ${file} (${LINES.toLocaleString('en')} lines, ${(statSync(file).size / 1e6).toFixed(1)} MB, ~${REMOTES.toLocaleString('en')} remotes); best of ${RUNS} runs`);
const loadBefore = loadavg();
const shell = pipeline(file);
const ours = netsleuth(file);
const agreed = checkAgreement(ours.stdout, shell.stdout);
const ratio = ours.wallMs / shell.wallMs;
console.log(`load average before the runs: ${loadBefore.map((load) => load.toFixed(2)).join(' ')} (${availableParallelism()} cores; wall times need an idle machine)`);
console.log(`pipeline  awk|cut|sort|uniq|sort  wall ${shell.wallMs.toFixed(0).padStart(6)} ms  cpu ${shell.cpuMs.toFixed(0).padStart(6)} ms  peak RSS ${shell.rssMb.toFixed(1).padStart(6)} MB (largest process)`);
console.log(`netsleuth parse --summary        wall ${ours.wallMs.toFixed(0).padStart(6)} ms  cpu ${ours.cpuMs.toFixed(0).padStart(6)} ms  peak RSS ${ours.rssMb.toFixed(1).padStart(6)} MB`);
console.log(`ratio netsleuth/pipeline: ${ratio.toFixed(2)}x (goal <= ${GOAL_RATIO}x) ${ratio <= GOAL_RATIO ? 'OK' : 'MISSED'}; RSS goal <= ${GOAL_MB} MB ${ours.rssMb <= GOAL_MB ? 'OK' : 'MISSED'}; all ${agreed} remotes agree with the pipeline`);

// The same rows as `ss -tan` prints them (State Recv-Q Send-Q Local Peer): the pipeline's
// fifth column is the peer again, so the two still count the same thing.
const ssFile = `${OUT}ss-tan-${LINES}.txt`;
if (!existsSync(ssFile)) {
  const converted = spawnSync('bash', ['-c', `awk 'NR > 3 { print "ESTAB      0      0      " $4 "      " $5 }' "$1" > "$2"`, 'convert', file, ssFile]);
  if (converted.status !== 0) throw new Error(`cannot write ${ssFile}: ${converted.stderr}`);
}
const ssShell = pipeline(ssFile);
const ssOurs = netsleuth(ssFile);
const ssAgreed = checkAgreement(ssOurs.stdout, ssShell.stdout);
console.log(`ss -tan rows: pipeline ${ssShell.wallMs.toFixed(0)} ms, netsleuth ${ssOurs.wallMs.toFixed(0)} ms (${(ssOurs.wallMs / ssShell.wallMs).toFixed(2)}x), peak RSS ${ssOurs.rssMb.toFixed(1)} MB; all ${ssAgreed} remotes agree`);

// Start-up (goal <= 150 ms): a small capture, beside bare `node -e 0` in the same run.
const SMALL = `${ROOT}samples/captures/linux-netstat-tanp.txt`;
const startup = (argv) => Math.min(...Array.from({ length: 10 }, () => measure(argv).wallMs));
const bare = startup([process.execPath, '-e', '0']);
const small = startup([process.execPath, CLI, 'parse', '--format', 'json', SMALL]);
const version = startup([process.execPath, CLI, '--version']);
console.log(`start-up (best of 10): node -e 0 ${bare.toFixed(0)} ms, netsleuth --version ${version.toFixed(0)} ms, netsleuth parse small.txt ${small.toFixed(0)} ms (goal <= 150 ms) ${small <= 150 ? 'OK' : 'MISSED'}`);

if (args.includes('--ten-million')) {
  const big = `${OUT}netstat-tan-${LINES * 10}.txt`;
  await generate(big, LINES * 10);
  const tenX = measure([process.execPath, CLI, 'parse', '--summary', '--format', 'csv', big]);
  const growth = tenX.rssMb / ours.rssMb;
  console.log(`netsleuth parse --summary, ${(LINES * 10).toLocaleString('en')} lines: ${tenX.wallMs.toFixed(0)} ms, peak RSS ${tenX.rssMb.toFixed(1)} MB = ${growth.toFixed(2)}x the 1x run's memory (goal < 10x) ${growth < 10 ? 'OK' : 'MISSED'}`);
}
