#!/usr/bin/env node
// Analysis speed and memory: 1M connections from 50k remotes, full analysis (no DNS, no
// traceroute), beside two baselines measured in the same run:
//   generate   build the 1M Connection objects in memory (what every other phase also pays)
//   parse      parse 1M lines of `netstat -tan` text with the Linux netstat parser
//   aggregate  generate + the per-remote aggregation pass only
//   analyze    generate + analyze() with attributions for every remote
// Each phase runs in its own child process so its peak RSS is its own.
// Goal: analyze <= 2 s and <= 400 MB on the project machine (2 cores, Node 20).
// Usage: npm run build && node bench/analyze.mjs [connections] [remotes]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prng } from './lib/prng.mjs';

const DIST = new URL('../dist/', import.meta.url);
const SELF = fileURLToPath(import.meta.url);
// Children get: --phase NAME CONNECTIONS REMOTES.
const SIZE_ARGS = process.argv[2] === '--phase' ? process.argv.slice(4) : process.argv.slice(2);
const CONNECTIONS = Number(SIZE_ARGS[0] ?? 1_000_000) || 1_000_000;
const REMOTES = Number(SIZE_ARGS[1] ?? 50_000) || 50_000;
const GOAL_MS = 2000;
const GOAL_MB = 400;


/** 50k remotes: 41 heavy hitters in a few /16s carry 30%, the rest spread over the IPv4 space; 5% IPv6. */
function remotePool(count, random) {
  const pool = [];
  for (let i = 0; i < 41; i++) pool.push(`147.46.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  while (pool.length < count) {
    if (random() < 0.05) pool.push(`2001:db8:${Math.floor(random() * 65536).toString(16)}::${Math.floor(random() * 65536).toString(16)}`);
    else pool.push(`${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  }
  return [...new Set(pool)];
}

const STATES = ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'SYN_RECV', 'FIN_WAIT2', 'CLOSE_WAIT'];
const PORTS = [80, 80, 80, 443, 443, 22, 25];

function* rows(count, pool, random) {
  for (let line = 1; line <= count; line++) {
    const heavy = random() < 0.3;
    const remote = heavy ? pool[Math.floor(random() * 41)] : pool[41 + Math.floor(random() * (pool.length - 41))];
    yield {
      remote,
      remotePort: 1024 + Math.floor(random() * 60000),
      localPort: PORTS[Math.floor(random() * PORTS.length)],
      state: STATES[Math.floor(random() * STATES.length)],
      sendQ: random() < 0.7 ? 0 : Math.floor(random() * 3000),
      line,
    };
  }
}

function generateConnections(count, pool) {
  const random = prng(42);
  const connections = new Array(count);
  let i = 0;
  for (const row of rows(count, pool, random)) {
    connections[i++] = {
      protocol: 'tcp', ipVersion: row.remote.includes(':') ? 6 : 4, localAddress: '203.0.113.10', localPort: row.localPort,
      remoteAddress: row.remote, remotePort: row.remotePort, state: row.state, rawState: row.state, recvQ: 0, sendQ: row.sendQ,
      pid: null, program: null, source: { file: 'bench', line: row.line },
    };
  }
  return connections;
}

function capture(connections) {
  return { info: { path: 'bench.txt', sizeBytes: 0, sha256: '', format: 'bench', capturedAt: null, lines: connections.length, parsed: connections.length, skipped: 0 }, connections, diagnostics: [] };
}

function attributions(pool) {
  const map = new Map();
  const countries = ['KR', 'US', 'DE', 'JP', 'BR', 'FR', 'GB', 'CN'];
  pool.forEach((ip, index) => {
    const heavy = index < 41;
    const asn = heavy ? 9488 : 1000 + (index % 3000);
    const country = heavy ? 'KR' : countries[index % countries.length];
    map.set(ip, {
      ip, special: null, country, countryName: country, region: null, city: null, latitude: null, longitude: null, asn,
      asOrg: heavy ? 'Seoul National University' : `AS-${asn}`, isp: null, organization: null, registeredCountry: null,
      institution: heavy ? { name: 'Seoul National University', type: 'academic', evidence: [] } : null, sources: {},
    });
  });
  return map;
}

/** CPU time (user + system) since a process.cpuUsage() mark: steadier than wall time on a shared machine. */
function cpuSince(mark) {
  const { user, system } = process.cpuUsage(mark);
  return (user + system) / 1000;
}

