// `date` lines in console captures: recognised in every common spelling, placed in time only
// with a known zone, and never reported as skipped rows (parse and --summary alike).
import { Readable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureTimeFromLine } from '../../src/capture/capture-time-line.js';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { summarizeInputs } from '../../src/capture/summary/summarize-inputs.js';

describe('captureTimeFromLine', () => {
  it.each([
    ['2026-11-28T10:15:01+09:00', '2026-11-28T01:15:01.000Z'],
    ['2026-11-28T01:15:01Z', '2026-11-28T01:15:01.000Z'],
    ['2026-11-28 10:15:01+0900', '2026-11-28T01:15:01.000Z'],
    ['2026-11-28 01:15:01.123456 UTC', '2026-11-28T01:15:01.000Z'],
    ['Sat, 28 Nov 2026 10:15:01 +0900', '2026-11-28T01:15:01.000Z'],
    ['Sat Nov 28 10:15:01 KST 2026', '2026-11-28T01:15:01.000Z'],
    ['Sat Nov  7 22:15:01 PST 2026', '2026-11-08T06:15:01.000Z'],
    ['Sat 28 Nov 2026 10:15:01 AM UTC', '2026-11-28T10:15:01.000Z'],
    ['Sat 28 Nov 2026 12:15:01 PM CET', '2026-11-28T11:15:01.000Z'],
    ['Sat 28 Nov 2026 12:05:01 AM UTC', '2026-11-28T00:05:01.000Z'],
    ['Script started on 2026-11-28 10:15:01+09:00 [COMMAND="netstat -tan" <not executed on terminal>]', '2026-11-28T01:15:01.000Z'],
  ])('%s -> %s', (line, iso) => {
    expect(captureTimeFromLine(line)).toEqual({ capturedAt: iso });
  });

  it.each([
    'Sat Nov 28 10:15:01 CST 2026', // China or US Central
    'Sat Nov 28 10:15:01 IST 2026', // India, Ireland or Israel
    '2026-11-28 10:15:01', // no zone
    'Script started on Sat Nov 28 10:15:01 2026',
    '2026-02-30T10:15:01Z', // no such day
    'Sat 28 Nov 2026 13:15:01 PM UTC',
  ])('%s is a time line without a usable instant', (line) => {
    expect(captureTimeFromLine(line)).toEqual({ capturedAt: null });
  });

  it.each([
    'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED',
    'Active Internet connections (servers and established)',
    'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
    'Monday was busy: 10:15:01',
    '2026-11-28T10:15:01+09:00 tcp 0 0 1.2.3.4:5 6.7.8.9:10 ESTABLISHED',
    'TCP    10.0.0.5:49702         52.114.128.9:443       ESTABLISHED     4816',
  ])('%s is no time line', (line) => {
    expect(captureTimeFromLine(line)).toBeNull();
  });
});

const ROWS = [
  'Active Internet connections (servers and established)',
  'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
  'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED',
  'tcp        0      0 203.0.113.10:80         198.51.100.7:51235      SYN_RECV',
];

describe('captures with date lines', () => {
  it('parse takes the first placed time and reports no skipped line; rows keep their line numbers', () => {
    const text = ['Sat Nov 28 10:15:01 CST 2026', 'Sat Nov 28 10:15:02 KST 2026', ...ROWS, 'Sat, 28 Nov 2026 10:16:00 +0900', 'tcp 0 0 garbled', ''].join('\n');
    const capture = parseCaptureText(text, { file: 'saved.txt' });
    expect(capture.info.capturedAt).toBe('2026-11-28T01:15:02.000Z');
    expect(capture.connections.map((c) => [c.remoteAddress, c.source.line])).toEqual([['198.51.100.7', 5], ['198.51.100.7', 6]]);
    expect(capture.diagnostics.map((d) => d.line)).toEqual([8]);
    expect(parseCaptureText(ROWS.join('\n'), { file: 'plain.txt' }).info.capturedAt).toBeNull();
  });

  it.each([
    ['ss', ['2026-11-28T10:15:01+09:00', 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port', 'ESTAB  0      0      203.0.113.10:80     198.51.100.7:51234']],
    ['netstat-windows', ['Sat 28 Nov 2026 10:15:01 AM UTC', '', 'Active Connections', '', '  Proto  Local Address          Foreign Address        State', '  TCP    203.0.113.10:80        198.51.100.7:51234     ESTABLISHED']],
  ])('%s captures too', (format, lines) => {
    const capture = parseCaptureText(lines.join('\r\n'), { file: 'saved.txt' });
    expect(capture.info.format).toBe(format);
    expect(capture.info.capturedAt).not.toBeNull();
    expect(capture.diagnostics).toEqual([]);
    expect(capture.connections.map((c) => c.remoteAddress)).toEqual(['198.51.100.7']);
  });

  it('--summary skips the same lines as parse (one thread and the parser path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-time-'));
    const text = ['Sat Nov 28 10:15:01 KST 2026', ...ROWS, 'Sat Nov 28 10:16:01 KST 2026', ...ROWS.slice(2), 'tcp 0 0 garbled', ''].join('\n');
    writeFileSync(join(dir, 'saved.txt'), text);
    const summary = await summarizeInputs(['saved.txt'], { stdin: Readable.from([]), cwd: dir });
    const parsed = parseCaptureText(text, { file: 'saved.txt' });
    expect(summary.diagnostics.map((d) => [d.line, d.reason])).toEqual(parsed.diagnostics.map((d) => [d.line, d.reason]));
    expect(summary.table.rows().map((row) => [row.ip, row.connections])).toEqual([['198.51.100.7', 4]]);
  });
});
