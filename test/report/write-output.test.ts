import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { writeReportFile } from '../../src/report/write-output.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'netsleuth-write-'));

describe('writeReportFile', () => {
  it('writes a new file and leaves no temporary file behind', async () => {
    const folder = dir();
    await writeReportFile(join(folder, 'r.md'), 'report\n', { force: false });
    expect(readdirSync(folder)).toEqual(['r.md']);
    expect(readFileSync(join(folder, 'r.md'), 'utf8')).toBe('report\n');
  });

  it('refuses an existing file at the moment of writing (no check-then-write race)', async () => {
    const folder = dir();
    writeFileSync(join(folder, 'r.md'), 'mine');
    const attempt = writeReportFile(join(folder, 'r.md'), 'report\n', { force: false, displayName: 'r.md' });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(writeReportFile(join(folder, 'r.md'), 'x', { force: false, displayName: 'r.md' })).rejects.toThrow('r.md: already exists');
    expect(readFileSync(join(folder, 'r.md'), 'utf8')).toBe('mine');
    expect(readdirSync(folder)).toEqual(['r.md']);
  });

  it('replaces with force', async () => {
    const folder = dir();
    writeFileSync(join(folder, 'r.md'), 'mine');
    await writeReportFile(join(folder, 'r.md'), 'report\n', { force: true });
    expect(readFileSync(join(folder, 'r.md'), 'utf8')).toBe('report\n');
    expect(readdirSync(folder)).toEqual(['r.md']);
  });

  it('names the file when the folder does not exist', async () => {
    await expect(writeReportFile(join(dir(), 'missing', 'r.md'), 'x', { force: false, displayName: 'missing/r.md' })).rejects.toThrow(
      'missing/r.md: cannot write (ENOENT)',
    );
  });
});
