// Socket inodes from real /proc/net/tcp text (jc's fixture), checked against jc's parse.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inodesByLine, readSocketOwners } from '../../src/health/socket-owners.js';
import { FIXTURES } from '../helpers/run-cli.js';

describe('inodesByLine', () => {
  it('matches jc on the real net_tcp fixture (tcp and tcp6 concatenated, two header lines)', async () => {
    const dir = join(FIXTURES, 'real/jc/linux-proc');
    const text = await readFile(join(dir, 'net_tcp'), 'utf8');
    const expected = JSON.parse(await readFile(join(dir, 'net_tcp.json'), 'utf8')) as { entry: string; inode: number }[];
    const inodes = inodesByLine(text);
    // jc's records come in row order; pair them with the row lines of the text.
    const rowLines = text.split('\n').flatMap((line, index) => (/^\s*\d+:/.test(line) ? [index + 1] : []));
    expect(rowLines).toHaveLength(expected.length);
    const fromJc = new Map(expected.flatMap((row, index) => (row.inode > 0 ? [[rowLines[index]!, row.inode] as const] : [])));
    expect(inodes).toEqual(fromJc);
    expect(inodes.size).toBeGreaterThan(0);
  });
  it('empty and garbage give nothing; never throws', () => {
    expect(inodesByLine('').size).toBe(0);
    expect(inodesByLine('\u0000garbage 1: 2 3\n').size).toBe(0);
    fc.assert(fc.property(fc.string(), (text) => { inodesByLine(text); }));
  });
});

describe('readSocketOwners', () => {
  it('finds nothing without wanted inodes or without a /proc', async () => {
    expect(readSocketOwners('/proc', new Set()).size).toBe(0);
    expect(readSocketOwners('/nonexistent-proc', new Set([1])).size).toBe(0);
  });
});
