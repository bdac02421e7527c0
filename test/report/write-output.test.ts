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

  it('creates a missing case folder', async () => {
    const base = dir();
    await writeReportFile(join(base, 'case', 'day-1', 'r.md'), 'x', { force: false });
    expect(readFileSync(join(base, 'case', 'day-1', 'r.md'), 'utf8')).toBe('x');
  });

  it('names the file when its folder cannot be made (a file stands there)', async () => {
    const base = dir();
    writeFileSync(join(base, 'not-a-folder'), 'precious');
    await expect(writeReportFile(join(base, 'not-a-folder', 'r.md'), 'x', { force: false, displayName: 'not-a-folder/r.md' })).rejects.toThrow(
      /^not-a-folder\/r\.md: cannot write \((ENOTDIR|EEXIST)\)$/,
    );
    expect(readFileSync(join(base, 'not-a-folder'), 'utf8')).toBe('precious');
  });
});
