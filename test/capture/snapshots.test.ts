// A console log of several dated tables: one snapshot per table, each analysed on its own.
import { describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { splitSnapshots } from '../../src/capture/snapshots.js';

const HEADER = ['Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
const row = (remote: string, port: number) => `tcp        0      0 203.0.113.10:80         ${`${remote}:${port}`.padEnd(23)} ESTABLISHED`;
const table = (remote: string, count: number) => [...HEADER, ...Array.from({ length: count }, (_, i) => row(remote, 1024 + i))];

describe('snapshots', () => {
  it('a log of dated tables gives one capture per table, with its time, rows, lines and skipped lines', () => {
    const lines = [
      'Sat Nov 28 10:00:01 KST 2026', ...table('198.51.100.7', 3),
      'Sat Nov 28 10:01:01 KST 2026', ...table('198.51.100.8', 2), 'tcp 0 0 garbled',
      'Sat Nov 28 10:02:01 CST 2026', ...table('198.51.100.9', 4),
    ];
    const capture = parseCaptureText(lines.join('\n') + '\n', { file: 'log.txt' });
    expect(capture.info.capturedAt).toBe('2026-11-28T01:00:01.000Z');
    expect(capture.snapshots).toEqual([
      { firstLine: 1, capturedAt: '2026-11-28T01:00:01.000Z' },
      { firstLine: 7, capturedAt: '2026-11-28T01:01:01.000Z' },
      { firstLine: 13, capturedAt: null },
    ]);
    const parts = splitSnapshots(capture);
    expect(parts.map((part) => [part.info.path, part.info.capturedAt, part.info.lines, part.info.parsed, part.info.skipped])).toEqual([
      ['log.txt #1/3', '2026-11-28T01:00:01.000Z', 6, 3, 0],
      ['log.txt #2/3', '2026-11-28T01:01:01.000Z', 6, 2, 1],
      ['log.txt #3/3', null, 7, 4, 0],
    ]);
    expect(parts.map((part) => [...new Set(part.connections.map((c) => c.remoteAddress))])).toEqual([['198.51.100.7'], ['198.51.100.8'], ['198.51.100.9']]);
    expect(parts[1]!.diagnostics.map((d) => d.line)).toEqual([12]);
    expect(parts.map((part) => part.info.snapshot)).toEqual([1, 2, 3].map((index) => ({ index, count: 3, file: 'log.txt', firstLine: [1, 7, 13][index - 1] })));
    expect(parts.flatMap((part) => part.connections)).toEqual(capture.connections);
    expect(parts.reduce((sum, part) => sum + part.info.lines, 0)).toBe(capture.info.lines);
  });

  it.each([
    ['one dated table', ['Sat Nov 28 10:00:01 KST 2026', ...table('198.51.100.7', 3)], '2026-11-28T01:00:01.000Z'],
    ['a table then its date (the time dates it)', [...table('198.51.100.7', 3), 'Sat Nov 28 10:00:01 KST 2026'], '2026-11-28T01:00:01.000Z'],
    ['two dates before one table', ['Sat Nov 28 10:00:01 CST 2026', 'Sat Nov 28 10:00:02 KST 2026', ...table('198.51.100.7', 3)], '2026-11-28T01:00:02.000Z'],
    ['repeated headers without a time line', [...table('198.51.100.7', 3), ...table('198.51.100.8', 3)], null],
  ])('%s is one snapshot', (_, lines, capturedAt) => {
    const capture = parseCaptureText(lines.join('\n'), { file: 'one.txt' });
    expect(capture.snapshots).toBeUndefined();
    expect(capture.info.capturedAt).toBe(capturedAt);
    expect(splitSnapshots(capture)).toEqual([capture]);
  });

  it('a date after the last table opens no empty snapshot (the table keeps the date before it)', () => {
    const capture = parseCaptureText([...table('198.51.100.7', 2), 'Sat Nov 28 10:00:01 KST 2026', ...table('198.51.100.8', 2), 'Sat Nov 28 10:01:01 KST 2026'].join('\n'), { file: 'log.txt' });
    expect(capture.snapshots).toEqual([{ firstLine: 1, capturedAt: null }, { firstLine: 5, capturedAt: '2026-11-28T01:00:01.000Z' }]);
  });
});
