// --summary must count exactly what `parse` finds: the byte-scanning fast path is checked
// against the full parser on real captures and on generated/fuzzed netstat lines.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { LineAssembler, MAX_LINE_BYTES } from '../../src/capture/summary/line-assembler.js';
import { RemoteSummaryTable } from '../../src/capture/summary/remote-summary.js';
import { ParserSummaryScanner } from '../../src/capture/summary/parser-summary-scanner.js';
import { splitAtNewlines } from '../../src/capture/summary/scan-file.js';
import { findCaptureFormat } from '../../src/capture/registry.js';
import { summarizeInputs } from '../../src/capture/summary/summarize-inputs.js';
import { SocketRowScanner } from '../../src/capture/summary/socket-row-scanner.js';
import { slowSummaryParser } from '../../src/capture/summary/slow-path.js';
import type { SocketRowFormat } from '../../src/capture/summary/socket-row-scanner.js';
import { FIXTURES } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-summary-'));
const io = (stdin: string | Buffer = '') => ({ stdin: Readable.from([Buffer.from(stdin)]), cwd: dir });

function expectedRows(text: string, file: string) {
  const table = new RemoteSummaryTable();
  const capture = parseCaptureText(text, { file });
  for (const connection of capture.connections) table.addConnection(connection);
  return { rows: table.rows(), diagnostics: capture.diagnostics };
}

/** The WebAssembly scanner over `text` in chunks of `chunkBytes`; a tiny hash table by default so it regrows often. */
function fastRows(text: string | Buffer, chunkBytes: number, initialSlots = 16, format: SocketRowFormat = 'netstat-linux') {
  const scanner = new SocketRowScanner(format, 't', new RemoteSummaryTable(), slowSummaryParser(format), initialSlots);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  for (let at = 0; at < bytes.length; at += chunkBytes) scanner.write(bytes.subarray(at, at + chunkBytes));
  scanner.finish();
  return { rows: (scanner.table as RemoteSummaryTable).rows(), diagnostics: scanner.diagnostics, lines: scanner.lines, fastLines: scanner.fastLineCount };
}

/** The reference: the same bytes, line by line through the full netstat-linux parser (same line cutting). */
function parserRows(bytes: Buffer, format: SocketRowFormat = 'netstat-linux') {
  const scanner = new ParserSummaryScanner(findCaptureFormat(format)!, 't');
  scanner.write(bytes);
  scanner.finish();
  return { rows: scanner.table.rows(), diagnostics: scanner.diagnostics, lines: scanner.lines };
}

