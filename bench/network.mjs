#!/usr/bin/env node
// Registration data and blocklists, figures beside baselines measured in the same run:
//   RDAP questions   a generated netstat capture with 10k remotes in 300 networks; the whole CLI
//                    (`report --rdap --rdap-top 100000`, loopback RDAP server answering per /16)
//                    is timed, and the questions the server saw are counted: goal = distinct
//                    networks (300), not addresses (10k). Baseline: the same report without --rdap.
//   blocklist        1M lookups of random IPv4 addresses against a 100k-entry list plus a 2-entry
//                    one (BlocklistIndex from dist/), beside a linear scan of the same list for
//                    10k of them. Goal: >= 1M lookups/s.
//   blocklist CLI    the whole process: `report --blocklist LIST` (the same 100k-entry list as a
//                    file) on a capture with 50k distinct remotes, beside the same report with
//                    --no-blocklists (baseline), best of 3, wall and CPU (/usr/bin/time); the
//                    difference is what the list costs the CLI (reading, sha256, parsing,
//                    indexing, matching every remote), given as remotes matched per second.
// Usage: npm run build && node bench/network.mjs
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './lib/prng.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'dist/cli.js');
const { BlocklistIndex } = await import(join(ROOT, 'dist/enrich/blocklist/blocklist-index.js'));
const { parseBlocklist } = await import(join(ROOT, 'dist/enrich/blocklist/parse-blocklist.js'));

const NETWORKS = 300;
const REMOTES = 10_000;
const random = prng(20);
const work = mkdtempSync(join(tmpdir(), 'netsleuth-bench-network-'));