async function phase(name) {
  const pool = remotePool(REMOTES, prng(7));
  let elapsedMs;
  let cpuMs;
  let detail = '';
  if (name === 'parse') {
    const { createNetstatLinuxParser } = await import(new URL('capture/parsers/netstat-linux.js', DIST));
    const random = prng(42);
    const lines = ['Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
    for (const row of rows(CONNECTIONS, pool, random)) {
      const remote = row.remote.includes(':') ? `${row.remote}:${row.remotePort}` : `${row.remote}:${row.remotePort}`;
      lines.push(`tcp${row.remote.includes(':') ? '6' : ' '}       0 ${String(row.sendQ).padStart(6)} 203.0.113.10:${String(row.localPort).padEnd(10)} ${remote.padEnd(23)} ${row.state}`);
    }
    let parsed = 0;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const parser = createNetstatLinuxParser('bench.txt', { connection: () => parsed++, diagnostic: () => undefined, meta: () => undefined });
    for (let i = 0; i < lines.length; i++) parser.line(lines[i], i + 1);
    parser.end();
    elapsedMs = performance.now() - started;
    cpuMs = cpuSince(cpuStarted);
    detail = `${parsed} connections parsed`;
  } else {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const connections = generateConnections(CONNECTIONS, pool);
    const generatedMs = performance.now() - started;
    const generatedCpuMs = cpuSince(cpuStarted);
    if (name === 'generate') {
      elapsedMs = generatedMs;
      cpuMs = generatedCpuMs;
      detail = `${connections.length} objects`;
    } else if (name === 'aggregate') {
      const { aggregateCaptures } = await import(new URL('analyze/aggregate.js', DIST));
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const aggregate = aggregateCaptures([capture(connections)], [80, 443]);
      elapsedMs = performance.now() - t0;
      cpuMs = cpuSince(c0);
      detail = `${aggregate.remotes.length} remotes`;
    } else {
      const { analyze } = await import(new URL('analyze/index.js', DIST));
      const input = { captures: [capture(connections)], attributions: attributions(pool), rdns: new Map(), traces: new Map(), verdicts: new Map() };
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const analysis = analyze(input);
      elapsedMs = performance.now() - t0;
      cpuMs = cpuSince(c0);
      detail = `${analysis.totals.remotes} remotes, ${analysis.clusters.length} clusters, ${analysis.indicators.length} indicators`;
    }
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ name, elapsedMs, cpuMs, peakMb, detail }));
}

function runPhase(name) {
  const child = spawnSync(process.execPath, [SELF, '--phase', name, String(CONNECTIONS), String(REMOTES)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    const reason = (child.stderr.split('\n').find((line) => /Error/.test(line)) ?? `exit ${child.status}`).trim();
    return { name, elapsedMs: NaN, cpuMs: NaN, peakMb: NaN, detail: `failed: ${reason}` };
  }
  return JSON.parse(child.stdout);
}

if (process.argv[2] === '--phase') {
  await phase(process.argv[3]);
} else {
  if (!existsSync(new URL('analyze/index.js', DIST))) {
    console.error('bench/analyze: dist/ is missing; run `npm run build` first');
    process.exit(2);
  }
  console.log(`bench/analyze: ${CONNECTIONS} connections from ${REMOTES} remotes, node ${process.version}`);
  const results = ['generate', 'parse', 'aggregate', 'analyze'].map(runPhase);
  console.log('phase       wall (ms)    CPU (ms)   peak RSS (MB)   detail');
  for (const r of results) console.log(`${r.name.padEnd(10)} ${r.elapsedMs.toFixed(0).padStart(10)} ${r.cpuMs.toFixed(0).padStart(11)} ${r.peakMb.toFixed(0).padStart(15)}   ${r.detail}`);
  const full = results.find((r) => r.name === 'analyze');
  if (!Number.isFinite(full.elapsedMs)) process.exit(1);
  const ok = full.elapsedMs <= GOAL_MS && full.peakMb <= GOAL_MB;
  console.log(`goal: analyze <= ${GOAL_MS} ms and <= ${GOAL_MB} MB peak RSS: ${ok ? 'met' : 'NOT met'} (${full.elapsedMs.toFixed(0)} ms wall, ${full.cpuMs.toFixed(0)} ms CPU, ${full.peakMb.toFixed(0)} MB; the 1M input objects are in the RSS, not in the time)`);
  console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${availableParallelism()} cores: with a load above the core count, wall time is inflated; CPU time (user + system, includes GC threads) is the steadier figure.`);
}