describe('summary equals parse', () => {
  const linuxFixtures = ['real/parse-netstat/netstat-anp-linux', 'real/jc/ubuntu-18.04/netstat-sudo-aeep.out', 'real/jc/centos-7.7/netstat-sudo-lnp.out', 'real/jc/generic/netstat-old.out'];
  it.each(linuxFixtures)('fast scanner on %s', (path) => {
    const text = readFileSync(join(FIXTURES, path), 'latin1');
    const expected = expectedRows(text, 't');
    const fast = fastRows(text, 7);
    expect(fast.rows).toEqual(expected.rows);
    expect(fast.diagnostics.map((d) => [d.line, d.reason])).toEqual(expected.diagnostics.map((d) => [d.line, d.reason]));
    expect(fast.rows.length).toBeGreaterThan(0);
  });

  const ssFixtures = ['real/jc/generic/ss-wide.out', 'real/jc/ubuntu-18.04/ss-sudo-a.out', 'real/jc/centos-7.7/ss-sudo-a.out'];
  it.each(ssFixtures)('fast scanner (ss rows) on %s', (path) => {
    const text = readFileSync(join(FIXTURES, path), 'latin1');
    const expected = expectedRows(text, 't');
    const fast = fastRows(text, 7, 16, 'ss');
    expect(fast.rows).toEqual(expected.rows);
    expect(fast.diagnostics.map((d) => [d.line, d.reason])).toEqual(expected.diagnostics.map((d) => [d.line, d.reason]));
    expect(fast.rows.length).toBeGreaterThan(0);
    // Rows with an IPv4 peer (ss-wide's 0.0.0.0:* sockets) are the scanner's; [::] peers the parser's.
    if (path.includes('ss-wide')) expect(fast.fastLines).toBeGreaterThan(0);
  });

  it('fast scanner (ss rows) == the ss parser on generated lines (any chunking)', () => {
    const octet = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 20 }, fc.constantFrom('256', '01', '00', '999', ''));
    const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
    const address = fc.oneof({ arbitrary: ipv4, weight: 8 }, fc.constantFrom('*', '[::ffff:198.51.100.7]', '[::1]', '127.0.0.53%lo', 'fe80::1%eth0', '0.0.0.0', 'web1'));
    const port = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 65535 }).map(String), weight: 8 }, fc.constantFrom('*', '65536', 'http', 'domain', '', '0080'));
    const netid = fc.constantFrom('', 'tcp   ', 'udp   ', 'u_str ', 'nl    ', 'tcpx  ', 'TCP   ');
    const state = fc.oneof({ arbitrary: fc.constantFrom('ESTAB', 'LISTEN', 'UNCONN', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSING', 'CLOSED', 'UNKNOWN'), weight: 8 }, fc.constantFrom('estab', 'ESTABLISHED', 'SYN_RECV', 'State', '', 'FIN-WAIT-3'));
    const queue = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 9999 }).map(String), weight: 8 }, fc.constantFrom('x', '', '1234567890123456'));
    const gap = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => ' '.repeat(n)), weight: 8 }, fc.constantFrom('\t', ''));
    const tail = fc.constantFrom('', ' users:(("httpd",pid=813,fd=9))', '   ', ' \r', '\r', ' timer:(keepalive,1min,0)');
    const row = fc.tuple(netid, state, gap, queue, gap, queue, gap, address, port, gap, address, port, tail)
      .map(([n, st, g1, rq, g2, sq, g3, la, lp, g4, ra, rp, t]) => `${n}${st}${g1}${rq}${g2}${sq}${g3}${la}:${lp}${g4}${ra}:${rp}${t}`);
    const line = fc.oneof({ arbitrary: row, weight: 10 }, fc.constantFrom('State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process', 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port', 'Sat Nov 28 10:15:01 KST 2026', ''), fc.string({ maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 64 }), (lines, chunk) => {
        const bytes = Buffer.from(`State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n${lines.join('\n')}\n`, 'latin1');
        const expected = parserRows(bytes, 'ss');
        const fast = fastRows(bytes, chunk, 16, 'ss');
        expect([fast.rows, fast.lines, fast.diagnostics.map((d) => [d.line, d.reason])]).toEqual([expected.rows, expected.lines, expected.diagnostics.map((d) => [d.line, d.reason])]);
      }),
      { numRuns: 400 },
    );
  });

  it('every real capture: summarizeInputs equals counting parsed connections', async () => {
    for (const path of ['real/jc/osx-10.14.6/netstat.out', 'real/jc/generic/ss-wide.out', 'real/jc/linux-proc/net_tcp', 'real/jc/windows/windows-10/netstat-aon.out', 'real/parse-netstat/netstat-n-solaris', 'real/parse-netstat/netstat-anp-win32']) {
      const text = readFileSync(join(FIXTURES, path), 'latin1');
      const summary = await summarizeInputs([join(FIXTURES, path)], io());
      expect(summary.table.rows(), path).toEqual(expectedRows(text, join(FIXTURES, path)).rows);
    }
  });

  const octet = fc.integer({ min: 0, max: 300 }).map(String);
  const address = fc.oneof(
    fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.')),
    fc.constantFrom('0.0.0.0', '::', '::1', '::ffff:198.51.100.7', 'fe80::1%eth0', 'web1', '010.0.0.1', '[]', '%'),
  );
  const port = fc.oneof(fc.integer({ min: 0, max: 70000 }).map(String), fc.constantFrom('*', 'ssh', 'http', 'bogus', ''));
  const state = fc.constantFrom('ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', 'LISTEN', 'UNKNOWN', 'established', 'ESTAB', '', '893/httpd', 'CLOSE_WAIT');
  const line = fc.oneof(
    fc.tuple(fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6', 'raw', 'tcpx'), fc.constantFrom('0', '12', 'x'), address, port, address, port, state)
      .map(([proto, q, la, lp, ra, rp, st]) => `${proto}        ${q}      0 ${la}:${lp}     ${ra}:${rp}     ${st}`),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('Sat Nov 28 10:15:01 KST 2026', '2026-11-28T10:15:01+09:00', 'Sat Nov 28 10:15:01 CST 2026', 'Script started on 2026-11-28 10:15:01+09:00'),
  );

  it('fast scanner == full parser on generated netstat lines (any chunking)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 64 }), (lines, chunk) => {
        const text = `Proto Recv-Q Send-Q Local Address Foreign Address State\n${lines.join('\n')}\n`;
        const table = new RemoteSummaryTable();
        const capture = parseCaptureText(text, { file: 't', inputFormat: 'netstat-linux' });
        for (const connection of capture.connections) table.addConnection(connection);
        const fast = fastRows(text, chunk);
        expect(fast.rows).toEqual(table.rows());
        expect(fast.diagnostics.map((d) => d.line)).toEqual(capture.diagnostics.map((d) => d.line));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the WebAssembly row scanner', () => {
  const row = (remote: string, state: string) => `tcp        0      0 203.0.113.10:80         ${remote.padEnd(23)} ${state}`;

  it('takes plain rows itself and leaves headers to the parser', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => row(`198.51.${i % 7}.${i % 250}:${1024 + i}`, i % 3 ? 'ESTABLISHED' : 'SYN_RECV'));
    const text = `Proto Recv-Q Send-Q Local Address           Foreign Address         State\n${lines.join('\n')}\n`;
    const fast = fastRows(text, 4096);
    expect(fast.fastLines).toBe(1000);
    expect(fast.lines).toBe(1001);
    expect(fast.rows).toEqual(parserRows(Buffer.from(text)).rows);
  });

  it('takes tcp6 rows with v4-mapped peers (::ffff:a.b.c.d) itself, counted under the IPv4 address', () => {
    const mapped = (peer: string, state: string) => `tcp6       0      0 ::ffff:203.0.113.10:443 ${peer.padEnd(23)} ${state.padEnd(11)} 2041/apache2`;
    const lines = Array.from({ length: 600 }, (_, i) => mapped(`::ffff:198.51.${i % 5}.${i % 200}:${2000 + i}`, i % 2 ? 'ESTABLISHED' : 'TIME_WAIT'));
    // Near misses stay with the parser: upper case, a leading zero, a real IPv6 peer, a truncated prefix.
    const misses = ['::FFFF:198.51.100.7:80', '::ffff:198.51.100.07:80', '2001:db8::7:80', '::ff:198.51.100.7:80', '::ffff:198.51.100.7'].map((peer) => mapped(peer, 'ESTABLISHED'));
    const text = `Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\n${[...lines, ...misses, ...lines.slice(0, 3)].join('\n')}\n`;
    const fast = fastRows(text, 997);
    expect(fast.fastLines).toBe(603);
    expect(fast.rows).toEqual(parserRows(Buffer.from(text)).rows);
    expect(fast.rows.some((row) => row.ip === '198.51.0.0')).toBe(true);
  });

  it('takes ss rows of IPv6 sockets with v4-mapped peers ([::ffff:a.b.c.d]:port) itself', () => {
    const ssRowText = (local: string, peer: string, state: string) => `${state.padEnd(10)} 0      0      ${local.padStart(28)} ${peer.padEnd(28)}`;
    const lines = Array.from({ length: 400 }, (_, i) => ssRowText(i % 2 ? '[::ffff:203.0.113.10]:443' : '203.0.113.10:25', i % 2 ? `[::ffff:198.51.${i % 5}.${i % 200}]:${2000 + i}` : `198.51.${i % 5}.${i % 200}:${2000 + i}`, i % 3 ? 'ESTAB' : 'TIME-WAIT'));
    // Left to the parser: real IPv6 peers, upper case, a bracketed plain quad, a leading zero, a missing bracket.
    const misses = ['[2001:db8::7]:80', '[::FFFF:198.51.100.7]:80', '[198.51.100.7]:80', '[::ffff:198.51.100.07]:80', '[::ffff:198.51.100.7:80'].map((peer) => ssRowText('[::ffff:203.0.113.10]:443', peer, 'ESTAB'));
    const listeners = [ssRowText('[::]:80', '[::]:*', 'LISTEN'), ssRowText('[::]:443', '[::ffff:198.51.100.9]:7', 'ESTAB')];
    const text = `State      Recv-Q Send-Q     Local Address:Port        Peer Address:Port\n${[...lines, ...misses, ...listeners].join('\n')}\n`;
    const fast = fastRows(text, 1009, 16, 'ss');
    expect(fast.fastLines).toBe(401);
    expect(fast.rows).toEqual(parserRows(Buffer.from(text), 'ss').rows);
  });

  it('equals the parser on CRLF, overlong, unterminated and binary input', () => {
    const long = row('198.51.100.9:4000', 'ESTABLISHED') + ' '.repeat(MAX_LINE_BYTES) + 'x';
    const almost = row('198.51.100.9:4001', 'SYN_RECV').padEnd(MAX_LINE_BYTES - 1) + '\r';
    const cases: Buffer[] = [
      Buffer.from([row('198.51.100.7:1', 'ESTABLISHED'), row('198.51.100.7:2', 'TIME_WAIT\r'), 'udp        0      0 0.0.0.0:53              198.51.100.8:53         \r', ''].join('\r\n')),
      Buffer.from(`${row('198.51.100.7:1', 'ESTABLISHED')}\n${long}\n${almost}\n${row('198.51.100.7:3', 'LAST_ACK')}`),
      Buffer.from(`${'tcp        0      0 203.0.113.10:80         198.51.100.7:1'.padEnd(MAX_LINE_BYTES + 10)}ESTABLISHED\n`),
      Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251)),
      Buffer.alloc(MAX_LINE_BYTES * 3, 0x41),
    ];
    for (const [index, bytes] of cases.entries()) {
      const expected = parserRows(bytes);
      for (const chunk of [1, 13, 4096, 1 << 20]) {
        const fast = fastRows(bytes, chunk);
        expect([fast.rows, fast.lines, fast.diagnostics.map((d) => [d.line, d.reason])], `case ${index}, chunk ${chunk}`).toEqual([expected.rows, expected.lines, expected.diagnostics.map((d) => [d.line, d.reason])]);
      }
    }
  });

  it('equals the parser on rows that share a prefix and vary after it', () => {
    // Mostly valid fields, so that most rows are the scanner's, with every kind of near miss.
    const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);
    const octetText = fc.oneof({ arbitrary: digits(0, 255), weight: 30 }, digits(256, 999), fc.constantFrom('00', '01', '007', '1234', '', 'x', '255', '256', '0'));
    const foreign = fc.oneof(
      { arbitrary: fc.tuple(octetText, octetText, octetText, octetText).map((parts) => parts.join('.')), weight: 12 },
      fc.tuple(octetText, octetText, octetText).map((parts) => parts.join('.')),
      fc.constantFrom('1.2.3.4.5', '::ffff:1.2.3.4', '[::1]', '255.255.255.255', '0.0.0.0', '1.2.3.4 ', '1.2.3.4\t'),
    );
    const portText = fc.oneof({ arbitrary: digits(0, 65535), weight: 12 }, digits(65536, 99999), fc.constantFrom('*', '', '123456', '0080', 'http', '1x', '65535', '65536', '0'));
    const gap = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 24 }).map((n) => ' '.repeat(n)), weight: 12 }, fc.constantFrom('\t', ' \t ', ''));
    const stateText = fc.oneof(
      { arbitrary: fc.constantFrom('ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'), weight: 12 },
      fc.constantFrom('UNKNOWN', 'FIN_WAIT3', 'FIN_WAIT', 'ESTABLISHEDX', 'established', 'CLOSE_WAIT\r', 'ESTAB', 'SYN-RECV', ''),
      fc.string({ maxLength: 18 }),
    );
    const tail = fc.oneof({ arbitrary: fc.constant(''), weight: 6 }, fc.constantFrom(' ', '   1234/httpd', ' \r', '\r', '                ', ' x'.repeat(12)));
    const prefix = fc.constantFrom('tcp        0      0 203.0.113.10:80         ', 'udp        0      0 0.0.0.0:53              ', 'tcp6       0      0 ::1:631                 ', 'tcp 0 0 1.2.3.4:5 ');
    fc.assert(
      fc.property(prefix, fc.array(fc.tuple(foreign, portText, gap, stateText, tail), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 200 }), (start, rows, chunk) => {
        const text = rows.map(([address, port, spaces, state, rest]) => `${start}${address}:${port}${spaces}${state}${rest}`).join('\n') + '\n';
        const bytes = Buffer.from(text, 'latin1');
        const expected = parserRows(bytes);
        const fast = fastRows(bytes, chunk);
        expect([fast.rows, fast.lines, fast.diagnostics.map((d) => d.line)]).toEqual([expected.rows, expected.lines, expected.diagnostics.map((d) => d.line)]);
      }),
      { numRuns: 400 },
    );
  });

  it('counts 20k distinct remotes through many table regrowths like the parser', () => {
    let seed = 7;
    // The high bits of an LCG: its low bits cycle too soon to give 20k distinct addresses.
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 12;
    const states = ['ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', 'FIN_WAIT1', 'CLOSE_WAIT'];
    const lines = Array.from({ length: 40_000 }, (_, i) => {
      const remote = i % 2 ? `${next() % 224}.${next() % 256}.${next() % 256}.${next() % 256}` : `147.46.${next() % 16}.${next() % 8}`;
      return row(`${remote}:${1024 + (next() % 60000)}`, states[next() % states.length]!);
    });
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const fast = fastRows(bytes, 65536);
    expect(fast.rows.length).toBeGreaterThan(19_000);
    expect(fast.fastLines).toBe(40_000);
    expect(fast.rows).toEqual(parserRows(bytes).rows);
  });
});

