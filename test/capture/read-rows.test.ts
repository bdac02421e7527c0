// Drill-down: the rows read back for a remote are the rows the format's parser gives for it (the
// first ROWS_PER_REMOTE in line order, with its full count), for files, gzip files, bzip2 and pipes,
// on every sample and every real capture fixture; the index stays bounded by remotes, not rows.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { canonicalRemote, readRemoteRows, rowIndexesOf } from '../../src/capture/read-rows.js';
import { parserTallyScanner, readTallies, type TallyScannerFactory } from '../../src/capture/read-tallies.js';
import { SocketRowTallyScanner, hasSocketRowTally } from '../../src/capture/socket-row-tally.js';
import { ROWS_PER_REMOTE } from '../../src/capture/row-index.js';
import { connectionHasPeer } from '../../src/capture/row-index.js';
import { captureRowOf, type CaptureRow } from '../../src/model/capture-rows.js';
import type { Connection } from '../../src/model/connection.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-rows-'));
const io = (stdin: string | Buffer = '', cwd = PROJECT_ROOT) => ({ stdin: Readable.from([Buffer.from(stdin)]), cwd });

function walk(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const NOT_CAPTURES = /(^|\/)(SOURCE\.md|LICENSE[^/]*|[^/]*\.json|[^/]*\.license)$|\/(ipwhois|openrdap|arin-rdap-bootstrap|ipsum|intelmq|expected|rich-traceroute|trparse|win32-tracert|gopsutil)\//;
const FIXTURE_CAPTURES = walk(join(FIXTURES, 'real')).filter((path) => !NOT_CAPTURES.test(path) && !/(traceroute|tracepath|netstat-r|netstat-i)/.test(path));
const SAMPLES = [
  ...readdirSync(join(PROJECT_ROOT, 'samples/captures')).map((name) => join(PROJECT_ROOT, 'samples/captures', name)),
  ...readdirSync(join(PROJECT_ROOT, 'samples/incident')).filter((name) => name.endsWith('.txt')).map((name) => join(PROJECT_ROOT, 'samples/incident', name)),
];

/** What the whole-file parse gives per remote: every row with a peer, in line order. */
async function parserRows(path: string, stdin?: Buffer): Promise<Map<string, Connection[]>> {
  const captures = await readCaptures(stdin ? ['-'] : [path], io(stdin ?? ''));
  const byRemote = new Map<string, Connection[]>();
  for (const capture of captures) {
    for (const connection of capture.connections) {
      if (!connectionHasPeer(connection)) continue;
      const key = canonicalRemote(connection.remoteAddress);
      const list = byRemote.get(key) ?? [];
      list.push(connection);
      byRemote.set(key, list);
    }
  }
  for (const list of byRemote.values()) list.sort((a, b) => a.source.line - b.source.line);
  return byRemote;
}

async function expectSameRows(name: string, read: () => Promise<Awaited<ReturnType<typeof readTallies>>>, expected: Map<string, Connection[]>, file: string) {
  const tallies = await read();
  const indexes = rowIndexesOf(tallies);
  expect(indexes.length, name).toBe(1);
  const addresses = [...expected.keys()];
  const rows = await readRemoteRows(indexes, addresses);
  for (const address of addresses) {
    const want: CaptureRow[] = expected.get(address)!.slice(0, ROWS_PER_REMOTE).map((connection) => ({ ...captureRowOf(connection), file }));
    const got = rows.get(address)!;
    expect({ address, rows: got.rows, notes: got.notes }, name).toEqual({ address, rows: want, notes: [] });
    expect(got.total, `${name} ${address}`).toBe(expected.get(address)!.length);
  }
}

describe('readRemoteRows', () => {
  const files = [...SAMPLES, ...FIXTURE_CAPTURES];
  it('has real captures to check', () => {
    expect(FIXTURE_CAPTURES.length).toBeGreaterThan(20);
  });

  it.each(files.map((path) => [relative(join(PROJECT_ROOT, '..'), path), path]))('%s: the parser\'s rows per remote, read back from the file', async (_name, path) => {
    let expected: Map<string, Connection[]>;
    try {
      expected = await parserRows(path);
    } catch {
      return; // not a capture (a status page without clients, a refused table): nothing to drill into
    }
    await expectSameRows(path, () => readTallies([path], io(), { indexRows: true }), expected, path);
  });

  it.each(files.map((path) => [relative(join(PROJECT_ROOT, '..'), path), path]))('%s: the same rows from a pipe (kept while read) and from a gzip file', async (_name, path) => {
    const bytes = readFileSync(path);
    let expected: Map<string, Connection[]>;
    try {
      expected = await parserRows(path, bytes);
    } catch {
      return;
    }
    await expectSameRows(`${path} (pipe)`, () => readTallies(['-'], io(bytes), { indexRows: true }), expected, '-');
    if (/\.(gz|bz2)$/.test(path)) return; // compressed already: the file case read it compressed
    const gz = join(dir, `${relative(PROJECT_ROOT, path).replace(/[/.]/g, '_')}.gz`);
    writeFileSync(gz, gzipSync(bytes));
    await expectSameRows(`${path} (gzip)`, () => readTallies([gz], io(), { indexRows: true }), expected, gz);
  });

  /** A netstat -tanp capture: `rows` rows over `remotes` remotes, interleaved, with a header. */
  function capture(remotes: number, rows: number): string {
    const lines = ['Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name'];
    for (let i = 0; i < rows; i++) {
      const r = i % remotes;
      lines.push(`tcp        0      ${i % 3}      10.0.0.1:${[80, 443, 22][i % 3]}          198.51.${(r >> 8) & 255}.${r & 255}:${1024 + (i % 60000)}     ESTABLISHED 1234/nginx`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** The JavaScript byte scanner for netstat and ss (what stdin uses), the parser for the rest. */
  const javascriptScanner: TallyScannerFactory = (format, file, sink) => (hasSocketRowTally(format.name) ? new SocketRowTallyScanner(format, file, sink) : parserTallyScanner(format, file, sink));

  it.each(files.map((path) => [relative(join(PROJECT_ROOT, '..'), path), path]))('%s: the WebAssembly scanner records the same index as the JavaScript one', async (_name, path) => {
    let fast: ReturnType<typeof rowIndexesOf>;
    try {
      fast = rowIndexesOf(await readTallies([path], io(), { indexRows: true }));
    } catch {
      return;
    }
    expect(fast).toEqual(rowIndexesOf(await readTallies([path], io(), { indexRows: true, scannerFor: javascriptScanner })));
  });

  it('the WebAssembly scanner\'s index equals the JavaScript one on a mixed log of snapshots, netstat and ss, across read windows', async () => {
    // Rows of every kind interleaved: IPv4 and ::ffff: peers (the module's), IPv6 peers, listeners,
    // udp without a state, garbage and dated snapshot lines (the JavaScript side's), CRLF endings.
    const netstat: string[] = [];
    const ss: string[] = [];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let snapshot = 0; snapshot < 3; snapshot++) {
      netstat.push(`Sat Nov 28 0${snapshot}:00:00 UTC 2026`, 'Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name');
      ss.push(`Sat Nov 28 0${snapshot}:00:00 UTC 2026`, 'State      Recv-Q Send-Q     Local Address:Port        Peer Address:Port');
      for (let i = 0; i < 12_000; i++) {
        const r = random(700);
        const peer = `198.51.${r >> 8}.${r & 255}`;
        const port = 1024 + random(60_000);
        const kind = random(20);
        if (kind === 0) {
          netstat.push(`tcp6       0      0 2001:db8::1:443         2001:db8::${r.toString(16)}:${port}   ESTABLISHED 77/nginx`);
          ss.push(`ESTAB      0      0      [2001:db8::1]:443   [2001:db8::${r.toString(16)}]:${port}`);
        } else if (kind === 1) {
          netstat.push('tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      1/sshd');
          ss.push('LISTEN     0      128          0.0.0.0:22            0.0.0.0:*');
        } else if (kind === 2) {
          netstat.push(`udp        0      0 10.0.0.1:53             ${peer}:${port}`);
          ss.push(`garbage line ${i}`);
        } else if (kind === 3) {
          netstat.push(`garbage line ${i}\r`);
          ss.push(`UNCONN     0      0      10.0.0.1:53   ${peer}:${port}\r`);
        } else {
          const v6 = kind % 3 === 0;
          netstat.push(`${v6 ? 'tcp6' : 'tcp '}   ${random(3)}      0 ${v6 ? '::ffff:' : ''}10.0.0.1:${[80, 443, 22][i % 3]}          ${v6 ? '::ffff:' : ''}${peer}:${port}     ${['ESTABLISHED', 'TIME_WAIT', 'SYN_RECV'][kind % 3]} ${kind % 2 ? '-' : `${100 + r}/apache2`}`);
          ss.push(`${['ESTAB', 'TIME-WAIT', 'SYN-RECV'][kind % 3]}      ${random(3)}      0      ${v6 ? '[::ffff:10.0.0.1]' : '10.0.0.1'}:${[80, 443, 22][i % 3]}   ${v6 ? `[::ffff:${peer}]` : peer}:${port}`);
        }
      }
    }
    for (const [name, lines] of [['netstat', netstat], ['ss', ss]] as const) {
      const path = join(dir, `mixed-${name}.txt`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      expect(readFileSync(path).length, name).toBeGreaterThan(1 << 20);
      const fast = rowIndexesOf(await readTallies([path], io('', dir), { indexRows: true }));
      expect(fast[0]!.counts.reduce((sum, count) => sum + count, 0), name).toBeGreaterThan(30_000);
      expect(fast, name).toEqual(rowIndexesOf(await readTallies([path], io('', dir), { indexRows: true, scannerFor: javascriptScanner })));
    }
  });

  it('keeps an index bounded by remotes, not rows (file and pipe)', async () => {
    const sizes = [];
    for (const rows of [10_000, 50_000]) {
      const text = capture(500, rows);
      const path = join(dir, `bounded-${rows}.txt`);
      writeFileSync(path, text);
      const [file] = rowIndexesOf(await readTallies([path], io('', dir), { indexRows: true }));
      const [pipe] = rowIndexesOf(await readTallies(['-'], io(text), { indexRows: true }));
      sizes.push([file!.counts.length, file!.lines.length, file!.offsets.length, file!.context.length, pipe!.kept!.text.size, pipe!.kept!.connections.size]);
      expect(file!.counts[0]).toBe(rows / 500);
      const rowsRead = await readRemoteRows([file!], ['198.51.0.244']);
      expect(rowsRead.get('198.51.0.244')!.rows.map((row) => row.line)).toEqual(Array.from({ length: ROWS_PER_REMOTE }, (_, k) => 3 + 244 + k * 500));
      expect(rowsRead.get('198.51.0.244')!.total).toBe(rows / 500);
    }
    expect(sizes[0]).toEqual(sizes[1]);
    expect(sizes[0]).toEqual([500, 500 * ROWS_PER_REMOTE, 500 * ROWS_PER_REMOTE, 3, 500 * ROWS_PER_REMOTE + 2, 0]);
  });

  it('reads rows back across window boundaries, CRLF endings and lines longer than the reader keeps', async () => {
    const rows = capture(300, 30_000).split('\n');
    rows.splice(200, 0, `garbage ${'x'.repeat(200_000)}`);
    rows.splice(1500, 0, `more garbage ${'y'.repeat(70_000)}`);
    const text = rows.join('\r\n');
    expect(text.length).toBeGreaterThan(2 << 20);
    const path = join(dir, 'long-lines.txt');
    writeFileSync(path, text);
    await expectSameRows('long lines', () => readTallies([path], io('', dir), { indexRows: true }), await parserRows(path), path);
  });

  it('says so when a file changed or went away since it was read', async () => {
    const path = join(dir, 'changing.txt');
    writeFileSync(path, capture(5, 50));
    const indexes = rowIndexesOf(await readTallies([path], io('', dir), { indexRows: true }));
    writeFileSync(path, capture(5, 60));
    const rows = await readRemoteRows(indexes, ['198.51.0.1']);
    expect(rows.get('198.51.0.1')).toMatchObject({ total: 10, rows: [], notes: [expect.stringMatching(/changing\.txt: changed since it was read/)] });
  });
});
