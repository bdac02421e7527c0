import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';
import { runBin, runCli, PROJECT_ROOT } from '../helpers/run-cli.js';
import { markdownTables, markdownToHtml } from '../report/markdown-check.js';

const NOW = ['--now', '2026-11-28T12:00:00Z'];
const INCIDENT = ['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`);
const incidentText = (n: string): string => readFileSync(join(PROJECT_ROOT, `samples/incident/incident-${n}.txt`), 'utf8');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netsleuth-report-'));
}

describe('netsleuth report', () => {
  it('names South Korea and Seoul National University at the top of the incident report', async () => {
    const { code, stdout, stderr } = await runCli(['report', '--no-dns', ...NOW, ...INCIDENT, '--baseline', 'samples/incident/baseline.txt']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const verdict = stdout.split('## Indicators')[0] ?? '';
    expect(verdict).toContain('South Korea');
    expect(verdict).toContain('Seoul National University');
    const tables = markdownTables(stdout);
    expect(tables.find((table) => table.header[0] === 'Country')?.rows[0]?.slice(0, 2)).toEqual(['KR', 'South Korea']);
    expect(tables.find((table) => table.header[0] === 'Institution')?.rows[0]?.slice(0, 2)).toEqual(['Seoul National University', 'academic']);
    expect(tables.find((table) => table.header[0] === 'Remote')?.rows[0]?.[11]).toBe('Seoul National University');
    // Evidence: every input and the baseline, with its sha256.
    const evidence = tables.find((table) => table.header[0] === 'Input');
    expect(evidence?.rows.map((row) => [row[0], row[1]])).toEqual([...INCIDENT.map((path) => [path, 'capture']), ['samples/incident/baseline.txt', 'baseline']]);
    expect(evidence?.rows.every((row) => /^[0-9a-f]{64}$/.test(row[3] ?? ''))).toBe(true);
    expect(evidence?.header).toEqual(['Input', 'Role', 'Size (bytes)', 'SHA-256', 'Format', 'Host', 'Captured at', 'Lines', 'Parsed', 'Skipped']);
  });

  it('reads a piped capture when no file is given', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW], { stdin: incidentText('04') });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# netsleuth report\n/);
    expect(markdownTables(stdout).find((table) => table.header[0] === 'Input')?.rows[0]?.[0]).toBe('-');
  });

  it('takes a piped console capture\'s time from its `date` line', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW], { stdin: `Sat Nov 28 10:15:01 KST 2026\n${incidentText('04')}` });
    expect(code).toBe(0);
    const evidence = markdownTables(stdout).find((table) => table.header[0] === 'Input');
    expect([evidence?.rows[0]?.[6], evidence?.rows[0]?.[9]]).toEqual(['2026-11-28 01:15:01 UTC', '0']);
  });

  it('analyses each dated table of a console log as its own capture', async () => {
    const table = (minute: number) => [
      `Sat Nov 28 10:0${minute}:00 KST 2026`,
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      ...Array.from({ length: 100 }, (_, i) => `tcp        0      0 203.0.113.10:80         147.46.195.90:${2000 + minute * 100 + i}    ESTABLISHED`),
    ];
    const log = [0, 1, 2].flatMap(table).join('\n') + '\n';
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW, '-f', 'json'], { stdin: log });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { inputs: { path: string; capturedAt: string; snapshot: { index: number } }[]; indicators: { kind: string }[]; timeline: { captures: { connections: number }[] } | null };
    expect(report.inputs.map((input) => [input.path, input.capturedAt, input.snapshot.index])).toEqual([
      ['- #1/3', '2026-11-28T01:00:00.000Z', 1],
      ['- #2/3', '2026-11-28T01:01:00.000Z', 2],
      ['- #3/3', '2026-11-28T01:02:00.000Z', 3],
    ]);
    expect(report.timeline?.captures.map((capture) => capture.connections)).toEqual([100, 100, 100]);
    // 300 sockets in all, but at most 100 at any one moment: no 150-socket flood.
    expect(report.indicators.map((indicator) => indicator.kind)).not.toContain('connection-flood');
  });

  it('the sample console log reads as the four incident snapshots, with their times', async () => {
    const asFiles = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', ...INCIDENT]);
    const asLog = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', 'samples/incident/console-log.txt']);
    expect([asFiles.code, asLog.code]).toEqual([0, 0]);
    type Json = { inputs: { capturedAt: string | null }[]; totals: unknown; remotes: unknown; indicators: { kind: string; severity: string }[]; timeline: { captures: { connections: number; remotes: number }[] } };
    const files = JSON.parse(asFiles.stdout) as Json;
    const log = JSON.parse(asLog.stdout) as Json;
    expect(log.inputs.map((input) => input.capturedAt)).toEqual(['09:00', '09:10', '09:20', '09:30'].map((time) => `2026-11-28T${time}:01.000Z`));
    expect(log.totals).toEqual(files.totals);
    expect(log.remotes).toEqual(files.remotes);
    expect(log.indicators.map((indicator) => [indicator.kind, indicator.severity])).toEqual(files.indicators.map((indicator) => [indicator.kind, indicator.severity]));
    expect(log.timeline.captures.map((capture) => [capture.connections, capture.remotes])).toEqual(files.timeline.captures.map((capture) => [capture.connections, capture.remotes]));
  });

  it('`netstat -tan | netsleuth` (compiled, no command) writes the markdown report', () => {
    const { code, stdout, stderr } = runBin(['--no-dns', ...NOW], { input: incidentText('02') });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('## Verdict');
    expect(stdout).toContain('Seoul National University');
  });

  it('is byte-identical across runs, and SOURCE_DATE_EPOCH fixes the time', async () => {
    const args = ['report', '--no-dns', '--format', 'json', ...INCIDENT];
    const first = await runCli(args, { env: { SOURCE_DATE_EPOCH: '1764331200' } });
    const second = await runCli(args, { env: { SOURCE_DATE_EPOCH: '1764331200' } });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect((JSON.parse(first.stdout) as { generatedAt: string }).generatedAt).toBe('2025-11-28T12:00:00.000Z');
  });

  it('-o writes the report and the SVG map beside it, linked from the markdown', async () => {
    const dir = tempDir();
    const { code, stderr } = await runCli(['report', '--no-dns', ...NOW, '-o', 'out.md', ...INCIDENT.map((path) => join(PROJECT_ROOT, path))], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toContain('wrote out.md and out.svg');
    const markdown = readFileSync(join(dir, 'out.md'), 'utf8');
    expect(markdown).toContain('![Map of connection sources](out.svg)');
    const svg = readFileSync(join(dir, 'out.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/<title>[^<]*KR: [\d,]+ connections/);
    expect(readdirSync(dir).sort()).toEqual(['out.md', 'out.svg']);
  });

  it('-o into a case folder that does not exist yet creates it', async () => {
    const dir = tempDir();
    const { code, stderr } = await runCli(['report', '--no-dns', ...NOW, '-o', 'case/2025-11-28/report.md', join(PROJECT_ROOT, INCIDENT[0] ?? '')], { cwd: dir });
    expect(stderr).toContain('wrote case/2025-11-28/report.md');
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'case/2025-11-28')).sort()).toEqual(['report.md', 'report.svg']);
  });

  it('--threshold moves an indicator threshold, and the report states the one it used', async () => {
    const indicatorsOf = async (extra: string[]) => {
      const { code, stdout, stderr } = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', ...extra, 'samples/incident/incident-04.txt']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      return (JSON.parse(stdout) as { indicators: { kind: string; thresholds: Record<string, number>; evidence: { remotes: string[] } }[] }).indicators;
    };
    const flood = (list: Awaited<ReturnType<typeof indicatorsOf>>) => list.find((indicator) => indicator.kind === 'connection-flood');
    const byDefault = flood(await indicatorsOf([]));
    expect(byDefault?.evidence.remotes).toHaveLength(2);
    // The heaviest remote holds 199 sockets: at 250 nothing floods, at 100 more remotes do.
    expect(flood(await indicatorsOf(['--threshold', 'floodPerRemote=250']))).toBeUndefined();
    const lower = flood(await indicatorsOf(['--threshold', 'floodPerRemote=100']));
    expect(lower?.thresholds.floodPerRemote).toBe(100);
    expect(lower?.evidence.remotes.length).toBeGreaterThan(2);
  });

  it('--threshold refuses unknown names and bad values with exit 2', async () => {
    const unknown = await runCli(['report', '--no-dns', ...NOW, '--threshold', 'flood=3', 'samples/incident/incident-04.txt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--threshold unknown threshold 'flood=3'");
    const bad = await runCli(['report', '--no-dns', ...NOW, '--threshold', 'synRecvShare=300', 'samples/incident/incident-04.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('synRecvShare=300: expected a percentage');
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.md'), 'precious');
    const input = join(PROJECT_ROOT, INCIDENT[0] ?? '');
    const refused = await runCli(['report', '--no-dns', ...NOW, '-o', 'report.md', input], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('report.md: already exists; not overwriting it (use --force to replace it)');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('precious');
    expect(existsSync(join(dir, 'report.svg'))).toBe(false);
    const forced = await runCli(['report', '--no-dns', ...NOW, '-o', 'report.md', '--force', input], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^# netsleuth report/);
    expect(readdirSync(dir).sort()).toEqual(['report.md', 'report.svg']);
  });

  it('also refuses when only the map file exists', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.svg'), 'mine');
    const result = await runCli(['report', '--no-dns', ...NOW, '-o', 'r.md', join(PROJECT_ROOT, INCIDENT[0] ?? '')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('r.svg: already exists');
    expect(existsSync(join(dir, 'r.md'))).toBe(false);
  });

  it('picks the format from the -o extension; --no-map writes no map', async () => {
    const dir = tempDir();
    const result = await runCli(['report', '--no-dns', ...NOW, '-o', 'r.csv', join(PROJECT_ROOT, INCIDENT[3] ?? '')], { cwd: dir });
    expect(result.code).toBe(0);
    const rows = Papa.parse<string[]>(readFileSync(join(dir, 'r.csv'), 'utf8'), { skipEmptyLines: true }).data;
    expect(rows[0]?.[0]).toBe('ip');
    expect(rows.length).toBeGreaterThan(50);
    expect(existsSync(join(dir, 'r.svg'))).toBe(false);
    const noMap = await runCli(['report', '--no-dns', ...NOW, '--no-map', '-o', 'x.md', join(PROJECT_ROOT, INCIDENT[3] ?? '')], { cwd: dir });
    expect(noMap.code).toBe(0);
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
    expect(readFileSync(join(dir, 'x.md'), 'utf8')).not.toContain('.svg');
  });

  it('--cluster-threshold reaches the analysis', async () => {
    const { stdout } = await runCli(['report', '--no-dns', ...NOW, '--format', 'json', '--cluster-threshold', '20', ...INCIDENT]);
    const json = JSON.parse(stdout) as { methodology: { thresholds: { clusterThreshold: number } }; clusters: { share: number; kind: string }[] };
    expect(json.methodology.thresholds.clusterThreshold).toBe(0.2);
    expect(json.clusters.filter((cluster) => cluster.kind === 'prefix').every((cluster) => cluster.share >= 0.2)).toBe(true);
  });

  it.each([
    [['--format', 'pdf'], "--format 'pdf' is not one of md, json, csv"],
    [['--now', 'yesterday'], "--now 'yesterday' is not an ISO 8601 time"],
    [['--cluster-threshold', '0'], "--cluster-threshold '0' must be a percentage"],
    [['--top', 'x'], "--top 'x' must be a whole number"],
    [['--map'], '--map writes the map beside the report: give -o FILE'],
    [['no-such-file.txt'], 'no-such-file.txt'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--traces', 'no-such-trace.txt'], 'no-such-trace.txt: cannot read'],
    [['--baseline', 'no-such-baseline.txt'], 'no-such-baseline.txt'],
    [['--trace', '--no-trace'], '--trace and --no-trace contradict each other'],
  ])('rejects %j with exit 2 and no stack trace', async (args, message) => {
    const { code, stderr } = await runCli(['report', '--no-dns', ...args], { stdin: incidentText('01') });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an empty capture gives a report that says there is nothing, not a crash', async () => {
    const { code, stdout, stderr } = await runCli(['report', '--no-dns', ...NOW, '-'], { stdin: '' });
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    if (code === 0) expect(stdout).toContain('No connection with a remote peer.');
    else expect(code).toBe(2);
  });

  it('hostile program names stay inert in markdown, JSON and CSV', async () => {
    const hostile = [
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      'tcp        0      0 203.0.113.10:80         147.46.1.2:4000         ESTABLISHED 31/=cmd|`<b>x',
      'tcp        0      0 203.0.113.10:80         147.46.1.3:4001         ESTABLISHED 32/@[a](b)*_',
      '',
    ].join('\n');
    const md = await runCli(['report', '--no-dns', ...NOW], { stdin: hostile });
    expect(md.code).toBe(0);
    expect(() => markdownTables(md.stdout)).not.toThrow();
    expect(md.stdout).toContain('=cmd\\|\\`\\<b\\>x (1)');
    expect(md.stdout).not.toMatch(/(?<!\\)[<`]b/);
    const csv = await runCli(['report', '--no-dns', ...NOW, '--format', 'csv'], { stdin: hostile });
    const rows = Papa.parse<string[]>(csv.stdout, { skipEmptyLines: true }).data;
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    const json = await runCli(['report', '--no-dns', ...NOW, '--format', 'json'], { stdin: hostile });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});

describe('netsleuth report with reverse DNS (knot on loopback)', () => {
  const dnsServer = inject('dnsServer');
  it.skipIf(!dnsServer)('shows PTR names from the server; hostile names stay inert', async () => {
    const capture = [
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      ...['203.0.113.1', '203.0.113.4', '203.0.113.20', '203.0.113.21', '203.0.113.22', '203.0.113.25'].map(
        (ip, index) => `tcp        0      0 198.51.100.10:80        ${`${ip}:${5000 + index}`.padEnd(23)} ESTABLISHED`,
      ),
      '',
    ].join('\n');
    const cacheDir = tempDir();
    const env = { NETSLEUTH_CACHE_DIR: cacheDir };
    const md = await runCli(['report', ...NOW, '--dns-server', dnsServer as string], { stdin: capture, env });
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    const remotes = markdownTables(md.stdout).find((table) => table.header[0] === 'Remote');
    const byIp = new Map(remotes?.rows.map((row) => [row[0], { status: row[6], name: row[7] }]));
    expect(byIp.get('203.0.113.1')).toEqual({ status: 'ok', name: 'host1.example.test' });
    expect(byIp.get('203.0.113.4')).toEqual({ status: 'nxdomain', name: '—' });
    const html = markdownToHtml(md.stdout);
    expect(html).not.toMatch(/<script|\u001b/);
    expect(md.stdout).toContain(`Reverse DNS: queried via ${dnsServer}`);
    const json = JSON.parse((await runCli(['report', ...NOW, '--format', 'json', '--dns-server', dnsServer as string], { stdin: capture, env })).stdout) as {
      remotes: { ip: string; rdns: { status: string; names: string[] } }[];
    };
    // The resolver keeps odd bytes in DNS presentation form (\060 for '<'): data, never markup.
    const html22 = json.remotes.find((remote) => remote.ip === '203.0.113.22')?.rdns;
    expect(html22?.status).toBe('ok');
    expect(html22?.names.join('')).toContain('script');
    expect(json.remotes.find((remote) => remote.ip === '203.0.113.20')?.rdns.names.join('')).not.toContain('\u001b');
  });
});

describe('progressPrinter', () => {
  it('prints a line per stage and redraws reverse DNS counts in place', async () => {
    const { progressPrinter } = await import('../../src/commands/report.js');
    const { PassThrough } = await import('node:stream');
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const print = progressPrinter(stderr);
    print('read');
    print('rdns');
    print('rdns', { done: 1, total: 2, ratePerSecond: 10, etaSeconds: 0.1 });
    print('rdns', { done: 2, total: 2, ratePerSecond: 20, etaSeconds: 0 });
    print('analyze');
    expect(chunks.join('')).toBe(
      'netsleuth: reading captures…\nnetsleuth: reverse DNS…\n' +
        '\r\u001b[Knetsleuth: reverse DNS 1/2  10/s  ETA 1s' +
        '\r\u001b[Knetsleuth: reverse DNS 2/2  20/s  ETA 0s' +
        '\nnetsleuth: analysing…\n',
    );
  });
});

describe('netsleuth report edges', () => {
  it('--map with JSON output writes the map beside it too', async () => {
    const dir = tempDir();
    const result = await runCli(['report', '--no-dns', ...NOW, '--map', '-o', 'r.json', join(PROJECT_ROOT, INCIDENT[1] ?? '')], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'r.svg']);
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { map: unknown[] }).map.length).toBeGreaterThan(0);
  });

  it('asks for input instead of waiting on a terminal', async () => {
    const { run } = await import('../../src/commands/report.js');
    const { PassThrough } = await import('node:stream');
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    await expect(run(['--no-dns'], { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: PROJECT_ROOT })).rejects.toThrow(
      'no input: give capture files, or pipe one in',
    );
  });
});

describe('report on a NAT gateway conntrack table (samples/captures/gateway-nf-conntrack.txt)', () => {
  it('the remotes are the outside addresses, not the LAN hosts or the router', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', 'samples/captures/gateway-nf-conntrack.txt']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { remotes: { ip: string; localPorts: { port: number }[] }[]; inputs: { format: string }[] };
    expect(report.inputs[0]?.format).toBe('nf-conntrack');
    const ips = report.remotes.map((remote) => remote.ip);
    expect(ips.filter((ip) => ip.startsWith('192.168.') || ip === '203.0.113.10')).toEqual([]);
    expect(ips.filter((ip) => ip.startsWith('147.46.')).length).toBeGreaterThan(20);
    // The flood reached the forwarded web port; the LAN's own browsing reaches 198.51.100.x.
    expect(report.remotes.find((remote) => remote.ip.startsWith('147.46.'))?.localPorts.map((port) => port.port)).toEqual([80]);
    expect(ips).toContain('198.51.100.17');
  });

  it('--local-net decides the inside: with only the LAN given, the router address is still learnt', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', '--local-net', '192.168.10.0/24', 'samples/captures/gateway-nf-conntrack.txt']);
    expect(code).toBe(0);
    const ips = (JSON.parse(stdout) as { remotes: { ip: string }[] }).remotes.map((remote) => remote.ip);
    expect(ips.filter((ip) => ip.startsWith('192.168.') || ip === '203.0.113.10')).toEqual([]);
    const bad = await runCli(['report', '--no-dns', '--local-net', 'lan', 'samples/captures/gateway-nf-conntrack.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--local-net 'lan'");
  });
});

describe('report on web server status pages (samples/captures/apache-server-status*)', () => {
  it('the HTML page under a slow-request attack: slow-requests fires and the clients are the remotes', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW, '-f', 'json', 'samples/captures/apache-server-status.html']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { remotes: { ip: string }[]; indicators: { kind: string; severity: string }[]; methodology: { thresholds: Record<string, number> } };
    expect(report.indicators.find((indicator) => indicator.kind === 'slow-requests')?.severity).toBe('critical');
    expect(report.remotes.filter((remote) => remote.ip.startsWith('147.46.')).length).toBeGreaterThan(5);
    expect(report.methodology.thresholds).toMatchObject({ slowRequestWorkers: 50, slowRequestClients: 3 });
  });

  it('the ?auto scoreboard (counts only): the indicator fires, --threshold does not make it quiet while no worker is idle', async () => {
    const { code, stdout } = await runCli(['report', '--no-dns', ...NOW, '--threshold', 'slowRequestWorkers=500', 'samples/captures/apache-server-status-auto.txt']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\| high \| slow-requests \|/);
    expect(stdout).toContain('| slowRequestWorkers | 500 |');
  });
});