describe('summarizeInputs', () => {
  const NETSTAT = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State\n' +
    'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED\n' +
    'tcp        0      0 203.0.113.10:80         198.51.100.7:51235      SYN_RECV\n' +
    'tcp6       0      0 2001:db8::10:443        2001:db8::7:40000       ESTABLISHED\n' +
    'tcp        0      0 203.0.113.10:80         198.51.100.8:51236      TIME_WAIT\n';

  it('counts across several inputs (file, gzip, stdin) into one table, sorted with a tie-breaker', async () => {
    writeFileSync(join(dir, 'a.txt'), NETSTAT);
    writeFileSync(join(dir, 'b.gz'), gzipSync(NETSTAT));
    const summary = await summarizeInputs(['a.txt', 'b.gz', '-'], io(NETSTAT));
    expect(summary.table.rows().map((row) => [row.ip, row.connections, row.states.ESTABLISHED, row.states.SYN_RECV, row.states.TIME_WAIT])).toEqual([
      ['198.51.100.7', 6, 3, 3, 0],
      ['198.51.100.8', 3, 0, 0, 3],
      ['2001:db8::7', 3, 3, 0, 0],
    ]);
    expect(summary.inputs.map((input) => [input.path, input.format, input.lines])).toEqual([['a.txt', 'netstat-linux', 5], ['b.gz', 'netstat-linux', 5], ['-', 'netstat-linux', 5]]);
  });

  it('reports diagnostics with line numbers and fails under --strict', async () => {
    writeFileSync(join(dir, 'bad.txt'), NETSTAT + 'tcp 0 0 garbage\n');
    const summary = await summarizeInputs(['bad.txt'], io());
    expect(summary.diagnostics.map((d) => [d.file, d.line])).toEqual([['bad.txt', 6]]);
    await expect(summarizeInputs(['bad.txt'], io(), { strict: true })).rejects.toThrowError(/bad.txt:6/);
  });

  it('refuses non-captures and empty stdin like parse does', async () => {
    writeFileSync(join(dir, 'route.txt'), 'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n');
    await expect(summarizeInputs(['route.txt'], io())).rejects.toThrowError(/route.txt: this is a routing table/);
    await expect(summarizeInputs([], io(''))).rejects.toThrowError(/-: empty input/);
  });
});

