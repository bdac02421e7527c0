import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { markdownTables, markdownToHtml } from '../report/markdown-check.js';
import { FIXTURES, runBin, runCli } from '../helpers/run-cli.js';

const SNU = 'samples/traces/traceroute-snu-silent.txt';

function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-trace-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('netsleuth trace --from-file', () => {
  it('table: hops, AS path and a verdict for the synthetic SNU trace', async () => {
    const { code, stdout, stderr } = await runCli(['trace', '--no-dns', '--from-file', SNU]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^trace to 147\.46\.80\.1 {2}\[traceroute, samples\/traces\/traceroute-snu-silent\.txt:1\] {2}destination silent\n/);
    expect(stdout).toContain('AS path: AS2914 > AS4766');
    expect(stdout).toMatch(/verdict: destination silent; last 3 hops in AS4766 Korea Telecom; hostnames end in \.kr; .* -> KR, \w+ confidence/);
  });

  it('json: one object for one path, a list for several; hops, attribution and verdict', async () => {
    const one = await runCli(['trace', '--no-dns', '--format', 'json', '--from-file', SNU]);
    expect(one.code).toBe(0);
    const path = JSON.parse(one.stdout);
    expect(path.target).toEqual({ ip: '147.46.80.1', name: null });
    expect(path.hops).toHaveLength(10);
    expect(path.attribution.asPath).toEqual([2914, 4766]);
    expect(path.attribution.lastResponsiveHop.ttl).toBe(6);
    expect(path.verdict.country).toBe('KR');
    const several = await runCli(['trace', '--no-dns', '--format', 'json', '--from-file', SNU, '--from-file', 'samples/traces/mtr-report-snu-silent.txt']);
    const list = JSON.parse(several.stdout);
    expect(list.map((entry: { format: string }) => entry.format)).toEqual(['traceroute', 'mtr-report']);
    expect(list[1].verdict).toBeNull();
  });

  it('reads stdin with -, decoding Windows-1252 tracert', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(FIXTURES, 'real/win32-tracert/trace_tracert.txt'));
    const { code, stdout } = await runCli(['trace', '--no-dns', '--format', 'json', '--from-file', '-'], { stdin: bytes });
    expect(code).toBe(0);
    const path = JSON.parse(stdout);
    expect(path.format).toBe('tracert');
    expect(path.source.file).toBe('<stdin>');
    expect(path.reached).toBe(true);
    expect(path.hops).toHaveLength(28);
  });

  it('markdown: tables keep their shape', async () => {
    const { code, stdout } = await runCli(['trace', '--no-dns', '--format', 'md', '--from-file', SNU]);
    expect(code).toBe(0);
    const table = markdownTables(stdout)[0]!;
    expect(table.header[0]).toBe('TTL');
    expect(table.rows.map((row) => row[1])).toEqual(['198.51.100.1', '129.250.2.58', '129.250.6.135', '112.174.84.37', '112.174.8.221', '112.188.240.102', '\\*', '\\*', '\\*', '\\*']);
  });

  it('skipped lines are reported on stderr with file and line; the rest is used', async () => {
    const file = tempFile('partial.txt', 'traceroute to 8.8.8.8 (8.8.8.8), 30 hops max\n 1  198.51.100.1  1 ms\n 2  !X\n');
    const { code, stderr } = await runCli(['trace', '--no-dns', '--from-file', file]);
    expect(code).toBe(0);
    expect(stderr).toBe(`netsleuth trace: ${file}:3: skipped: unrecognised hop line\n`);
  });
});

