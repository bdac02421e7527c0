#!/usr/bin/env node
// Reverse-DNS throughput: 10,000 PTR queries against a local knot (started here
// the way test/support/knot.ts does), our resolver beside the references
// measured in the same run: `dig -f`, and `adnshost` when knot can also listen
// on 127.0.0.2 port 53 (adns has no way to use another port; needs root).
// Goal: >= 20,000 answered PTRs/s with no lost answer, faster than both.
// The product too: `netsleuth lookup --format json --dns-server knot -` on the same list as a
// user runs it (whole process, fresh DNS cache each run, best of 3) beside `dig -f` (best of 3)
// in the same run; answered/s after start-up subtracts the same command with --no-dns.
// report with rDNS on a capture of the same remotes: its increment over report --no-dns beside
// lookup --fcrdns's over lookup --no-dns (the report confirms every name forward too).
// CPU time (user + system) of the whole processes is printed beside the wall time: on a loaded
// machine it is the steadier figure. Best of 3 by default; `--runs N` for more.
// Run after `npm run build`:  node bench/rdns.mjs [count] [--runs N]
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bestOf, CLI, shown, timeProcess } from './lib/cli-timing.mjs';

const DIST = fileURLToPath(new URL('../dist/enrich/rdns/', import.meta.url));
const KNOTD = '/usr/sbin/knotd';
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Math.max(1, Number(process.argv[runsAt + 1]) || 3) : 3;
const COUNT = Number(process.argv.slice(2).find((arg, i, args) => /^\d+$/.test(arg) && args[i - 1] !== '--runs') ?? 10_000);
const ADNS_HOST = '127.0.0.2';

if (!existsSync(join(DIST, 'index.js'))) {
  console.error('bench/rdns: dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(KNOTD)) {
  console.log('SKIP: knotd not installed (apt-get install knot) — bench/rdns not run');
  process.exit(0);
}
const { createReverseDnsBatch } = await import(join(DIST, 'index.js'));
const { DnsClient } = await import(join(DIST, 'dns-client.js'));
const { parseServerAddress } = await import(join(DIST, 'server-address.js'));
const { reverseNameFor } = await import(join(DIST, 'reverse-name.js'));
const { parseIpAddress } = await import(join(DIST, '../../net/ip.js'));

const ips = Array.from({ length: COUNT }, (_, i) => `10.20.${(i >> 8) & 255}.${i & 255}`);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canBind(host, port) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function probe(port) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => done(false), 200);
    const done = (ok) => (clearTimeout(timer), socket.close(), resolve(ok));
    socket.on('message', (m) => done((m[3] & 15) === 0));
    // SOA in-addr.arpa., id 0x4242, no flags: a hand-made 30-byte query.
    socket.send(Buffer.from('424200000001000000000000' + '07696e2d61646472046172706100' + '00060001', 'hex'), port, '127.0.0.1');
  });
}