describe('LineAssembler and byte ranges', () => {
  it('yields the same lines for any chunking, cuts overlong lines, keeps a last line without newline', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 20 }), fc.integer({ min: 1, max: 16 }), fc.boolean(), (lines, chunk, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n');
        const bytes = Buffer.from(text);
        const seen: string[] = [];
        const assembler = new LineAssembler({ byteLine: (buffer, start, end) => seen.push(Buffer.from(buffer.subarray(start, end)).toString()) });
        for (let at = 0; at < bytes.length; at += chunk) assembler.write(bytes.subarray(at, at + chunk));
        assembler.end();
        const expected = text.length === 0 ? [] : text.split('\n').map((l) => l.replace(/\r$/, ''));
        if (text.endsWith('\n')) expected.pop();
        expect(seen).toEqual(expected);
      }),
    );
    const long: number[] = [];
    const assembler = new LineAssembler({ byteLine: (_, start, end) => long.push(end - start) });
    assembler.write(Buffer.alloc(MAX_LINE_BYTES * 3, 65));
    assembler.write(Buffer.from('\nshort\n'));
    assembler.end();
    expect(long).toEqual([MAX_LINE_BYTES, 5]);
  });

  it('splits a file into ranges that start after newlines and cover it exactly', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\n';
    writeFileSync(join(dir, 'ranges.txt'), text);
    for (const [parts, firstShare] of [[1, 1], [2, 0.5], [2, 0.58], [3, 0.4], [7, 1 / 7], [4, 0.99]] as const) {
      const ranges = splitAtNewlines(join(dir, 'ranges.txt'), text.length, parts, firstShare);
      expect(ranges[0]?.[0]).toBe(0);
      expect(ranges[ranges.length - 1]?.[1]).toBe(text.length);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i]?.[0]).toBe(ranges[i - 1]?.[1]);
        expect(text[(ranges[i]?.[0] ?? 0) - 1]).toBe('\n');
      }
    }
  });
});

