// The byte scanner for netstat and ss rows gives the tallies the parsers give: on real captures,
// on the samples, and on fuzzed lines that mix every shape it takes with shapes it must leave alone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parserTallyScanner, readTallies, type TallyScannerFactory } from '../../src/capture/read-tallies.js';
import { SocketRowTallyScanner } from '../../src/capture/socket-row-tally.js';
import { WasmSocketRowTallyScanner } from '../../src/capture/socket-row-wasm-tally.js';
import type { SnapshotTally } from '../../src/model/tally.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';

function plain(tallies: SnapshotTally[]) {
  return tallies.map((tally) => {
    const g = tally.groups;
    const groups = Array.from({ length: g.length }, (_, i) => [g.remotes[g.remote[i]!], g.state[i], g.localPort[i], g.program[i]! < 0 ? null : g.programs[g.program[i]!], g.flags[i], g.connections[i], g.idle[i]].join(' ')).sort();
    return { info: tally.info, totals: tally.totals, listenerPorts: tally.listenerPorts, diagnostics: tally.diagnostics, groups };
  });
}

/**
 * The tallies of the JavaScript byte scanner and of the parser alone; the WebAssembly scanner's
 * (what `report` reads netstat and ss with) are checked against the parser's on the way.
 */
async function both(text: string | Buffer, inputFormat?: string): Promise<{ fast: ReturnType<typeof plain>; parser: ReturnType<typeof plain>; fastRows: number; wasmRows: number }> {
  const io = () => ({ stdin: Readable.from([Buffer.from(text)]), cwd: PROJECT_ROOT });
  const format = inputFormat === undefined ? {} : { inputFormat };
  let fastRows = 0;
  const fast = await readTallies(['-'], io(), {
    ...format,
    scannerFor: (f, file, sink) => {
      const scanner = new SocketRowTallyScanner(f, file, sink);
      return { get lines() { return scanner.lines; }, write: (chunk) => scanner.write(chunk), finish: () => { scanner.finish(); fastRows = scanner.fastRows; } };
    },
  });
  const parser = await readTallies(['-'], io(), { ...format, scannerFor: parserTallyScanner });
  let wasmRows = 0;
  const wasm = await readTallies(['-'], io(), {
    ...format,
    scannerFor: (f, file, sink) => {
      const scanner = new WasmSocketRowTallyScanner(f, file, sink);
      return { get lines() { return scanner.lines; }, write: (chunk) => scanner.write(chunk), finish: () => { scanner.finish(); wasmRows = scanner.fastRows; } };
    },
  });
  expect(plain(wasm)).toEqual(plain(parser));
  return { fast: plain(fast), parser: plain(parser), fastRows, wasmRows };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /^(netstat|ss)/.test(name) && !name.endsWith('.json') && !/netstat-(r|i)/.test(name) ? [path] : [];
  });
}

const NETSTAT_HEADER = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name';

