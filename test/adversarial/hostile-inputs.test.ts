// One table of hostile inputs over every command: adding a command means adding a row.
// Every case checks the same promises: a clear exit (no crash, no stack trace, no hang)
// and no byte a terminal acts on in stdout or stderr, whatever the input held.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dnsPacket from 'dns-packet';
import { COMMANDS } from '../../src/commands/index.js';
import { BIN, PROJECT_ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { startDnsTestServer, type TestDnsServer } from '../support/dns-test-server.js';
import { terminalControls } from '../helpers/terminal-controls.js';

const ESC = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\r';
const NETSTAT = `Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\ntcp 0 0 10.0.0.1:22 203.0.113.5:5555 ESTABLISHED 4242/ev${ESC}il\ntcp 0 0 10.0.0.1:22 203.0.113.6:5555 ESTABLISHED 1/x\nnot a row ${ESC}\n`;
const TRACE = `traceroute to 203.0.113.7 (203.0.113.7), 30 hops max, 60 byte packets\n 1  h${ESC}.example (198.51.100.1)  0.5 ms  0.4 ms  0.4 ms\n 2  203.0.113.7 (203.0.113.7)  1.0 ms  1.1 ms  1.0 ms\n`;
const PROTO_CONFIG = '{"__proto__": {"checks": [{"name": "x", "type": "tcp", "host": "127.0.0.1", "port": 9}]}, "constructor": {"prototype": {"checks": []}}}';

let dir: string;
let proc: string;
let hostile: TestDnsServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-table-'));
  proc = join(dir, 'proc');
  await mkdir(join(proc, 'net'), { recursive: true });
  await writeFile(join(proc, 'net', 'tcp'), `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100000A:0016 0500710B:15B3 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 20 4 1 10 -1\n`);
  await writeFile(join(dir, `cap${ESC}.txt`), NETSTAT);
  await writeFile(join(dir, `trace${ESC}.txt`), TRACE);
  await writeFile(join(dir, 'empty.txt'), '');
  await writeFile(join(dir, 'list.txt'), '203.0.113.9\n198.51.100.0/24\n');
  await writeFile(join(dir, 'binary.bin'), Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 131) % 256)));
  await writeFile(join(dir, 'unreadable.txt'), NETSTAT);
  await chmod(join(dir, 'unreadable.txt'), 0o000);
  await writeFile(join(dir, 'proto.json'), PROTO_CONFIG);
  await writeFile(join(dir, 'proto.yaml'), '__proto__:\n  checks:\n    - {name: x, type: tcp, host: 127.0.0.1, port: 9}\n');
  // A DNS server that lies in every way it can: a wrong ID, another question, a record
  // length past the end, a pointer loop, a truncated reply, a flood of junk, and silence.
  hostile = await startDnsTestServer(({ query, reply, replyFromOtherPort, raw, seq }) => {
    if (!query) return;
    const answer = dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED, questions: query.questions, answers: [{ type: 'PTR', name: query.questions?.[0]?.name ?? '', ttl: 60, data: `x${ESC}.example` }] });
    const variants: Buffer[] = [
      Buffer.concat([Buffer.from([((query.id ?? 0) + 1) >> 8 & 255, ((query.id ?? 0) + 1) & 255]), answer.subarray(2)]),
      Buffer.concat([answer.subarray(0, 12), Buffer.from([0xc0, 12]), answer.subarray(12)]),
      Buffer.concat([answer.subarray(0, answer.length - 2), Buffer.from([0xea, 0x60])]),
      Buffer.from([...answer.subarray(0, 2), 0x82, 0x00, ...answer.subarray(4, 12)]),
      raw,
    ];
    for (const variant of variants) reply(variant);
    replyFromOtherPort(answer);
    for (let index = 0; index < 50; index++) reply(Buffer.from([answer[0] ?? 0, answer[1] ?? 0, 0x81, 0x80, 0, 1, 0, 9, 0, 0, 0, 0, 0xc0, 12]));
    if (seq % 3 === 0) reply(answer); // the only honest reply, a third of the time; the rest is silence
  });
});
afterAll(async () => {
  await hostile.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Row {
  command: string;
  /** Argument lists for each kind of hostile input this command takes; null: it takes none of that kind. */
  file: ((path: string) => string[]) | null;
  /** Reads stdin ('-'). */
  stdin: (() => string[]) | null;
  /** JSON/YAML inputs the command takes. */
  config: ((path: string) => string[]) | null;
  /** Huge durations and counts (built when the test runs: paths live in its temp dir). */
  huge: (() => string[][]) | null;
  /** What prints to stdout for the /dev/full case, and a run before it that sets up what it reads. */
  full?: () => { prepare?: string[]; argv: string[] };
  /** Reads a FIFO synchronously: run that case in a child process (in this one it would block the writer's event loop). */
  fifoInChild?: true;
}

/** The compiled CLI in a child process, without blocking this one's event loop. */
function runChild(argv: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const DNS = () => ['--dns-server', hostile.server, '--dns-timeout', '200', '--dns-retries', '0', '--dns-cache-dir', join(dir, 'cache')];

const TABLE: Row[] = [
  { command: 'parse', file: (path) => ['parse', '--format', 'table', path], stdin: () => ['parse', '--format', 'table', '-'], config: (path) => ['parse', '--input-format', 'jc-json', path], huge: () => [['parse', '--summary', '--format', 'table', join(dir, 'empty.txt')]] },
  { command: 'lookup', file: null, stdin: () => ['lookup', '--format', 'table', '--extract', '-'], config: null, huge: () => [['lookup', '--no-dns', '--format', 'table', ...Array.from({ length: 2000 }, (_, i) => `203.0.${i >> 8}.${i & 255}`)]] },
  { command: 'sources', file: null, stdin: null, config: null, huge: () => [['sources', '--geo-dir', join(dir, `geo${ESC}`)]] },
  { command: 'trace', file: (path) => ['trace', '--no-dns', '--from-file', path], stdin: () => ['trace', '--no-dns', '--from-file', '-'], config: (path) => ['trace', '--no-dns', '--input-format', 'mtr-json', '--from-file', path], huge: () => [['trace', '--timeout', '99999999999999', '203.0.113.1'], ['trace', '--concurrency', '1e9', '203.0.113.1']] },
  { command: 'report', file: (path) => ['report', '--no-dns', '--format', 'md', path], stdin: () => ['report', '--no-dns', '-'], config: (path) => ['report', '--no-dns', '--input-format', 'jc-json', path], huge: () => [['report', '--no-dns', '--top', '999999999999', join(dir, `cap${ESC}.txt`)], ['report', '--no-dns', '--threshold', 'floodPerRemote=1e400', join(dir, `cap${ESC}.txt`)]] },
  { command: 'tui', file: (path) => ['tui', '--no-dns', path], stdin: () => ['tui', '--no-dns', '-'], config: (path) => ['tui', '--no-dns', '--input-format', 'jc-json', path], huge: null },
  { command: 'health', file: (path) => ['health', '--no-dns', '--capture', 'never', '--config', path], stdin: null, config: (path) => ['health', '--no-dns', '--capture', 'never', '--config', path], huge: null },
  { command: 'capture', file: null, stdin: null, config: null, huge: () => [['capture', '--proc-root', join(dir, `proc${ESC}`)]] },
  {
    command: 'store',
    file: (path) => ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--host', 'h', path],
    // A forced parser skips detection: only the reader's own bound stops /dev/zero.
    stdin: () => ['store', 'add', '--store', join(dir, 'fleet-stdin.duckdb'), '--host', 'h', '--input-format', 'netstat-linux', '-'],
    config: (path) => ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--host', 'h', '--input-format', 'jc-json', path],
    huge: () => [
      ['store', 'add', '--store', `duckdb:${join(dir, `fleet${ESC}.duckdb`)}`, join(dir, `cap${ESC}.txt`)],
      ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--host', `h${ESC}`, join(dir, `cap${ESC}.txt`)],
      ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--host', 'x'.repeat(100_000), join(dir, `cap${ESC}.txt`)],
      ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--host', '__proto__', join(dir, `cap${ESC}.txt`)],
      ['store', 'add', '--store', join(dir, 'fleet.duckdb'), '--input-format', 'netstat-linux', '--host', 'h', '/dev/zero'],
      ['store', 'query', '--store', join(dir, 'fleet.duckdb'), '--format', 'table', 'SELECT host, program, remote FROM tallies'],
      ['store', 'query', '--store', join(dir, 'fleet.duckdb'), '--format', 'table', "SELECT chr(27) || ']0;PWNED' || chr(7) || chr(155) || '31m' AS title"],
      ['store', 'query', '--store', join(dir, `missing${ESC}.duckdb`), 'SELECT 1'],
    ],
    full: () => ({ prepare: ['store', 'add', '--store', join(dir, 'full.duckdb'), '--host', 'h', join(dir, `cap${ESC}.txt`)], argv: ['store', 'query', '--store', join(dir, 'full.duckdb'), '--format', 'json', 'SELECT host FROM snapshots'] }),
  },
  {
    command: 'update',
    // Local lists only (never the default list hosts), and no RDAP bootstrap download.
    file: (path) => ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--list', `x=${path}`],
    stdin: null,
    config: (path) => ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--lists-file', path],
    huge: () => [
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--list', `__proto__=${join(dir, 'list.txt')}`],
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--list', `constructor=${join(dir, 'list.txt')}`],
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--list', `x${ESC}=${join(dir, 'list.txt')}`],
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, `cache${ESC}`), '--list', `x=${join(dir, 'list.txt')}`],
      ['update', '--no-rdap-bootstrap', '--no-blocklists', '--timeout', '99999999999999'],
      ['update', '--no-rdap-bootstrap', '--no-blocklists', '--timeout', '1e400'],
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--list', 'x=/dev/zero'],
      ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-cache'), '--lists-file', '/dev/zero'],
    ],
    full: () => ({ argv: ['update', '--no-rdap-bootstrap', '--cache-dir', join(dir, 'update-full'), '--list', `x=${join(dir, 'list.txt')}`] }),
    fifoInChild: true,
  },
  { command: 'watch', file: null, stdin: null, config: (path) => ['watch', '--iterations', '1', '--config', path], huge: () => [['watch', '--interval', '99999999999999d', '--iterations', '1', '--proc-root', join(dir, 'proc'), '--case', join(dir, 'w1')], ['watch', '--keep', '1e999', '--iterations', '1', '--proc-root', join(dir, 'proc'), '--case', join(dir, 'w2')]] },
];

/** The promises every case keeps. */
function expectClean(result: CliResult, label: string): void {
  expect([0, 1, 2, 3], `${label}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
  expect(result.stderr, label).not.toMatch(/internal error|\n\s+at [\w.<]+ \(/);
  expect(terminalControls(result.stdout + result.stderr), label).toEqual([]);
}

describe('the table covers every command', () => {
  it('has one row per registered command', () => {
    expect(TABLE.map((row) => row.command).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
  });
});

describe.each(TABLE)('$command under hostile input', (row) => {
  it.runIf(row.file !== null)('hostile file name; empty, binary and unreadable files; a FIFO', async () => {
    const file = row.file!;
    for (const name of [row.command === 'trace' ? `trace${ESC}.txt` : `cap${ESC}.txt`, 'empty.txt', 'binary.bin', 'unreadable.txt', 'missing.txt']) {
      expectClean(await runCli(file(join(dir, name)), { cwd: dir }), `${row.command} ${name}`);
    }
    const fifo = join(dir, `fifo-${row.command}`);
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat > "$0"', fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.end(row.command === 'trace' ? TRACE : NETSTAT);
    expectClean(await (row.fifoInChild ? runChild(file(fifo), dir) : runCli(file(fifo), { cwd: dir })), `${row.command} fifo`);
    writer.kill();
  });

  it.runIf(row.stdin !== null)('stdin from /dev/zero ends in bounded time and memory', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const started = Date.now();
      const result = spawnSync(process.execPath, ['--max-old-space-size=768', BIN, ...row.stdin!()], { stdio: [zero, 'pipe', 'pipe'], timeout: 90_000, cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
      expect(result.signal, 'killed by the timeout: no bound').toBeNull();
      expectClean({ code: result.status ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() }, `${row.command} < /dev/zero`);
      expect(result.status).not.toBe(0);
      expect(Date.now() - started).toBeLessThan(90_000);
    } finally {
      closeSync(zero);
    }
  });

  it.runIf(row.config !== null)('__proto__ / constructor keys in its JSON and YAML inputs', async () => {
    for (const name of ['proto.json', 'proto.yaml']) {
      const result = await runCli(row.config!(join(dir, name)), { cwd: dir });
      expectClean(result, `${row.command} ${name}`);
      expect(result.stdout, `${row.command} ${name}`).not.toBe('done!\n');
    }
  });

  it.runIf(row.huge !== null)('huge durations and counts are refused or honoured, never overflowed', async () => {
    for (const argv of row.huge!()) {
      const result = await runCli(argv, { cwd: dir, env: { NETSLEUTH_DNS_SERVER: hostile.server } });
      expectClean(result, argv.join(' '));
    }
  });

  it('stdout on /dev/full: a message and exit 3, never a crash', () => {
    const fullCase = row.full?.();
    if (fullCase?.prepare) expect(spawnSync(process.execPath, [BIN, ...fullCase.prepare], { cwd: dir, timeout: 90_000 }).status).toBe(0);
    const argv = fullCase ? fullCase.argv : row.file ? row.file(join(dir, row.command === 'trace' ? `trace${ESC}.txt` : `cap${ESC}.txt`)) : row.command === 'capture' ? ['capture', '--proc-root', proc] : row.command === 'watch' ? ['watch', '--iterations', '1', '--proc-root', proc, '--case', join(dir, 'wfull')] : [row.command];
    if (row.command === 'health') return; // a config is needed to print anything; its /dev/full case is below
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, ...argv], { stdio: ['ignore', full, 'pipe'], timeout: 90_000, cwd: dir });
      const stderr = result.stderr.toString();
      expect(result.status, `${row.command}: ${stderr}`).toBe(3);
      expect(stderr).toMatch(/cannot write the output/);
      expect(terminalControls(stderr)).toEqual([]);
    } finally {
      closeSync(full);
    }
  });
});

describe('a hostile DNS server on loopback', () => {
  it('wrong IDs, another port, pointer loops, lying lengths, truncation, floods and silence: lookup and report stay clean', async () => {
    const lookup = await runCli(['lookup', '--format', 'table', ...DNS(), '203.0.113.1', '203.0.113.2', '203.0.113.3', '198.51.100.9']);
    expectClean(lookup, 'lookup');
    expect(lookup.code).toBe(1);
    await writeFile(join(dir, 'plain.txt'), NETSTAT);
    const report = await runCli(['report', ...DNS(), 'plain.txt'], { cwd: dir });
    expectClean(report, 'report');
    const trace = await runCli(['trace', ...DNS(), '--from-file', join(dir, `trace${ESC}.txt`)]);
    expectClean(trace, 'trace');
  });
});