describe('RemoteSummaryTable against a Map oracle', () => {
  it('orders rows by (total desc, address asc) with small counts (counting sort) and huge ones (comparator)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 400 }),
        fc.option(fc.integer({ min: 70_000, max: 3_000_000 })),
        (adds, huge) => {
          const table = new RemoteSummaryTable();
          const totals = new Map<number, number>();
          for (const [key, state, count] of adds) {
            table.addIpv4(key, state, count);
            totals.set(key, (totals.get(key) ?? 0) + count);
          }
          if (huge !== null) {
            table.addIpv4(adds[0]![0], 0, huge);
            totals.set(adds[0]![0], totals.get(adds[0]![0])! + huge);
          }
          const expected = [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([key, total]) => [[key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255].join('.'), total]);
          expect(table.rows().map((row) => [row.ip, row.connections])).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('counts, grows, serializes and merges like a Map of arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(0, 0xffffffff, 1), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 50 })), fc.integer({ min: 0, max: 11 })), { maxLength: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        (adds, split) => {
          const oracle = new Map<number, number[]>();
          for (const [key, state] of adds) {
            const row = oracle.get(key) ?? new Array<number>(12).fill(0);
            row[state]! += 1;
            oracle.set(key, row);
          }
          // Tiny tables so that growth happens often (a count was once lost across a regrowth).
          const left = new RemoteSummaryTable(16);
          const right = new RemoteSummaryTable(16);
          adds.forEach(([key, state], index) => (index < split ? left : right).addIpv4(key, state));
          left.merge(right.serialize());
          const expected = [...oracle.entries()]
            .map(([key, row]) => ({ key, total: row.reduce((a, b) => a + b, 0), row }))
            .sort((a, b) => b.total - a.total || a.key - b.key)
            .map(({ key, row }) => [[key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255].join('.'), row]);
          expect(left.rows().map((r) => [r.ip, Object.values(r.states)])).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
