// parse --explain: the chosen format and why, every format's score and lines read, and for a
// refused input the three closest formats with the first line each could not read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDetection, formatExplanation } from '../../src/capture/explain-detection.js';
import { CAPTURE_FORMATS } from '../../src/capture/registry.js';
import { FIXTURES, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

const read = (path: string) => readFileSync(path, 'utf8');

describe('explainDetection', () => {
  it('lsof: the winner first with its lines read, every format listed once', () => {
    const text = read(join(PROJECT_ROOT, 'samples/captures/linux-lsof-nP-i.txt'));
    const explanation = explainDetection(text, 'lsof.txt');
    expect(explanation.chosen).toBe('lsof');
    expect(explanation.matches.map((match) => match.format).sort()).toEqual(CAPTURE_FORMATS.map((format) => format.name).sort());
    // 40 lines: the header, 37 sockets and 2 thread rows repeating mysqld's socket.
    expect(explanation.lines).toBe(40);
    expect(explanation.matches[0]).toMatchObject({ format: 'lsof', confidence: 0.95, linesRead: 37, connections: 37, skipped: 0, firstUnreadable: null });
    expect(explanation.matches.slice(1).every((match) => match.linesRead === 0)).toBe(true);
    const text2 = formatExplanation(explanation);
    expect(text2.split('\n')[0]).toBe('lsof.txt: read as lsof: its detection score 0.95 is the highest (no other format scored above 0); it reads 37 of 40 lines as connections, skipping 0.');
    expect(text2).toMatch(/^ {2}lsof +score 0\.95 {2}37 of 40 lines$/m);
    expect(text2).toMatch(/^ {2}netstat-linux +score 0\.00 {2}0, 40 skipped; first unreadable line 1: not a netstat connection row: COMMAND/m);
  });

  it('a capture two formats both read: the score decides, and both counts are shown', () => {
    // InSpec's Busybox netstat: netstat-linux reads it; the comparison shows what ss made of it.
    const explanation = explainDetection(read(join(FIXTURES, 'real/inspec/netstat-tulpen-busybox')), 'busybox');
    expect(explanation.chosen).toBe('netstat-linux');
    expect(explanation.matches[0]).toMatchObject({ format: 'netstat-linux', linesRead: 7, skipped: 0 });
  });

  it('refused: the three closest formats, each with the first line it could not read', () => {
    const explanation = explainDetection(read(join(FIXTURES, 'real/jc/osx-10.14.6/netstat-r.out')), 'netstat-r.out');
    expect(explanation.chosen).toBeNull();
    expect(explanation.otherKind).toEqual({ kind: 'routing table', command: 'netstat -r' });
    const lines = formatExplanation(explanation).trimEnd().split('\n');
    expect(lines[0]).toBe('netstat-r.out: refused: it is a routing table (netstat -r), not a list of connections. Closest formats:');
    expect(lines).toHaveLength(4);
    // The BSD netstat parser is among the closest: the file is a macOS netstat.
    expect(lines.slice(1).some((line) => line.startsWith('  netstat-bsd: score 0.00, 0 of 91 lines read; first line it could not read: line '))).toBe(true);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}[a-z-]+: score \d\.\d\d, \d+ of 91 lines read; first line it could not read: (line \d+: .+|no line looked like its rows)$/);
  });

  it('empty input is refused as empty', () => {
    expect(formatExplanation(explainDetection('', 'empty.txt')).split('\n')[0]).toBe('empty.txt: refused: it is empty. Closest formats:');
  });
});

describe('netsleuth parse --explain', () => {
  it('explains each input in turn and exits 0, a traceroute pointing at netsleuth trace', async () => {
    const result = await runCli(['parse', '--explain', join(FIXTURES, 'real/inspec/sockstat'), join(FIXTURES, 'real/jc/centos-7.7/traceroute.out')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/inspec\/sockstat: read as sockstat: its detection score 0\.95 is the highest .*; it reads 4 of 5 lines as connections, skipping 0\./);
    expect(result.stdout).toMatch(/traceroute\.out: refused: no format scored 0\.5 or more\. It reads as traceroute output: use 'netsleuth trace .*traceroute\.out'\. Closest formats:/);
  });

  it('reads stdin and names a missing file (exit 2)', async () => {
    const piped = await runCli(['parse', '--explain'], { stdin: 'USER COMMAND PID FD PROTO LOCAL ADDRESS FOREIGN ADDRESS\nroot sshd 1 3 tcp4 *:22 *:*\n' });
    expect(piped.stdout).toMatch(/^-: read as sockstat/);
    const missing = await runCli(['parse', '--explain', 'no/such/file']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/file: cannot read (no such file)');
  });
});
