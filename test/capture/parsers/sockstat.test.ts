// sockstat: InSpec's real FreeBSD capture (no expected output upstream: the expectations were
// written by reading its 4 rows) and the options the fixture lacks, from sockstat(1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFormat } from '../../../src/capture/parse-capture-text.js';
import { detectCaptureFormat } from '../../../src/capture/registry.js';
import { sockstat } from '../../../src/capture/parsers/sockstat.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const parse = (text: string) => runFormat(sockstat, text, 'test');

describe('sockstat: inspec/sockstat (FreeBSD)', () => {
  const text = readFileSync(join(FIXTURES, 'real/inspec/sockstat'), 'utf8');
  const parsed = parse(text);

  it('is detected as sockstat and reads all 4 rows', () => {
    expect(detectCaptureFormat(text)?.format.name).toBe('sockstat');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => [c.user ?? null, c.program, c.pid, c.fd ?? null, c.protocol, c.ipVersion, c.localAddress, c.localPort, c.remoteAddress, c.remotePort])).toEqual([
      ['root', 'sendmail', 671, '3', 'tcp', 4, '127.0.0.1', 25, '*', null],
      ['root', 'sshd', 668, '4', 'tcp', 6, '*', 22, '*', null],
      ['root', 'sshd', 668, '4', 'tcp', 4, '*', 22, '*', null],
      // The `?` row: a socket no process owns (kernel NFS).
      [null, null, null, null, 'udp', 6, '*', 2049, '*', null],
    ]);
    // Without -s sockstat prints no TCP state.
    expect(parsed.connections.every((c) => c.state === 'UNKNOWN' && c.rawState === '')).toBe(true);
  });
});

describe('sockstat options the fixture lacks', () => {
  it('-46s: tcp46, IPv6 in both spellings, the CONN STATE column; UNIX rows passed over', () => {
    const parsed = parse([
      'USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS       PATH STATE   CONN STATE',
      'www      httpd      813   12 tcp4   203.0.113.10:80       147.46.1.2:51234                   ESTABLISHED',
      'root     httpd      812   4  tcp46  *:80                  *:*                                LISTEN',
      'root     sshd       901   3  tcp6   ::1:22                ::1:50022                          ESTABLISHED',
      'root     sshd       902   3  tcp6   [2001:db8::5]:22      [2001:db8::9]:61000                CLOSE_WAIT',
      'root     ntpd       880   22 udp6   fe80::1%lo0:123       *:*',
      'root     syslogd    412   4  dgram  /var/run/log',
      'root     devd       390   4  stream /var/run/devd.pipe',
      'www      my app     815   7  tcp4   203.0.113.10:8080     147.46.1.3:40000                   SYN_RCVD',
    ].join('\n'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => [c.program, c.ipVersion, c.localAddress, c.localPort, c.remoteAddress, c.remotePort, c.state])).toEqual([
      ['httpd', 4, '203.0.113.10', 80, '147.46.1.2', 51234, 'ESTABLISHED'],
      ['httpd', 6, '*', 80, '*', null, 'LISTEN'],
      ['sshd', 6, '::1', 22, '::1', 50022, 'ESTABLISHED'],
      ['sshd', 6, '2001:db8::5', 22, '2001:db8::9', 61000, 'CLOSE_WAIT'],
      ['ntpd', 6, 'fe80::1', 123, '*', null, 'UNKNOWN'],
      ['my app', 4, '203.0.113.10', 8080, '147.46.1.3', 40000, 'SYN_RECV'],
    ]);
    expect(parsed.connections[4]?.scope).toBe('lo0');
  });

  it('NetBSD dotted endpoints and -q (no header)', () => {
    const parsed = parse('root     sshd       901   3  tcp    10.0.0.1.22           10.0.0.9.61000\nroot     named      77    20 udp6   *.53                  *.*\n');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => `${c.protocol}${c.ipVersion} ${c.localAddress}:${c.localPort} ${c.remoteAddress}:${c.remotePort}`)).toEqual(['tcp4 10.0.0.1:22 10.0.0.9:61000', 'udp6 *:53 *:null']);
  });

  it('reports garbled rows with their line', () => {
    const parsed = parse('USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\nroot sshd x 3 tcp4 1.2.3.4:22 *:*\nroot sshd 1 3 tcp4 1.2.3.4:99999 *:*\nhello\n');
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([[2, "bad PID 'x'"], [3, "bad local address '1.2.3.4:99999'"], [4, 'not a sockstat row']]);
  });
});