async function startKnot() {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-bench-knot-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const withAdns = root && (await canBind(ADNS_HOST, 53));
  const zone = ['$ORIGIN in-addr.arpa.', '$TTL 3600', '@ SOA ns.test. hostmaster.test. 1 3600 900 604800 300', '@ NS ns.test.'];
  for (const ip of ips) zone.push(`${ip.split('.').reverse().join('.')} PTR host-${ip.replaceAll('.', '-')}.bench.test.`);
  writeFileSync(join(dir, 'reverse.zone'), zone.join('\n') + '\n');
  const listen = withAdns ? `[127.0.0.1@${port}, ${ADNS_HOST}@53]` : `127.0.0.1@${port}`;
  writeFileSync(
    join(dir, 'knot.conf'),
    `server:\n    listen: ${listen}\n    rundir: ${dir}\n${root ? '    user: root:root\n' : ''}database:\n    storage: ${dir}\nlog:\n  - target: stderr\n    any: error\n` +
      `template:\n  - id: default\n    storage: ${dir}\n    semantic-checks: off\nzone:\n  - domain: in-addr.arpa.\n    file: reverse.zone\n`,
  );
  const child = spawn(KNOTD, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => stop().then(() => process.exit(130)));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe(port)) return { port, withAdns, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error('knotd did not start');
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function ourBatch(server, concurrency) {
  const batch = createReverseDnsBatch({ env: {}, resolvConfPath: '/nonexistent' });
  const started = performance.now();
  const results = await batch(ips, { servers: [server], concurrency, timeoutMs: 2000, retries: 2, cacheDir: null, forwardConfirm: false });
  const seconds = (performance.now() - started) / 1000;
  const answered = [...results.values()].filter((r) => r.status === 'ok' && r.names.length === 1).length;
  return { seconds, answered };
}

/** Per-query latency through the same client, `inFlight` at a time, no retries: a lost answer shows as lost. */
async function ourLatency(server, inFlight) {
  const client = new DnsClient({ servers: [parseServerAddress(server)], timeoutMs: 2000, retries: 0 });
  const latencies = [];
  let next = 0;
  let answered = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < ips.length) {
        const name = reverseNameFor(parseIpAddress(ips[next++]));
        const t0 = performance.now();
        // queryFast: the batch's path (plain answers read from the wire, the rest decoded in full).
        const outcome = await new Promise((resolve) => client.queryFast(name, 'PTR', resolve));
        latencies.push(performance.now() - t0);
        if (outcome.kind === 'fast' ? outcome.answer.kind === 'records' && outcome.answer.data.length === 1 : outcome.kind === 'response' && outcome.packet.answers?.length === 1) answered++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  latencies.sort((a, b) => a - b);
  return { seconds, answered, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function runTool(command, args, input) {
  const started = performance.now();
  const result = spawnSync(command, args, { input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return { seconds: (performance.now() - started) / 1000, stdout: result.stdout ?? '', status: result.status, error: result.error };
}

const knot = await startKnot();
const server = `127.0.0.1:${knot.port}`;
const rows = [];
try {
  await ourBatch(server, 100); // warm-up: JIT and knot's caches
  for (const concurrency of [100, 200]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await ourBatch(server, concurrency));
    runs.sort((a, b) => a.seconds - b.seconds);
    const median = runs[1];
    rows.push({ tool: `netsleuth reverseDnsBatch, ${concurrency} in flight (median of 3)`, ...median, lost: COUNT - Math.min(...runs.map((r) => r.answered)), p50: null, p99: null });
  }
  const latencyRuns = [];
  for (let i = 0; i < 3; i++) latencyRuns.push(await ourLatency(server, 100));
  latencyRuns.sort((a, b) => a.seconds - b.seconds);
  rows.push({ tool: 'netsleuth DnsClient, 100 in flight, no retries (median of 3)', ...latencyRuns[1], lost: COUNT - Math.min(...latencyRuns.map((r) => r.answered)) });

  // The CLI as a user runs it, and dig -f, alternating, best of RUNS each.
  const listText = ips.join('\n') + '\n';
  const cliArgs = ['lookup', '--format', 'json', '--dns-server', server, '-'];
  const freshDnsCache = () => mkdtempSync(join(tmpdir(), 'netsleuth-bench-rdns-cache-'));
  const runCli = (dir) => {
    const run = timeProcess(process.execPath, [CLI, ...cliArgs, '--dns-cache-dir', dir], { input: listText });
    rmSync(dir, { recursive: true, force: true });
    return { ...run, answered: (run.stdout.match(/"status": "ok"/g) ?? []).length };
  };
  const startup = bestOf(RUNS, () => timeProcess(process.execPath, [CLI, 'lookup', '--format', 'json', '--no-dns', '-'], { input: listText }));
  const digMissing = spawnSync('dig', ['-v']).error;
  const digDir = mkdtempSync(join(tmpdir(), 'netsleuth-bench-dig-'));
  writeFileSync(join(digDir, 'queries'), ips.map((ip) => `-x ${ip}`).join('\n') + '\n');
  const runDig = () => {
    const run = timeProcess('dig', ['-p', String(knot.port), '@127.0.0.1', '+tries=3', '+time=2', '+noall', '+answer', '-f', join(digDir, 'queries')]);
    return { ...run, answered: run.stdout.split('\n').filter((line) => /\sPTR\s/.test(line)).length };
  };
  let cli = null;
  let dig = null;
  let cliLost = 0;
  let digLost = 0;
  for (let i = 0; i < RUNS; i++) {
    const ours = runCli(freshDnsCache());
    cliLost = Math.max(cliLost, COUNT - ours.answered);
    if (!cli || ours.ms < cli.ms) cli = ours;
    if (digMissing) continue;
    const theirs = runDig();
    digLost = Math.max(digLost, COUNT - theirs.answered);
    if (!dig || theirs.ms < dig.ms) dig = theirs;
  }
  rmSync(digDir, { recursive: true, force: true });
  const cpuSeconds = (run) => (run.cpuMs === null ? null : run.cpuMs / 1000);
  rows.push({ tool: `CLI: ${shown(cliArgs.map((arg) => (arg === server ? 'KNOT' : arg)))} (best of ${RUNS})`, seconds: cli.ms / 1000, cpu: cpuSeconds(cli), answered: cli.answered, lost: cliLost });
  rows.push({ tool: `  the same, after start-up (minus --no-dns: ${Math.round(startup.ms)} ms)`, seconds: Math.max(1, cli.ms - startup.ms) / 1000, cpu: cli.cpuMs === null || startup.cpuMs === null ? null : Math.max(10, cli.cpuMs - startup.cpuMs) / 1000, answered: cli.answered, lost: cliLost });
  if (digMissing) rows.push({ tool: 'dig -f (not installed)', seconds: NaN, answered: 0, lost: NaN });
  else rows.push({ tool: `peer: dig -f (bind9-dnsutils), sequential, whole process (best of ${RUNS})`, seconds: dig.ms / 1000, cpu: cpuSeconds(dig), answered: dig.answered, lost: digLost });

  // report with rDNS on a capture of the same 10,000 remotes, beside lookup doing the same
  // work: the report checks every name forward (its rDNS-anomaly indicator counts FCrDNS
  // mismatches), so its peer is `lookup --fcrdns`. Each row is the increment over the same
  // command with --no-dns (runs alternate, best of RUNS).
  const captureDir = mkdtempSync(join(tmpdir(), 'netsleuth-bench-rdns-report-'));
  const capturePath = join(captureDir, 'netstat-10k.txt');
  writeFileSync(
    capturePath,
    ['Active Internet connections (w/o servers)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ']
      .concat(ips.map((ip, i) => `tcp        0      0 192.0.2.10:443          ${`${ip}:${40000 + (i % 20000)}`.padEnd(24)}ESTABLISHED`))
      .join('\n') + '\n',
  );
  const variants = {
    report: { dns: ['report', '--format', 'json', '--dns-server', server, capturePath], noDns: ['report', '--format', 'json', '--no-dns', capturePath], input: undefined, answered: (stdout) => JSON.parse(stdout).remotes.filter((remote) => remote.rdns?.status === 'ok').length },
    fcrdns: { dns: ['lookup', '--format', 'json', '--fcrdns', '--dns-server', server, '-'], noDns: ['lookup', '--format', 'json', '--no-dns', '-'], input: listText, answered: (stdout) => (stdout.match(/"status": "ok"/g) ?? []).length },
  };
  const best = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [name, variant] of Object.entries(variants)) {
      const dir = freshDnsCache();
      const withDns = timeProcess(process.execPath, [CLI, ...variant.dns, '--dns-cache-dir', dir], { input: variant.input });
      rmSync(dir, { recursive: true, force: true });
      const without = timeProcess(process.execPath, [CLI, ...variant.noDns], { input: variant.input });
      const entry = (best[name] ??= { dns: null, noDns: null, answered: COUNT });
      entry.answered = Math.min(entry.answered, variant.answered(withDns.stdout));
      if (!entry.dns || withDns.ms < entry.dns.ms) entry.dns = withDns;
      if (!entry.noDns || without.ms < entry.noDns.ms) entry.noDns = without;
    }
  }
  rmSync(captureDir, { recursive: true, force: true });
  const increment = (entry) => Math.max(1, entry.dns.ms - entry.noDns.ms) / 1000;
  const cpuIncrement = (entry) => (entry.dns.cpuMs === null || entry.noDns.cpuMs === null ? null : Math.max(10, entry.dns.cpuMs - entry.noDns.cpuMs) / 1000);
  rows.push({ tool: `CLI: lookup --fcrdns, rDNS increment (${Math.round(best.fcrdns.dns.ms)} - ${Math.round(best.fcrdns.noDns.ms)} ms)`, seconds: increment(best.fcrdns), cpu: cpuIncrement(best.fcrdns), answered: best.fcrdns.answered, lost: COUNT - best.fcrdns.answered });
  rows.push({ tool: `CLI: report, rDNS increment (${Math.round(best.report.dns.ms)} - ${Math.round(best.report.noDns.ms)} ms)`, seconds: increment(best.report), cpu: cpuIncrement(best.report), answered: best.report.answered, lost: COUNT - best.report.answered });

  if (!knot.withAdns) {
    console.log(`adnshost: not run — adns only talks to port 53 and ${ADNS_HOST}:53 is not bindable here (needs root and a free port 53)`);
  } else if (spawnSync('adnshost', ['--version']).error) {
    console.log('adnshost: not installed (apt-get install adns-tools)');
  } else {
    const input = '-t ptr-\n' + ips.map((ip) => ip.split('.').reverse().join('.') + '.in-addr.arpa').join('\n') + '\n';
    const adns = runTool('adnshost', ['--config', `nameserver ${ADNS_HOST}`, '-a', '-f', '-Fi'], input);
    const answered = adns.stdout.split('\n').filter((line) => /\sPTR\s/.test(line)).length;
    rows.push({ tool: `adnshost -a -f (adns-tools, ${ADNS_HOST}:53)`, seconds: adns.seconds, answered, lost: COUNT - answered });
  }
} finally {
  await knot.stop();
}

const load = loadavg().map((value) => value.toFixed(1)).join(' ');
console.log(`\nbench/rdns: ${fmt(COUNT)} PTR queries against knot on ${server} (goal: >= 20,000 answered/s, 0 lost, faster than the references)`);
console.log(`${cpus().length} CPUs, load average ${load} (knot and the client share them: figures drop under load)\n`);
console.log('tool'.padEnd(72) + 'answered/s'.padStart(12) + 'lost'.padStart(7) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'wall s'.padStart(9) + 'cpu s'.padStart(8));
for (const row of rows) {
  const rate = row.answered / row.seconds;
  const ms = (v) => (v === null || v === undefined ? '-' : v.toFixed(2));
  console.log(row.tool.padEnd(72) + fmt(rate).padStart(12) + String(row.lost).padStart(7) + ms(row.p50).padStart(9) + ms(row.p99).padStart(9) + row.seconds.toFixed(2).padStart(9) + ms(row.cpu).padStart(8));
}