describe('compiled binary', () => {
  it('dist/cli.js trace finds its location codes and prints the verdict; --help shows the usage', () => {
    const { code, stdout, stderr } = runBin(['trace', '--no-dns', '--from-file', SNU]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Seoul/KR (sel, medium)');
    const help = runBin(['trace', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netsleuth trace [IP...]');
  });
});

describe('hostile hop names stay inert', () => {
  // Names straight from the trace text, plus PTR answers from the test DNS server for unnamed hops.
  const hostile = [
    'traceroute to 203.0.113.9 (203.0.113.9), 30 hops max',
    ' 1  evil\u001b[31m\u0007red.example.net (198.51.100.1)  1 ms',
    ' 2  a|b`c*d_[x](http://evil.example)<img/src=x/onerror=alert(1)> (198.51.100.2)  2 ms',
    ' 3  =HYPERLINK("http://evil")\u202e (198.51.100.3)  3 ms',
    ' 4  203.0.113.20  4 ms',
    ' 5  203.0.113.21  5 ms',
    ' 6  203.0.113.22  6 ms',
  ].join('\n');
  const dnsArgs = () => (inject('dnsServer') ? ['--dns-server', inject('dnsServer') as string] : ['--no-dns']);

  it('json: control characters gone, text otherwise kept as data', async () => {
    const { code, stdout } = await runCli(['trace', ...dnsArgs(), '--format', 'json', '--from-file', tempFile('hostile.txt', hostile)]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]|\\u001b|\\u0007/);
    const path = JSON.parse(stdout);
    expect(path.attribution.hops[0].name).toBe('evilred.example.net');
    expect(path.attribution.hops[1].name).toBe('a|b`c*d_[x](http://evil.example)<img/src=x/onerror=alert(1)>');
    // The resolver hands over PTR names in presentation form ('evil\\027\\09131mred.example.test').
    if (inject('dnsServer')) for (const hop of path.attribution.hops.slice(3)) expect(hop.name).toMatch(/\.example\.test$/);
  });

  it('table: no escape sequences reach the terminal', async () => {
    const { code, stdout } = await runCli(['trace', ...dnsArgs(), '--from-file', tempFile('hostile.txt', hostile)]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('markdown: no links, images or HTML; every row keeps 7 cells', async () => {
    const { code, stdout } = await runCli(['trace', ...dnsArgs(), '--format', 'md', '--from-file', tempFile('hostile.txt', hostile)]);
    expect(code).toBe(0);
    const tables = markdownTables(stdout);
    expect(tables[0]!.rows).toHaveLength(6);
    const html = markdownToHtml(stdout);
    expect(html).not.toMatch(/<a |<img|<script/);
    expect(html).toContain('&lt;img/src=x/onerror=alert(1)&gt;');
  });
});

describe('netsleuth trace errors', () => {
  it.each([
    [['trace'], /nothing to trace/],
    [['trace', '--from-file', 'no/such/file.txt'], /^netsleuth: no\/such\/file\.txt: cannot read \(ENOENT\)/m],
    [['trace', '--format', 'xml', '--from-file', SNU], /--format 'xml'/],
    [['trace', '--tracer', 'ping', '127.0.0.1'], /--tracer 'ping'/],
    [['trace', '--input-format', 'nope', '--from-file', SNU], /--input-format 'nope'/],
    [['trace', '--no-dns', 'example.com'], /not an IP address: 'example\.com'/],
    [['trace', '--no-dns', '--', '-n;reboot'], /not an IP address/],
    [['trace', '--timeout', '1e9', '127.0.0.1'], /--timeout '1e9'/],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('garbage file: exit 2 naming file and line', async () => {
    const file = tempFile('garbage.txt', 'hello\nworld\n');
    const { code, stderr } = await runCli(['trace', '--from-file', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:1: no traceroute/mtr/tracert/tracepath format recognised`);
  });

  it('empty file: exit 2 naming the file', async () => {
    const file = tempFile('empty.txt', '');
    const { code, stderr } = await runCli(['trace', '--from-file', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: no trace found (empty input)`);
  });
});

describe('netsleuth trace live on loopback (every installed tracer)', () => {
  it.each(['traceroute', 'mtr', 'tracepath'])('%s to 127.0.0.1 reaches it in one hop, raw output kept', async (tracer) => {
    const { code, stdout, stderr } = await runCli(['trace', '--no-dns', '--tracer', tracer, '--format', 'json', '--timeout', '20000', '127.0.0.1']);
    if (/is not installed/.test(stderr)) {
      console.warn(`SKIP: ${tracer} not installed — live loopback trace with it not run`);
      return;
    }
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const path = JSON.parse(stdout);
    expect(path.format).toBe(`live:${tracer}`);
    expect(path.target.ip).toBe('127.0.0.1');
    expect(path.reached).toBe(true);
    expect(path.hops.map((hop: { ttl: number }) => hop.ttl)).toEqual([1]);
    expect(path.raw).toContain('127.0.0.1');
    expect(path.verdict.summary).toMatch(/^destination answered at hop 1/);
  }, 30_000);
});
