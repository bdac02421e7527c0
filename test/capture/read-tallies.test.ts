// The streaming reader gives the tallies the whole-file parse gives, for every sample, piped or
// not, gzip or not; errors name the file.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { readTallies } from '../../src/capture/read-tallies.js';
import { splitSnapshots } from '../../src/capture/snapshots.js';
import { tallyCapture } from '../../src/capture/tally-builder.js';
import type { SnapshotTally } from '../../src/model/tally.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsleuth-tallies-'));
const io = (stdin: string | Buffer = '', cwd = dir) => ({ stdin: Readable.from([Buffer.from(stdin)]), cwd });

/** Tallies as comparable plain data: groups as sorted strings (order is first-seen either way). */
function plain(tallies: SnapshotTally[]) {
  return tallies.map((tally) => {
    const g = tally.groups;
    const groups = Array.from({ length: g.length }, (_, i) => [g.remotes[g.remote[i]!], g.state[i], g.localPort[i], g.program[i]! < 0 ? null : g.programs[g.program[i]!], g.flags[i], g.connections[i], g.idle[i]].join(' '));
    return { info: tally.info, totals: tally.totals, listenerPorts: tally.listenerPorts, diagnostics: tally.diagnostics, groups };
  });
}

const SAMPLES = [
  ...readdirSync(join(PROJECT_ROOT, 'samples/captures')).map((name) => `samples/captures/${name}`),
  ...readdirSync(join(PROJECT_ROOT, 'samples/incident')).filter((name) => name.endsWith('.txt')).map((name) => `samples/incident/${name}`),
];

describe('readTallies', () => {
  it.each(SAMPLES)('%s: the same tallies as parsing the whole file, split into snapshots', async (path) => {
    const expected = (await readCaptures([path], io('', PROJECT_ROOT))).flatMap(splitSnapshots).map(tallyCapture);
    const streamed = await readTallies([path], io('', PROJECT_ROOT));
    expect(plain(streamed)).toEqual(plain(expected));
  });

  it('reads stdin, gzip on stdin, and a console log in tiny chunks the same as the file', async () => {
    const log = readFileSync(join(PROJECT_ROOT, 'samples/incident/console-log.txt'));
    const fromFile = plain(await readTallies(['samples/incident/console-log.txt'], io('', PROJECT_ROOT)));
    expect(fromFile.length).toBeGreaterThan(1);
    const rename = (tallies: ReturnType<typeof plain>) => tallies.map((t) => ({ ...t, info: { ...t.info, path: '', sizeBytes: 0, sha256: '', snapshot: t.info.snapshot ? { ...t.info.snapshot, file: '' } : undefined } }));
    const piped = plain(await readTallies(['-'], io(log)));
    expect(rename(piped)).toEqual(rename(fromFile));
    const gz = plain(await readTallies([], io(gzipSync(log))));
    expect(rename(gz)).toEqual(rename(fromFile));
    const chunks = Array.from({ length: Math.ceil(log.length / 7) }, (_, i) => log.subarray(i * 7, i * 7 + 7));
    const chunked = plain(await readTallies(['-'], { stdin: Readable.from(chunks), cwd: dir }));
    expect(rename(chunked)).toEqual(rename(fromFile));
    expect(piped[0]!.info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(piped[0]!.info.sizeBytes).toBe(log.length);
  });

  it('names the file in every error: missing, a directory, corrupt gzip, empty, not a capture, --strict', async () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'bad.gz'), Buffer.concat([gzipSync('tcp 0 0 1.2.3.4:80 5.6.7.8:9 ESTABLISHED\n'.repeat(100)).subarray(0, 40)]));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'random.bin'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'garbled.txt'), ['Proto Recv-Q Send-Q Local Address           Foreign Address         State', 'tcp 0 0 1.2.3.4:80 5.6.7.8:9 ESTABLISHED', 'tcp 0 0 garbled'].join('\n'));
    await expect(readTallies(['missing.txt'], io())).rejects.toThrowError(/missing.txt: cannot read \(no such file\)/);
    await expect(readTallies(['sub'], io())).rejects.toThrowError(/sub: is a directory/);
    await expect(readTallies(['bad.gz'], io())).rejects.toThrowError(/bad.gz: corrupt or truncated gzip/);
    await expect(readTallies(['empty.txt'], io())).rejects.toThrowError(/empty.txt: empty input/);
    await expect(readTallies(['random.bin'], io())).rejects.toThrowError(/random.bin: not a capture/);
    await expect(readTallies(['-', '-'], io())).rejects.toThrowError(/only once/);
    const [tally] = await readTallies(['garbled.txt'], io());
    expect([tally!.info.parsed, tally!.info.skipped, tally!.diagnostics[0]?.line]).toEqual([1, 1, 3]);
    await expect(readTallies(['garbled.txt'], io(), { strict: true })).rejects.toThrowError(/--strict: 1 line\(s\).*\n {2}garbled.txt:3: too few columns/);
  });
});

describe('readTallies with a forced format', () => {
  it('a forced --input-format that matches no line says so, as the whole-file parse does', async () => {
    const path = 'samples/captures/linux-netstat-tanp.txt';
    const io = () => ({ stdin: Readable.from([]), cwd: PROJECT_ROOT });
    const expected = (await readCaptures([path], io(), { inputFormat: 'netstat-solaris' })).flatMap(splitSnapshots).map(tallyCapture);
    const streamed = await readTallies([path], io(), { inputFormat: 'netstat-solaris' });
    expect(streamed[0]!.diagnostics[0]?.reason).toMatch(/does not match this input \(it looks like netstat-linux\)/);
    expect(plain(streamed)).toEqual(plain(expected));
    await expect(readTallies([path], io(), { inputFormat: 'netstat-solaris', strict: true })).rejects.toThrowError(/--strict: 1 line/);
  });
});