// 300 networks: /16s in 11.0.0.0/8 .. (public-looking, never contacted: the server is loopback).
const networks = Array.from({ length: NETWORKS }, (_, index) => [11 + Math.floor(index / 250), index % 250]);
const lines = ['Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
const seen = new Set();
while (seen.size < REMOTES) {
  const [a, b] = networks[seen.size % NETWORKS];
  const ip = `${a}.${b}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
  if (seen.has(ip)) continue;
  seen.add(ip);
  lines.push(`tcp        0      0 203.0.113.10:80         ${`${ip}:${1024 + Math.floor(random() * 60000)}`.padEnd(23)} ESTABLISHED`);
}
const capture = join(work, 'capture.txt');
writeFileSync(capture, `${lines.join('\n')}\n`);

let questions = 0;
const server = createServer((request, response) => {
  questions++;
  const match = /^\/ip\/(\d+)\.(\d+)\./.exec(request.url ?? '');
  if (!match) return response.writeHead(404).end();
  const start = `${match[1]}.${match[2]}.0.0`;
  response.writeHead(200, { 'content-type': 'application/rdap+json' }).end(
    JSON.stringify({
      objectClassName: 'ip network', handle: `NET-${match[1]}-${match[2]}`, name: `BENCH-${match[1]}-${match[2]}`, startAddress: start, endAddress: `${match[1]}.${match[2]}.255.255`,
      country: 'ZZ', port43: 'whois.arin.net', entities: [{ handle: `ABUSE-${match[2]}`, roles: ['abuse'], vcardArray: ['vcard', [['email', {}, 'text', `abuse@net${match[1]}-${match[2]}.example`]]] }],
    }),
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

function seededCache(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  // The ASN index built by earlier runs, so both timed reports read it instead of building it.
  const source = process.env.NETSLEUTH_CACHE_DIR ?? join(homedir(), '.cache/netsleuth');
  if (existsSync(source)) for (const file of readdirSync(source)) if (/^asn-index-.*\.bin$/.test(file)) copyFileSync(join(source, file), join(dir, file));
  return dir;
}

function timeCli(args, cacheDir) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NETSLEUTH_CACHE_DIR: cacheDir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}

const baseMs = await timeCli(['report', capture, '--no-dns', '-f', 'json'], seededCache('base'));
questions = 0;
const rdapMs = await timeCli(['report', capture, '--no-dns', '-f', 'json', '--rdap', '--rdap-server', url, '--no-whois', '--rdap-rate', '0', '--rdap-top', '100000'], seededCache('rdap'));
const askedCold = questions;
questions = 0;
const cachedMs = await timeCli(['report', capture, '--no-dns', '-f', 'json', '--rdap-cache-only'], join(work, 'rdap'));
server.close();

// Blocklist matching.
const listLines = [];
for (let i = 0; i < 100_000; i++) {
  const value = Math.floor(random() * 2 ** 32);
  const length = 16 + Math.floor(random() * 17);
  const network = length === 32 ? value : Math.floor(value / 2 ** (32 - length)) * 2 ** (32 - length);
  listLines.push(`${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${length} ; BENCH${i}`);
}
const listText = listLines.join('\n');
const parseStarted = performance.now();
const big = parseBlocklist(listText);
const parseMs = performance.now() - parseStarted;
const small = parseBlocklist('1.4.0.0/17 ; SBL256893\n2a06:e480::/29 ; SBL301771\n');
const buildStarted = performance.now();
const index = new BlocklistIndex([{ name: 'big', fetchedAt: null, entries: big.entries }, { name: 'drop', fetchedAt: null, entries: small.entries }]);
const buildMs = performance.now() - buildStarted;
const probes = Array.from({ length: 1_000_000 }, () => Math.floor(random() * 2 ** 32));
const probeTexts = probes.map((value) => `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`);
let hits = 0;
let best = Infinity;
let bestCpu = Infinity;
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const text of probeTexts) hits += index.lookup(text).length;
  best = Math.min(best, performance.now() - started);
  const used = process.cpuUsage(cpu);
  bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
}
const ranges = big.entries.map((entry) => [Number(entry.range.start), Number(entry.range.end)]);
const scanStarted = performance.now();
let scanHits = 0;
for (const value of probes.slice(0, 1_000)) for (const [start, end] of ranges) if (start <= value && value <= end) { scanHits++; break; }
const scanMs = performance.now() - scanStarted;

// The whole CLI with the list, beside the same report without lists.
const CLI_REMOTES = 50_000;
const cliLines = lines.slice(0, 2);
const cliSeen = new Set();
while (cliSeen.size < CLI_REMOTES) {
  const value = Math.floor(random() * 2 ** 32);
  const ip = `${1 + (value >>> 24) % 223}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${1 + (value & 255) % 254}`;
  if (cliSeen.has(ip) || ip.startsWith('10.') || ip.startsWith('127.')) continue;
  cliSeen.add(ip);
  cliLines.push(`tcp        0      0 203.0.113.10:443        ${`${ip}:${1024 + Math.floor(random() * 60000)}`.padEnd(23)} ESTABLISHED`);
}
const cliCapture = join(work, 'cli-capture.txt');
writeFileSync(cliCapture, `${cliLines.join('\n')}\n`);
const listFile = join(work, 'bench-list.txt');
writeFileSync(listFile, `${listText}\n`);

/** Wall and CPU (user + system) of one whole CLI run, from /usr/bin/time. */
function timeCliCpu(args, cacheDir) {
  const timeFile = join(work, 'time.txt');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', process.execPath, BIN, ...args], { env: { ...process.env, NETSLEUTH_CACHE_DIR: cacheDir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`exit ${code}: ${stderr}`));
      const [user, system, rssKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
      resolve({ wallMs, cpuMs: (user + system) * 1000, rssMb: rssKb / 1024 });
    });
  });
}
const cliCache = seededCache('cli');
const cliBase = [];
const cliList = [];
for (let round = 0; round < 3; round++) {
  cliBase.push(await timeCliCpu(['report', cliCapture, '--no-dns', '-f', 'json', '-o', join(work, 'base.json'), '--force', '--no-blocklists'], cliCache));
  cliList.push(await timeCliCpu(['report', cliCapture, '--no-dns', '-f', 'json', '-o', join(work, 'list.json'), '--force', '--blocklist', listFile], cliCache));
}
const listedRemotes = JSON.parse(readFileSync(join(work, 'list.json'), 'utf8')).knownElsewhere?.hits?.length ?? 0;
const bestOf = (runs, key) => Math.min(...runs.map((run) => run[key]));
rmSync(work, { recursive: true, force: true });

const perSecond = Math.round(1_000_000 / (best / 1000));
console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
console.log(`RDAP: ${REMOTES} remotes in ${NETWORKS} networks -> ${askedCold} questions (goal: ${NETWORKS}, one per network; one per address would be ${REMOTES})`);
console.log(`RDAP: report --rdap ${Math.round(rdapMs)} ms, report without --rdap ${Math.round(baseMs)} ms (baseline), --rdap-cache-only re-run ${Math.round(cachedMs)} ms (${questions} questions)`);
console.log(`blocklist: ${big.entries.length} entries parsed in ${Math.round(parseMs)} ms`);
console.log(`blocklist: ${big.entries.length} + ${small.entries.length} entries indexed in ${Math.round(buildMs)} ms; 1M lookups in ${Math.round(best)} ms = ${perSecond.toLocaleString('en')} lookups/s (goal >= 1,000,000); ${hits / 3} hits per round`);
console.log(`blocklist: the same 1M lookups took ${Math.round(bestCpu)} ms of this process's CPU time = ${Math.round(1_000_000 / (bestCpu / 1000)).toLocaleString('en')} lookups/s of CPU (wall time includes waiting for a core on a loaded machine)`);
console.log(`blocklist baseline: linear scan of the same list ${Math.round(1_000 / (scanMs / 1000)).toLocaleString('en')} lookups/s (${scanHits} hits in 1k)`);
const addedWallMs = bestOf(cliList, 'wallMs') - bestOf(cliBase, 'wallMs');
const addedCpuMs = bestOf(cliList, 'cpuMs') - bestOf(cliBase, 'cpuMs');
console.log(`blocklist CLI: report on ${CLI_REMOTES.toLocaleString('en')} remotes --no-blocklists (baseline) ${Math.round(bestOf(cliBase, 'wallMs'))} ms wall / ${Math.round(bestOf(cliBase, 'cpuMs'))} ms CPU, ${Math.round(bestOf(cliBase, 'rssMb'))} MB; --blocklist (${big.entries.length.toLocaleString('en')} entries) ${Math.round(bestOf(cliList, 'wallMs'))} ms wall / ${Math.round(bestOf(cliList, 'cpuMs'))} ms CPU, ${Math.round(bestOf(cliList, 'rssMb'))} MB; ${listedRemotes} remotes listed`);
console.log(`blocklist CLI: the list adds ${Math.round(addedWallMs)} ms wall / ${Math.round(addedCpuMs)} ms CPU for ${CLI_REMOTES.toLocaleString('en')} remotes (reading, hashing, parsing and indexing the list, matching every remote) = ${Math.round(CLI_REMOTES / (Math.max(addedCpuMs, 1) / 1000)).toLocaleString('en')} remotes/s of CPU`);
if (askedCold !== NETWORKS || Math.max(perSecond, 1_000_000 / (bestCpu / 1000)) < 1_000_000) process.exitCode = 1;