describe('socket row tallies', () => {
  it('equal the parser on every real netstat/ss capture and sample', async () => {
    const paths = [
      ...files(join(FIXTURES, 'real/jc')), ...files(join(FIXTURES, 'real/inspec')),
      join(FIXTURES, 'real/parse-netstat/netstat-anp-linux'),
      ...['linux-netstat-tanp.txt', 'linux-ss-tanp.txt'].map((name) => join(PROJECT_ROOT, 'samples/captures', name)),
      ...readdirSync(join(PROJECT_ROOT, 'samples/incident')).filter((name) => name.endsWith('.txt')).map((name) => join(PROJECT_ROOT, 'samples/incident', name)),
    ].filter((path) => { try { return statSync(path).isFile(); } catch { return false; } });
    let fastTotal = 0;
    let wasmTotal = 0;
    let checked = 0;
    for (const path of paths) {
      const text = readFileSync(path);
      let result;
      try {
        result = await both(text);
      } catch {
        continue; // not a capture these formats read
      }
      expect(result.fast, path).toEqual(result.parser);
      fastTotal += result.fastRows;
      wasmTotal += result.wasmRows;
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(fastTotal).toBeGreaterThan(1000);
    expect(wasmTotal).toBeGreaterThan(1000);
  });

  it('takes the realistic shapes (tcp6 ::ffff: peers, padding, queues, -p) the fast way', async () => {
    const rows = [
      'Active Internet connections (servers and established)', NETSTAT_HEADER,
      'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      1022/sshd          ',
      'tcp6       0      0 :::80                   :::*                    LISTEN      1080/apache2       ',
      'tcp6       0      0 ::ffff:203.0.113.10:80  ::ffff:147.46.1.2:5555  ESTABLISHED 20001/apache2      ',
      'tcp      517  33000 203.0.113.10:443        147.46.1.2:5556         ESTABLISHED 20002/apache2      ',
      'tcp        0      0 203.0.113.10:25         198.51.100.9:40000      TIME_WAIT   -                  ',
      'tcp        0      0 203.0.113.10:51000      198.51.100.53:53        ESTABLISHED 900/named          ',
    ];
    const result = await both(rows.join('\n') + '\n');
    expect(result.fast).toEqual(result.parser);
    // The tcp6 listener's ':::*' peer goes the parser's way; every other row is read from the bytes.
    expect(result.fastRows).toBe(5);
    // The WebAssembly scanner leaves the listeners to the JavaScript one.
    expect(result.wasmRows).toBe(4);
  });

  it('equal the parser over thousands of remotes and groups (address table and group index regrow; addresses above 2^31)', async () => {
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    const states = ['ESTABLISHED', 'TIME_WAIT', 'SYN_RECV', 'CLOSE_WAIT'];
    const rows = Array.from({ length: 30_000 }, (_, i) => {
      const address = `${128 + (next() % 128)}.${next() % 256}.${next() % 256}.${next() % 256}`;
      const peer = i % 3 === 0 ? `::ffff:${address}:${1024 + (next() % 60000)}` : `${address}:${1024 + (next() % 60000)}`;
      const local = i % 3 === 0 ? `::ffff:203.0.113.10:${[80, 443, 22][i % 3]}` : `203.0.113.10:${[80, 443, 25, 22][i % 4]}`;
      return `${i % 3 === 0 ? 'tcp6' : 'tcp '} ${String(next() % 3).padStart(6)} ${'0'.padStart(6)} ${local.padEnd(23)} ${peer.padEnd(23)} ${states[next() % 4]!.padEnd(11)} ${i % 5}/httpd`;
    });
    const result = await both(`${NETSTAT_HEADER}\n${rows.join('\n')}\n`);
    expect(result.fast).toEqual(result.parser);
    expect(result.fastRows).toBe(30_000);
    expect(result.wasmRows).toBe(30_000);
    expect(result.fast[0]!.groups.length).toBeGreaterThan(10_000);
  });

  it('equal the parser when the bytes arrive in pieces that cut rows anywhere (snapshots of a console log)', async () => {
    const snapshot = (minute: number) => [
      `Sat Nov 28 10:${String(minute).padStart(2, '0')}:01 UTC 2026`,
      'Active Internet connections (servers and established)', NETSTAT_HEADER,
      'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1080/apache2       ',
      ...Array.from({ length: 400 }, (_, i) => `tcp${i % 3 === 0 ? '6' : ' '}   ${i % 7}      0 ${i % 3 === 0 ? '::ffff:' : ''}203.0.113.10:${[80, 443, 22][i % 3]}  ${i % 3 === 0 ? '::ffff:' : ''}198.51.${i % 5}.${(i * 7 + minute) % 256}:${40000 + i} ${['ESTABLISHED', 'TIME_WAIT', 'SYN_RECV'][i % 3]!.padEnd(11)} ${i % 4 === 0 ? '-' : `${i}/apache2`}\r`),
    ];
    const text = Buffer.from([0, 10, 20].flatMap(snapshot).join('\n'));
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < text.length; at += size, size = (size * 7 + 3) % 911 + 1) pieces.push(text.subarray(at, at + size));
    const read = (scannerFor?: TallyScannerFactory) =>
      readTallies(['-'], { stdin: Readable.from(pieces), cwd: PROJECT_ROOT }, scannerFor ? { scannerFor } : {});
    const wasm = plain(await read((f, file, sink) => new WasmSocketRowTallyScanner(f, file, sink)));
    expect(wasm).toHaveLength(3);
    expect(wasm).toEqual(plain(await read(parserTallyScanner)));
  });

  it('equal the parser on fuzzed netstat and ss lines (any spacing, spellings, garbage, date lines)', async () => {
    const quad = fc.oneof(fc.constantFrom('147.46.1.2', '0.0.0.0', '10.0.0.1', '255.255.255.255', '01.2.3.4', '1.2.3', '256.1.1.1', '1.2.3.4.5'), fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `198.51.${a}.${b}`));
    const port = fc.constantFrom('80', '443', '22', '0', '1023', '1024', '65535', '65536', '*', 'http', '', '012');
    const host = fc.oneof(quad, quad.map((q) => `::ffff:${q}`), fc.constantFrom('::', '::1', '2001:db8::1', 'fe80::1%eth0', '[::ffff:1.2.3.4]', '[::]', '*', 'host.example', '::FFFF:1.2.3.4'));
    const endpoint = fc.tuple(host, port).map(([h, p]) => `${h}:${p}`);
    const spaces = fc.constantFrom(' ', '  ', '      ', '\t', ' \t ');
    const netstatState = fc.constantFrom('ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', 'LISTEN', 'CLOSE', 'established', 'ESTAB', 'UNKNOWN', '', 'BOGUS');
    const ssState = fc.constantFrom('ESTAB', 'LISTEN', 'UNCONN', 'SYN-RECV', 'TIME-WAIT', 'CLOSED', 'UNKNOWN', 'estab', 'ESTABLISHED');
    const count = fc.constantFrom('0', '1', '517', '123456789012345', '1234567890123456', 'x', '-1');
    const program = fc.constantFrom('', '813/httpd', '-', '1/a b c', '12/', '/x', '99999/\u0007bell', '7/ümlaut', '12/java -jar x.jar', '1/x/y');
    const users = fc.constantFrom('', 'users:(("httpd",pid=813,fd=9))', 'users:(("a\\"b",pid=1,fd=2))', 'users:(("sendmail",3965,4))', 'ino:1 users:(("x",pid=2,fd=3))', 'users:(("",pid=1,fd=1))', 'users:(("x",fd=1))', 'timer:(keepalive,1min,0)');
    const netstatLine = fc.tuple(fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6', 'tcp4', 'raw'), spaces, count, spaces, count, spaces, endpoint, spaces, endpoint, spaces, netstatState, spaces, program, fc.constantFrom('', ' ', '\r'))
      .map((parts) => parts.join(''));
    const ssLine = fc.tuple(fc.constantFrom('', 'tcp ', 'udp ', 'u_str ', 'sctp '), ssState, spaces, count, spaces, count, spaces, endpoint, spaces, endpoint, spaces, users)
      .map((parts) => parts.join(''));
    const other = fc.constantFrom('', 'Sat Nov 28 10:00:01 UTC 2026', 'Active UNIX domain sockets (servers and established)', 'Proto Recv-Q Send-Q Local Address Foreign Address State User Inode PID/Program name', NETSTAT_HEADER, 'garbage line', '\u00ef\u00bb\u00bf');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ arbitrary: netstatLine, weight: 6 }, { arbitrary: other, weight: 1 }), { minLength: 1, maxLength: 60 }), async (lines) => {
        const text = ['Active Internet connections (servers and established)', NETSTAT_HEADER, 'tcp        0      0 1.2.3.4:80              5.6.7.8:9               ESTABLISHED', ...lines].join('\n');
        const result = await both(text, 'netstat-linux');
        expect(result.fast).toEqual(result.parser);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ arbitrary: ssLine, weight: 6 }, { arbitrary: other, weight: 1 }), { minLength: 1, maxLength: 60 }), async (lines) => {
        const text = ['Netid State  Recv-Q Send-Q Local Address:Port   Peer Address:Port Process', ...lines].join('\n');
        const result = await both(text, 'ss');
        expect(result.fast).toEqual(result.parser);
      }),
      { numRuns: 150 },
    );
  });
});
