// Atomic files and capture directories: whole or absent, manifests that verify, stale staging removed.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/output/atomic-write.js';
import { formatManifest, listCaptureDirs, newCaptureDir, removeStaleStaging, writeCaptureDirectory } from '../../src/health/case-folder.js';
import { utcStamp } from '../../src/time/utc.js';
import { verifyManifest } from './helpers/verify-manifest.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-case-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomic files', () => {
  it('exclusive writes never replace an existing file and leave no temp file', async () => {
    await writeFile(join(dir, 'a.txt'), 'original');
    await expect(writeFileAtomic(join(dir, 'a.txt'), 'new', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('original');
    await writeFileAtomic(join(dir, 'b.txt'), 'fresh', { exclusive: true });
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'b.txt']);
  });
});

describe('capture directories', () => {
  it('a capture appears whole with a manifest sha256sum -c accepts', async () => {
    const target = await newCaptureDir(join(dir, 'case'), new Date('2026-11-28T17:05:00.123Z'));
    expect(target).toBe(join(dir, 'case', '20261128T170500Z'));
    await writeCaptureDirectory(target, [{ name: 'b.txt', content: 'bee\n' }, { name: 'a.txt', content: 'ay\n' }], async () => [{ name: 'report.md', content: '# r\n' }]);
    expect(await verifyManifest(target)).toEqual(['a.txt', 'b.txt', 'report.md']);
    expect(await readdir(join(dir, 'case'))).toEqual(['20261128T170500Z']);
    // The same second again gets a suffix, in time order.
    const second = await newCaptureDir(join(dir, 'case'), new Date('2026-11-28T17:05:00.900Z'));
    expect(second).toBe(join(dir, 'case', '20261128T170500Z-2'));
  });

  it('a failure while building leaves nothing behind', async () => {
    const target = join(dir, 'case', utcStamp(new Date('2026-11-28T17:05:00Z')));
    await expect(writeCaptureDirectory(target, [{ name: 'a.txt', content: 'x' }], async () => { throw new Error('report exploded'); })).rejects.toThrow('report exploded');
    expect(await readdir(join(dir, 'case'))).toEqual([]);
  });

  it('refuses to write over an existing directory', async () => {
    const target = join(dir, 'case', '20261128T170500Z');
    await mkdir(target, { recursive: true });
    await expect(writeCaptureDirectory(target, [])).rejects.toThrow('already exists');
  });

  it('stale staging of dead processes is removed; a live process keeps its own', async () => {
    const caseDir = join(dir, 'case');
    await mkdir(join(caseDir, '.netsleuth-tmp-capture-20261128T170500Z.999999999'), { recursive: true });
    await mkdir(join(caseDir, `.netsleuth-tmp-capture-20261128T170600Z.${process.ppid}`), { recursive: true });
    await mkdir(join(caseDir, '20261128T170000Z'));
    expect(await removeStaleStaging(caseDir)).toEqual(['.netsleuth-tmp-capture-20261128T170500Z.999999999']);
    expect((await readdir(caseDir)).sort()).toEqual([`.netsleuth-tmp-capture-20261128T170600Z.${process.ppid}`, '20261128T170000Z']);
    expect(await listCaptureDirs(caseDir)).toEqual(['20261128T170000Z']);
  });

  it('manifest lines are sorted "<sha256>  <name>"', () => {
    expect(formatManifest([{ name: 'b', content: '' }, { name: 'a', content: 'abc' }])).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  b\n',
    );
  });
});
