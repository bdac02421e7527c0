// `netsleuth parse` end to end: in-process through runCli, and the compiled binary for the
// worker_threads summary path and exit codes.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CONNECTION_STATES } from '../../src/model/connection.js';
import { BIN, FIXTURES, runBin, runCli } from '../helpers/run-cli.js';
import { withPackageCopyWithout } from '../helpers/package-copy.js';

const LINUX = join(FIXTURES, 'real/parse-netstat/netstat-anp-linux');
const WINDOWS = join(FIXTURES, 'real/jc/windows/windows-10/netstat-aon.out');
const dir = mkdtempSync(join(tmpdir(), 'netsleuth-parse-cli-'));

describe('netsleuth parse', () => {
  it('prints one JSON array for all inputs, source.file telling them apart', async () => {
    const result = await runCli(['parse', '--format', 'json', LINUX, WINDOWS]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    const byFile = new Map<string, number>();
    for (const row of rows) {
      const source = row['source'] as { file: string; line: number };
      byFile.set(source.file, (byFile.get(source.file) ?? 0) + 1);
      for (const key of ['protocol', 'ipVersion', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'rawState', 'pid', 'program']) expect(row).toHaveProperty(key);
    }
    expect(byFile.get(LINUX)).toBe(14);
    expect(byFile.get(WINDOWS)).toBeGreaterThan(50);
  });

  it('defaults to JSON when piped and reads stdin', async () => {
    const result = await runCli(['parse'], { stdin: 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 0 0 203.0.113.10:80 198.51.100.7:51234\n' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject([{ protocol: 'tcp', remoteAddress: '198.51.100.7', remotePort: 51234, state: 'ESTABLISHED', source: { file: '-', line: 2 } }]);
  });

  it('writes formula-safe CSV that reads back as the same connections', async () => {
    const evil = join(dir, 'evil.txt');
    writeFileSync(evil, 'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/=HYPERLINK("x")\n');
    const csv = await runCli(['parse', '--format', 'csv', evil, LINUX]);
    expect(csv.code).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(csv.stdout.trim(), { header: true });
    expect(parsed.meta.fields).toEqual(['protocol', 'ipVersion', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'rawState', 'recvQ', 'sendQ', 'pid', 'program', 'file', 'line', 'scope', 'truncated']);
    expect(parsed.data[0]?.['program']).toBe(`'=HYPERLINK("x")`);
    const csvFile = join(dir, 'out.csv');
    writeFileSync(csvFile, csv.stdout);
    const again = await runCli(['parse', '--format', 'json', csvFile]);
    const original = JSON.parse((await runCli(['parse', '--format', 'json', evil, LINUX])).stdout) as { source: unknown }[];
    const roundTrip = JSON.parse(again.stdout) as { source: unknown }[];
    expect(roundTrip.map((row) => ({ ...row, source: null }))).toEqual(original.map((row) => ({ ...row, source: null })));
  });

  it('prints an aligned table', async () => {
    const result = await runCli(['parse', '--format', 'table', LINUX]);
    expect(result.stdout.split('\n')[0]).toMatch(/^PROTO\s+LOCAL\s+REMOTE\s+STATE\s+PID\/PROGRAM\s+SOURCE$/);
    expect(result.stdout).toMatch(/tcp\s+192\.168\.0\.103:44922\s+1\.2\.3\.4:143\s+ESTABLISHED\s+25820\/thunderbird-b\s+\S+:11 \(truncated: program\)/);
  });

  it('--summary in csv, json and table', async () => {
    const csv = await runCli(['parse', '--summary', '--format', 'csv', LINUX]);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(['ip', 'connections', ...CONNECTION_STATES].join(','));
    // netstat-anp-linux: 7 tcp listeners and 3 udp sockets have remote 0.0.0.0.
    expect(lines[1]).toBe('0.0.0.0,10,0,0,0,0,0,0,0,0,0,7,0,3');
    const json = JSON.parse((await runCli(['parse', '--summary', '--format', 'json', LINUX])).stdout) as { ip: string; connections: number }[];
    // Equal counts: IPv4 before names/wildcards ('*').
    expect(json.map((row) => [row.ip, row.connections])).toEqual([['0.0.0.0', 10], ['::', 2], ['1.2.3.4', 1], ['*', 1]]);
    const table = await runCli(['parse', '--summary', '--format', 'table', LINUX]);
    expect(table.stdout.split('\n')[0]).toMatch(/^REMOTE\s+CONNECTIONS\s+ESTABLISHED\s+LISTEN\s+UNKNOWN$/);
  });

  it('reports skipped lines on stderr as file:line and exits 0; --strict exits 2', async () => {
    const garbled = join(dir, 'garbled.txt');
    writeFileSync(garbled, ['Proto Recv-Q Send-Q Local Address Foreign Address State', 'tcp 0 0 203.0.113.10:80 198.51.100.7:51234 ESTABLISHED', ...Array.from({ length: 30 }, () => 'tcp 0 0 nonsense')].join('\n'));
    const lenient = await runCli(['parse', garbled]);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout)).toHaveLength(1);
    expect(lenient.stderr).toContain(`${garbled}:3: skipped: too few columns`);
    expect(lenient.stderr).toContain('10 more skipped line(s) not shown');
    const strict = await runCli(['parse', '--strict', garbled]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/--strict: 30 line\(s\)/);
    expect(strict.stderr).not.toMatch(/at .*\.ts:\d+/);
    const summary = await runCli(['parse', '--summary', '--strict', garbled]);
    expect(summary.code).toBe(2);
  });

  it('refuses non-captures and bad flags with exit 2 and no stack trace', async () => {
    const route = await runCli(['parse', join(FIXTURES, 'real/jc/centos-7.7/netstat-r.out')]);
    expect(route.code).toBe(2);
    expect(route.stderr).toMatch(/netstat-r.out: this is a routing table \(netstat -r\)/);
    const bad = await runCli(['parse', '--format', 'xml', LINUX]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of json, csv, table/);
    const unknown = await runCli(['parse', '--input-format', 'nope', LINUX]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown --input-format 'nope'/);
    const missing = await runCli(['parse', 'no-such-file.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-file.txt: cannot read \(no such file\)/);
  });

  it('refuses binary data (a NUL byte) alike from a file, from stdin and in report, wherever the byte is', async () => {
    const header = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name';
    const good = 'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/nginx';
    // In the program column (which the fast scanner does not read), in an address, in a header.
    for (const [at, bad] of [['program', good.replace('nginx', 'ng\0inx')], ['address', good.replace('198.51.100.7', '198.51\0.100.7')], ['header', header.replace('State', 'St\0ate')]] as const) {
      const text = [header, good, good, bad, good].join('\n') + '\n';
      const offset = Buffer.from(text).indexOf(0);
      const file = join(dir, `nul-${at}.txt`);
      writeFileSync(file, text);
      for (const [how, argv, stdin] of [
        ['file', ['parse', '--summary', '--format', 'csv', file], undefined],
        ['stdin', ['parse', '--summary', '--format', 'csv'], text],
        ['report', ['report', '--format', 'json', '--no-dns', '--no-trace', file], undefined],
        ['report stdin', ['report', '--format', 'json', '--no-dns', '--no-trace', '-'], text],
      ] as const) {
        const result = await runCli([...argv], stdin === undefined ? {} : { stdin });
        const name = stdin === undefined ? file : '-';
        expect([result.code, result.stdout, result.stderr.trim()], `${at}, ${how}`).toEqual([2, '', `netsleuth: ${name}: binary data (a NUL byte at byte ${offset}): not a text capture`]);
      }
    }
  });

  it('--help names the command and every input format', async () => {
    const help = await runCli(['parse', '--help']);
    expect(help.stdout).toContain('netsleuth parse');
    expect(help.stdout).toContain('netstat-solaris');
  });
});

describe.skipIf(!existsSync(BIN))('compiled binary: parallel --summary', () => {
  it.each([
    ['netstat', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State', (i: number) => `tcp        0      0 203.0.113.10:80         198.51.${i % 7}.${i % 251}:${1024 + i}      ${i % 3 === 0 ? 'SYN_RECV' : 'ESTABLISHED'}`],
    ['ss', 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port', (i: number) => `${i % 3 === 0 ? 'SYN-RECV' : 'ESTAB'}  0      0      203.0.113.10:80     198.51.${i % 7}.${i % 251}:${1024 + i}`],
  ])('%s: the same summary with worker threads as in one thread', (name, header, row) => {
    const big = join(dir, `big-${name}.txt`);
    const lines = [header];
    for (let i = 0; i < 20_000; i++) lines.push(row(i));
    lines.splice(12_345, 0, 'tcp 0 0 garbled');
    writeFileSync(big, lines.join('\n') + '\n');
    const single = runBin(['parse', '--summary', '--format', 'csv', big], { env: { NETSLEUTH_SUMMARY_PARALLEL_MIN_BYTES: String(1e12) } });
    const parallel = runBin(['parse', '--summary', '--format', 'csv', big], { env: { NETSLEUTH_SUMMARY_PARALLEL_MIN_BYTES: '1024' } });
    expect(single.code).toBe(0);
    expect(parallel.code).toBe(0);
    expect(parallel.stdout).toBe(single.stdout);
    expect(parallel.stderr).toBe(single.stderr);
    expect(single.stderr).toContain(`${big}:12346: skipped`);
    expect(single.stdout.split('\n').length).toBeGreaterThan(1000);
  });
});

describe.skipIf(!existsSync(BIN))('compiled binary: binary data in a worker\'s range', () => {
  it('is refused as in one thread, naming the first NUL byte', () => {
    const big = join(dir, 'big-nul.txt');
    const lines = ['Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
    for (let i = 0; i < 20_000; i++) lines.push(`tcp        0      0 203.0.113.10:80         198.51.${i % 7}.${i % 251}:${1024 + i}      ESTABLISHED`);
    lines[15_000] = `${lines[15_000]} 1/x\0y`;
    lines[18_000] = `${lines[18_000]} 1/x\0y`;
    const text = lines.join('\n') + '\n';
    writeFileSync(big, text);
    const expected = `${big}: binary data (a NUL byte at byte ${Buffer.from(text).indexOf(0)}): not a text capture`;
    for (const parallelMinBytes of [String(1e12), '1024']) {
      const result = runBin(['parse', '--summary', '--format', 'csv', big], { env: { NETSLEUTH_SUMMARY_PARALLEL_MIN_BYTES: parallelMinBytes } });
      expect([result.code, result.stdout, result.stderr.trim()], parallelMinBytes).toEqual([2, '', `netsleuth: ${expected}`]);
    }
  });
});

describe.skipIf(!existsSync(BIN))('compiled binary without its WebAssembly scanner', () => {
  it('summarises with the parser alone, the same rows, and says why on stderr', () => {
    // A copy of the built package whose dist/wasm is gone (a checkout where only tsc ran).
    const argv = ['parse', '--summary', '--format', 'csv', LINUX];
    const without = withPackageCopyWithout('dist/wasm', (copy) => spawnSync(process.execPath, [join(copy, 'dist/cli.js'), ...argv], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }));
    const normal = runBin(argv);
    expect(without.status).toBe(0);
    expect(without.stdout).toBe(normal.stdout);
    expect(without.stderr).toContain('netsleuth: warning: the WebAssembly row scanner is unavailable');
    expect(without.stderr).toContain("run 'npm run build'");
    expect(normal.stderr).not.toContain('WebAssembly');
  });
});

describe('netsleuth parse on conntrack captures', () => {
  const EVENTS = join(FIXTURES, 'real/nat-conntracker/conntrack-events-sample.xml.bz2');

  it('--summary reads the bzip2 event stream and counts the same remotes as the full parse', async () => {
    const summary = await runCli(['parse', '--summary', '--format', 'json', EVENTS]);
    const full = await runCli(['parse', '--format', 'json', EVENTS]);
    expect(summary.code).toBe(0);
    expect(full.code).toBe(0);
    const rows = JSON.parse(summary.stdout) as { ip: string; connections: number }[];
    const counts = new Map<string, number>();
    for (const connection of JSON.parse(full.stdout) as { remoteAddress: string }[]) counts.set(connection.remoteAddress, (counts.get(connection.remoteAddress) ?? 0) + 1);
    expect(new Map(rows.map((row) => [row.ip, row.connections]))).toEqual(counts);
    expect(counts.has('10.10.0.7')).toBe(false);
  });

  it('a truncated bzip2 file is a clear error naming it', async () => {
    const { readFileSync } = await import('node:fs');
    const cut = join(dir, 'cut.xml.bz2');
    writeFileSync(cut, readFileSync(EVENTS).subarray(0, 3000));
    for (const args of [['parse', cut], ['parse', '--summary', cut]]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('cut.xml.bz2: corrupt or truncated bzip2 data');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
