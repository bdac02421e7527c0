// Parse-Netstat's upstream row counts for Linux, FreeBSD, macOS, Solaris and Windows captures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { FIXTURES } from '../helpers/run-cli.js';

const DIR = join(FIXTURES, 'real/parse-netstat');
const expected = JSON.parse(readFileSync(join(DIR, 'expected-counts.json'), 'utf8')) as Record<string, { flavor: string; num_tcp: number; num_udp: number } | string>;
const FORMAT_BY_FLAVOR: Record<string, string> = { linux: 'netstat-linux', freebsd: 'netstat-bsd', darwin: 'netstat-bsd', solaris: 'netstat-solaris', win32: 'netstat-windows' };

describe('Parse-Netstat expected counts', () => {
  for (const [file, counts] of Object.entries(expected)) {
    if (typeof counts === 'string') continue;
    it(`${file}: ${counts.num_tcp} tcp, ${counts.num_udp} udp, no skipped lines`, () => {
      const capture = parseCaptureText(readFileSync(join(DIR, file), 'latin1'), { file });
      expect(capture.info.format).toBe(FORMAT_BY_FLAVOR[counts.flavor]);
      expect(capture.connections.filter((c) => c.protocol === 'tcp')).toHaveLength(counts.num_tcp);
      expect(capture.connections.filter((c) => c.protocol === 'udp')).toHaveLength(counts.num_udp);
      expect(capture.diagnostics).toEqual([]);
    });
  }

  it('keeps Linux program names with spaces and flags the cut ones', () => {
    const capture = parseCaptureText(readFileSync(join(DIR, 'netstat-anp-linux'), 'latin1'), { file: 'x' });
    const spaced = capture.connections.find((c) => c.pid === 1234);
    expect(spaced?.program).toBe('program with space');
    expect(spaced?.truncated).toBeUndefined();
    const cut = capture.connections.find((c) => c.pid === 25820);
    expect(cut?.program).toBe('thunderbird-b');
    expect(cut?.truncated).toEqual(['program']);
    // "builder.localdomain:1028    *:*    LISTEN" has no PID column at all.
    const noPid = capture.connections.find((c) => c.localPort === 1028 && c.ipVersion === 4);
    expect(noPid).toMatchObject({ localAddress: 'builder.localdomain', remoteAddress: '*', remotePort: null, pid: null, program: null });
  });

  it('takes the Windows -b executable from the [exe] line after the row', () => {
    const capture = parseCaptureText(readFileSync(join(DIR, 'netstat-anp-win32'), 'latin1'), { file: 'x' });
    expect(capture.connections.map((c) => [c.localPort, c.pid, c.program])).toEqual([
      [135, 988, 'svchost.exe'], [445, 4, 'System'], [1027, 1244, 'alg.exe'], [139, 4, 'System'], [1025, 1120, 'svchost.exe'], [500, 696, 'lsass.exe'],
    ]);
  });

  it('reads Solaris blocks with per-block columns', () => {
    const capture = parseCaptureText(readFileSync(join(DIR, 'netstat-n-solaris'), 'latin1'), { file: 'x' });
    expect(capture.connections[3]).toMatchObject({ protocol: 'tcp', localAddress: '8.8.17.4', localPort: 1337, remoteAddress: '8.8.213.120', remotePort: 65472, state: 'ESTABLISHED', sendQ: 0, recvQ: 0 });
  });
});
