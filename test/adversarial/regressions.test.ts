// Each attack that once broke a command, as a test that fails if it comes back.
// (The table over every command is hostile-inputs.test.ts.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as dnsPacket from 'dns-packet';
import { connectionsCsvChunks } from '../../src/capture/output/connection-output.js';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { runHealth } from '../../src/health/run-health.js';
import { parseHealthConfig } from '../../src/health/config.js';
import { BIN, FIXTURES, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { terminalControls } from '../helpers/terminal-controls.js';
import { startTcpSink, type Closable } from '../health/helpers/loopback-servers.js';
import { ptrRecord, responseTo, startDnsTestServer, type TestDnsServer } from '../support/dns-test-server.js';


const NETSTAT_HEADER = 'Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\n';
const OSC_TITLE = '\u001b]0;PWNED\u0007\u001b[2J';

let dir: string;
const cleanups: Closable[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-hostile-'));
});
afterEach(async () => {
  for (const item of cleanups.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

describe('attacker text never reaches the terminal raw', () => {
  it('parse: a skipped line carrying an OSC title and a screen clear is printed escaped (also --summary, ss, csv, jc-json)', async () => {
    const inputs: [string, string][] = [
      ['netstat.txt', `${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 1/sshd\ngarbage ${OSC_TITLE} here\n`],
      ['ss.txt', `State Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 0 0 10.0.0.1:22 203.0.113.5:5555\nESTAB ${OSC_TITLE} x\n`],
      ['conns.csv', `protocol,ipVersion,localAddress,localPort,remoteAddress,remotePort,state\ntcp,4,10.0.0.1,22,203.0.113.5,5555,ESTABLISHED\ntcp,4,${OSC_TITLE},22,x,y,z\n`],
      ['jc.json', `[{"proto":"tcp","local_address":"10.0.0.1","local_port":"22","foreign_address":"${OSC_TITLE.replace(/\u001b/g, '\\u001b').replace(/\u0007/g, '\\u0007')}","foreign_port":"1","state":"ESTABLISHED"}]`],
    ];
    for (const [name, text] of inputs) {
      await writeFile(join(dir, name), text);
      for (const extra of [[], ['--summary']]) {
        const result = await runCli(['parse', '--format', 'table', ...extra, name], { cwd: dir });
        expect(terminalControls(result.stdout + result.stderr), `${name} ${extra.join(' ')}`).toEqual([]);
      }
    }
  });

  it("trace: the invalid-JSON error quotes the file's escapes as text", async () => {
    await writeFile(join(dir, 'bad.json'), `{"report": ${OSC_TITLE}`);
    const result = await runCli(['trace', '--no-dns', '--input-format', 'mtr-json', '--from-file', 'bad.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.json/);
    expect(terminalControls(result.stderr)).toEqual([]);
  });

  it('file names with escapes are escaped in tables, errors and "wrote …"', async () => {
    const name = `cap${OSC_TITLE}.txt`;
    await writeFile(join(dir, name), `${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 1/sshd\n`);
    const table = await runCli(['parse', '--format', 'table', name], { cwd: dir });
    expect(table.stdout).toContain('cap\\u001b]0;PWNED\\u0007');
    const missing = await runCli(['parse', `missing${OSC_TITLE}.txt`], { cwd: dir });
    const wrote = await runCli(['report', '--no-dns', '--now', '2026-01-01T00:00:00Z', '-o', `out${OSC_TITLE}.md`, name], { cwd: dir });
    expect(wrote.stderr).toMatch(/wrote out\\u001b/);
    for (const result of [table, missing, wrote]) expect(terminalControls(result.stdout + result.stderr)).toEqual([]);
  });

  it('health: a check name with control characters is refused by the config (names reach mail and webhooks)', async () => {
    const file = join(dir, 'health.json');
    await writeFile(file, JSON.stringify({ checks: [{ name: `web${OSC_TITLE}`, type: 'tcp', host: '127.0.0.1', port: 9 }] }));
    const result = await runCli(['health', '--no-dns', '--config', file, '--capture', 'never'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/checks\[0\]\.name: must not contain control characters/);
    expect(terminalControls(result.stdout + result.stderr)).toEqual([]);
  });
});

describe('resources and crashes', () => {
  it('lookup - < /dev/zero stops at a bound with a clear error, in seconds', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const started = Date.now();
      const result = spawnSync(process.execPath, ['--max-old-space-size=512', BIN, 'lookup', '--no-dns', '-'], { stdio: [zero, 'pipe', 'pipe'], timeout: 60_000, cwd: PROJECT_ROOT });
      expect(result.status).toBe(2);
      expect(result.stderr.toString()).toMatch(/stdin: more than 64 MiB of input/);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      closeSync(zero);
    }
  });

  it('every command on a full stdout (> /dev/full): a clear message and exit 3, no stack trace', async () => {
    const capture = join(FIXTURES, 'real/jc/centos-7.7/netstat.out');
    for (const argv of [['parse', capture], ['report', '--no-dns', capture], ['--version'], ['sources'], ['lookup', '--no-dns', '203.0.113.9']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const result = spawnSync(process.execPath, [BIN, ...argv], { stdio: ['ignore', full, 'pipe'], timeout: 60_000, cwd: PROJECT_ROOT });
        const stderr = result.stderr.toString();
        expect(result.status, argv.join(' ')).toBe(3);
        expect(stderr).toMatch(/cannot write the output: no space left on device/);
        expect(stderr).not.toMatch(/\n\s+at /);
      } finally {
        closeSync(full);
      }
    }
  });

  it('watch --interval 25d waits: no second capture after the first (2^31 ms overflowed the timer)', async () => {
    const proc = join(dir, 'proc');
    await mkdir(join(proc, 'net'), { recursive: true });
    await writeFile(join(proc, 'net', 'tcp'), '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n');
    const child = spawn(process.execPath, [BIN, 'watch', '--interval', '25d', '--iterations', '2', '--proc-root', proc, '--case', join(dir, 'case')], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const first = Date.now();
    while (Date.now() - first < 20_000 && (await readdir(join(dir, 'case')).catch(() => [])).filter((name) => !name.startsWith('.')).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const captures = (await readdir(join(dir, 'case'))).filter((name) => !name.startsWith('.'));
    const stillRunning = child.exitCode === null;
    child.kill('SIGTERM');
    await exited;
    expect(captures).toHaveLength(1);
    expect(stillRunning).toBe(true);
  });
});

describe('input silently lost or misread', () => {
  it('parse --summary reads a FIFO (process substitution) as plain parse does', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const text = `${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 1/sshd\n`;
    const writer = spawn('sh', ['-c', `cat > "$0"`, fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.end(text);
    const result = await runCli(['parse', '--summary', '--format', 'json', fifo], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject([{ ip: '203.0.113.5', connections: 1 }]);
  });

  it('a forced --input-format that matches no line is a warning, and fatal with --strict', async () => {
    const capture = join(FIXTURES, 'real/jc/centos-7.7/netstat.out');
    const lax = await runCli(['parse', '--input-format', 'netstat-solaris', capture]);
    expect(lax.stderr).toMatch(/no netstat-solaris rows .* does not match this input \(it looks like netstat-linux\)/);
    const strict = await runCli(['parse', '--strict', '--input-format', 'netstat-solaris', capture]);
    expect(strict.code).toBe(2);
  });

  it('parse --summary: a forced --input-format that matches no line is a warning, and fatal with --strict (file and stdin)', async () => {
    const capture = join(FIXTURES, 'real/jc/centos-7.7/netstat.out');
    const text = await readFile(capture, 'utf8');
    for (const [argv, stdin] of [[[capture], undefined], [['-'], text]] as const) {
      const lax = await runCli(['parse', '--summary', '--format', 'json', '--input-format', 'netstat-solaris', ...argv], stdin === undefined ? {} : { stdin });
      expect(lax.code).toBe(0);
      expect(JSON.parse(lax.stdout)).toEqual([]);
      expect(lax.stderr).toMatch(/no netstat-solaris rows in \d+ line\(s\): --input-format netstat-solaris does not match this input \(it looks like netstat-linux\)/);
      const strict = await runCli(['parse', '--summary', '--strict', '--input-format', 'netstat-solaris', ...argv], stdin === undefined ? {} : { stdin });
      expect(strict.code).toBe(2);
      expect(strict.stderr).toMatch(/does not match this input/);
    }
    // The right forced format stays quiet.
    const right = await runCli(['parse', '--summary', '--strict', '--format', 'json', '--input-format', 'netstat-linux', capture]);
    expect(right.stderr).toBe('');
    expect(right.code).toBe(0);
  });

  it('a carriage return inside a netstat program name keeps the PID and the program', () => {
    const capture = parseCaptureText(`${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 4242/ev\ril\n`, { file: 'cr.txt' });
    expect(capture.connections).toHaveLength(1);
    expect(capture.connections[0]).toMatchObject({ pid: 4242, program: 'evil' });
  });

  it('report --traces with an empty or invalid file is an error naming it, not "0 traces attached"', async () => {
    const capture = join(FIXTURES, 'real/jc/centos-7.7/netstat.out');
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'junk.txt'), 'not a trace at all\n');
    for (const file of ['empty.txt', 'junk.txt']) {
      const result = await runCli(['report', '--no-dns', '--traces', file, capture], { cwd: dir });
      expect(result.code, file).toBe(2);
      expect(result.stderr).toContain(file);
    }
  });

  it("the CSV round trip keeps a program named '=x (and =x, ''=x)", async () => {
    const base = parseCaptureText(`${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 1/sshd\n`, { file: 'x' }).connections[0]!;
    const programs = ["'=x", '=x', "''=x", "'plain", '@sum'];
    const csv = [...connectionsCsvChunks(programs.map((program) => ({ ...base, program })))].map((chunk) => Buffer.from(chunk).toString()).join('');
    const back = parseCaptureText(csv, { file: 'back.csv' });
    expect(back.connections.map((connection) => connection.program)).toEqual(programs);
  });

  it('--dns-cache-only with a corrupt cache is an error, as the online run refuses the same file', async () => {
    await writeFile(join(dir, 'ptr-cache.json'), '{ this is not json');
    const result = await runCli(['lookup', '--format', 'json', '--dns-cache-only', '--dns-cache-dir', dir, '203.0.113.9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ptr-cache\.json is not a netsleuth reverse-DNS cache/);
  });

  it('lookup and report exit 1 when reverse DNS partly failed (README: 1 = partial result)', async () => {
    const server = await startDnsTestServer(({ query, reply }) => {
      // Answers one address, stays silent for the other.
      if (query?.questions?.[0]?.name === '1.113.0.203.in-addr.arpa') reply(responseTo(query, { answers: [ptrRecord('1.113.0.203.in-addr.arpa', 'ok.example.test')] }));
    });
    cleanups.push({ close: () => server.stop() });
    const dns = ['--dns-server', server.server, '--dns-timeout', '300', '--dns-retries', '0', '--dns-cache-dir', dir];
    const lookup = await runCli(['lookup', '--format', 'json', ...dns, '203.0.113.1', '203.0.113.2']);
    expect(lookup.code).toBe(1);
    expect(lookup.stderr).toMatch(/reverse DNS failed for 1 of 2 addresses \(1 timeout\)/);
    await writeFile(join(dir, 'cap.txt'), `${NETSTAT_HEADER}tcp 0 0 10.0.0.1:22 203.0.113.1:5555 ESTABLISHED 1/sshd\ntcp 0 0 10.0.0.1:22 203.0.113.2:5555 ESTABLISHED 1/sshd\n`);
    const report = await runCli(['report', ...dns, '--format', 'json', 'cap.txt'], { cwd: dir });
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/reverse DNS failed for 1 of 2 remotes/);
  });
});

describe('files left behind', () => {
  it('report -o on a full disk: an error and no hidden temp file', async () => {
    const small = join(dir, 'small');
    await mkdir(small);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', small]).status === 0;
    if (!mounted) return; // needs root (CI runs as root)
    try {
      // Fill it: the report's temp file then fails part way.
      spawnSync('dd', ['if=/dev/zero', `of=${join(small, 'fill')}`, 'bs=1k', 'count=64']);
      const capture = join(FIXTURES, 'real/jc/ubuntu-18.04/netstat-sudo-aeep.out');
      const result = await runCli(['report', '--no-dns', '--no-map', '-o', join(small, 'report.md'), capture]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/report\.md: cannot write \(ENOSPC\)/);
      expect(await readdir(small)).toEqual(['fill']);
    } finally {
      spawnSync('umount', [small]);
    }
  });

  it('a failed -o (dangling symlink, directory) writes no map beside it', async () => {
    const capture = join(FIXTURES, 'real/jc/centos-7.7/netstat.out');
    await symlink(join(dir, 'nowhere', 'x.md'), join(dir, 'dangling.md'));
    await mkdir(join(dir, 'adir.md'));
    for (const [target, force] of [['dangling.md', []], ['adir.md', ['--force']]] as const) {
      const result = await runCli(['report', '--no-dns', ...force, '-o', target, capture], { cwd: dir });
      expect(result.code, target).toBe(2);
      expect(existsSync(join(dir, target.replace('.md', '.svg'))), target).toBe(false);
    }
  });
});

describe('health', () => {
  async function healthWith(config: unknown, name = 'health.json'): Promise<{ code: number; stdout: string; stderr: string }> {
    const file = join(dir, name);
    await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
    return runCli(['health', '--no-dns', '--config', file, '--capture', 'never'], { cwd: dir });
  }

  it('the dns check uses the project resolver: an answer from another port or for another question, or truncated, is not done!', async () => {
    const cases: [string, (query: dnsPacket.DecodedPacket, context: Parameters<Parameters<typeof startDnsTestServer>[0]>[0]) => void][] = [
      ['another port', (query, context) => context.replyFromOtherPort(responseTo(query, { answers: [{ type: 'A', name: 'www.example.test', ttl: 60, data: '192.0.2.66' }] }))],
      ['another question', (query, context) => context.reply(dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [{ type: 'A', name: 'other.example.test' }], answers: [{ type: 'A', name: 'other.example.test', ttl: 60, data: '192.0.2.66' }] }))],
      ['truncated', (query, context) => context.reply(dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.TRUNCATED_RESPONSE | dnsPacket.RECURSION_DESIRED, questions: query.questions, answers: [{ type: 'A', name: 'www.example.test', ttl: 60, data: '192.0.2.66' }] }))],
    ];
    for (const [label, respond] of cases) {
      const server: TestDnsServer = await startDnsTestServer((context) => context.query && respond(context.query, context));
      cleanups.push({ close: () => server.stop() });
      const result = await healthWith({ checks: [{ name: 'dns', type: 'dns', query: 'www.example.test', server: server.server, timeout: '500ms' }] });
      expect(result.stdout, label).not.toBe('done!\n');
      expect(result.code, label).toBe(2);
    }
  });

  it('__proto__ and constructor keys are refused, not read through the prototype', async () => {
    const sink = await startTcpSink();
    cleanups.push(sink);
    const hidden = JSON.stringify({ checks: [{ name: 'tcp', type: 'tcp', host: '127.0.0.1', port: sink.port }] });
    for (const config of [`{"__proto__": ${hidden}}`, `{"checks": [{"name": "t", "type": "tcp", "host": "127.0.0.1", "port": ${sink.port}, "constructor": 1}]}`]) {
      const result = await healthWith(config);
      expect(result.stdout).not.toBe('done!\n');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/health\.json:1: (__proto__|constructor): not a config field/);
    }
    const yaml = await healthWith(`__proto__:\n  checks:\n    - {name: t, type: tcp, host: 127.0.0.1, port: ${sink.port}}\n`, 'health.yaml');
    expect(yaml.code).toBe(2);
  });

  it('two runs capturing into one --case in the same second keep both captures, and a lost capture shows in stdout and the exit code', async () => {
    const proc = join(dir, 'proc');
    await mkdir(join(proc, 'net'), { recursive: true });
    await writeFile(join(proc, 'net', 'tcp'), '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n');
    const sink = await startTcpSink();
    cleanups.push(sink);
    const config = parseHealthConfig(JSON.stringify({ checks: [{ name: 'tcp', type: 'tcp', host: '127.0.0.1', port: sink.port }] }), 'health.json', {});
    const fixed = new Date('2026-12-07T12:00:00.000Z');
    const run = () => runHealth({ config, capture: 'always', caseDir: join(dir, 'case'), format: 'text', color: false, rdns: null, trace: false, procRoot: proc, now: () => fixed, cwd: dir, env: {}, stderr: process.stderr });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.flatMap((result) => result.warnings)).toEqual([]);
    expect(results.map((result) => result.exitCode)).toEqual([0, 0, 0]);
    expect(new Set(results.map((result) => result.captureDir)).size).toBe(3);
    expect((await readdir(join(dir, 'case'))).filter((name) => !name.startsWith('.')).sort()).toEqual(['20261207T120000Z', '20261207T120000Z-2', '20261207T120000Z-3']);
    // A case folder that cannot be written: the capture is lost, so neither done! nor exit 0.
    await writeFile(join(dir, 'blocked'), 'a file where the case folder should be');
    const lost = await runHealth({ config, capture: 'always', caseDir: join(dir, 'blocked'), format: 'text', color: false, rdns: null, trace: false, procRoot: proc, now: () => fixed, cwd: dir, env: {}, stderr: process.stderr });
    expect(lost.output).toMatch(/^WARNING netsleuth \[health\]: capture failed/);
    expect(lost.exitCode).toBe(1);
    expect(await readFile(join(dir, 'blocked'), 'utf8')).toBe('a file where the case folder should be');
  });
});
