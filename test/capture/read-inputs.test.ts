// The I/O edge: files, stdin, gzip by magic bytes, CRLF, latin1, truncated last lines, errors.
import { mkdtempSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-read-'));
const NETSTAT = [
  'Active Internet connections (servers and established)',
  'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
  'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/httpd',
  'tcp        0      0 203.0.113.10:80         198.51.100.8:40000      SYN_RECV    -',
].join('\n');
const io = (stdin: string | Buffer = '') => ({ stdin: Readable.from([Buffer.from(stdin)]), cwd: dir });
const write = (name: string, content: string | Buffer) => {
  writeFileSync(join(dir, name), content);
  return name;
};
const summary = (captures: Awaited<ReturnType<typeof readCaptures>>) => captures.flatMap((c) => c.connections.map((x) => `${x.source.file}:${x.source.line} ${x.remoteAddress} ${x.state} ${x.program ?? '-'}`));

describe('readCaptures', () => {
  it('reads several files in order, each with its own identity, size and sha256', async () => {
    const a = write('a.txt', NETSTAT + '\n');
    const b = write('b.txt', NETSTAT.replace('198.51.100.7', '198.51.100.99') + '\n');
    const captures = await readCaptures([a, b], io());
    expect(summary(captures)).toEqual([
      'a.txt:3 198.51.100.7 ESTABLISHED httpd', 'a.txt:4 198.51.100.8 SYN_RECV -',
      'b.txt:3 198.51.100.99 ESTABLISHED httpd', 'b.txt:4 198.51.100.8 SYN_RECV -',
    ]);
    expect(captures[0]?.info).toMatchObject({ path: 'a.txt', format: 'netstat-linux', sizeBytes: NETSTAT.length + 1, lines: 4, parsed: 2, skipped: 0, capturedAt: null });
    expect(captures[0]?.info.sha256).toBe(createHash('sha256').update(NETSTAT + '\n').digest('hex'));
  });

  it('reads stdin for "-" and for no inputs', async () => {
    expect(summary(await readCaptures(['-'], io(NETSTAT)))).toHaveLength(2);
    expect(summary(await readCaptures([], io(NETSTAT)))[0]).toBe('-:3 198.51.100.7 ESTABLISHED httpd');
  });

  it('unpacks gzip by magic bytes whatever the name, and hashes the compressed bytes', async () => {
    const packed = gzipSync(NETSTAT);
    const name = write('capture.bin', packed);
    const [capture] = await readCaptures([name], io());
    expect(capture?.connections).toHaveLength(2);
    expect(capture?.info.sizeBytes).toBe(packed.length);
    expect(summary(await readCaptures(['-'], io(packed)))).toHaveLength(2);
  });

  it('refuses corrupt gzip with the file name', async () => {
    const name = write('bad.gz', Buffer.concat([gzipSync(NETSTAT).subarray(0, 20)]));
    await expect(readCaptures([name], io())).rejects.toThrowError(/bad.gz: corrupt or truncated gzip/);
  });

  it('handles CRLF, a BOM and a truncated last line', async () => {
    const crlf = write('crlf.txt', '\uFEFF' + NETSTAT.replace(/\n/g, '\r\n') + '\r\ntcp        0      0 203.0.113.10:80         198.51.100.9:4');
    const [capture] = await readCaptures([crlf], io());
    expect(capture?.connections.map((c) => c.rawState)).toEqual(['ESTABLISHED', 'SYN_RECV']);
    expect(capture?.diagnostics.map((d) => [d.line, d.reason])).toEqual([[5, 'missing state']]);
  });

  it('decodes non-UTF-8 bytes as latin1 instead of failing', async () => {
    const [before, after] = NETSTAT.split('813/httpd');
    const latin1 = Buffer.concat([Buffer.from(`${before}813/caf`), Buffer.from([0xe9]), Buffer.from(`${after}\n`)]);
    const [capture] = await readCaptures([write('latin1.txt', latin1)], io());
    expect(capture?.connections[0]?.program).toBe('café');
  });

  it('names the file and the formats tried when it is no capture', async () => {
    const name = write('notes.txt', 'Dear diary,\nthe server is slow today.\n');
    const error = await readCaptures([name], io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/^notes.txt: not a capture .*tried: netsleuth-capture, jc-json, csv, proc-net/);
  });

  it('refuses binary garbage, missing files and directories with clear messages', async () => {
    const binary = write('random.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await expect(readCaptures([binary], io())).rejects.toThrowError(/random.bin: not a capture/);
    await expect(readCaptures(['missing.txt'], io())).rejects.toThrowError(/missing.txt: cannot read \(no such file\)/);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    await expect(readCaptures(['sub'], io())).rejects.toThrowError(/sub: is a directory/);
  });

  it('--strict turns skipped lines into a UserError listing them', async () => {
    const name = write('garbled.txt', NETSTAT + '\ntcp   0 0 nonsense\n');
    expect((await readCaptures([name], io()))[0]?.diagnostics).toHaveLength(1);
    await expect(readCaptures([name], io(), { strict: true })).rejects.toThrowError(/--strict: 1 line\(s\).*\n {2}garbled.txt:5: too few columns/);
  });

  it('refuses inputs too large to list (pointing at --summary) without reading them', async () => {
    const name = write('huge.txt', '');
    truncateSync(join(dir, name), 300 * 1024 * 1024);
    await expect(readCaptures([name], io())).rejects.toThrowError(/huge.txt: more than 256 MiB .* use 'netsleuth parse --summary'/);
  });

  it('--input-format forces a parser', async () => {
    const name = write('forced.txt', NETSTAT);
    const [capture] = await readCaptures([name], io(), { inputFormat: 'ss' });
    expect(capture?.info.format).toBe('ss');
    expect(capture?.connections).toEqual([]);
  });
});
