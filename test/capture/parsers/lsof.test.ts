// lsof: jc's real `sudo lsof` (with jc's expected JSON), InSpec's real macOS `lsof -nP -i -FpctPn`
// (no expected output upstream: the expectations below were written by reading the capture), and
// the layouts the fixtures lack, written from lsof's manual.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFormat } from '../../../src/capture/parse-capture-text.js';
import { detectCaptureFormat } from '../../../src/capture/registry.js';
import { lsof } from '../../../src/capture/parsers/lsof.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const parse = (text: string) => runFormat(lsof, text, 'test');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

interface JcLsofRecord {
  command: string;
  pid: number;
  tid: number | null;
  user: string;
  fd: string;
  type: string;
  name: string;
}

describe('lsof table: jc/ubuntu-18.04/lsof-sudo (every open file, 2853 rows)', () => {
  const text = fixture('real/jc/ubuntu-18.04/lsof-sudo.out');
  const parsed = parse(text);
  const jc = (JSON.parse(fixture('real/jc/ubuntu-18.04/lsof-sudo.json')) as JcLsofRecord[]).filter((record) => record.type === 'IPv4' || record.type === 'IPv6');

  it('is detected as lsof and reads with no skipped line', () => {
    expect(detectCaptureFormat(text.slice(0, 65536))?.format.name).toBe('lsof');
    expect(parsed.diagnostics).toEqual([]);
  });

  it('one connection per Internet file of jc, thread (TID) rows read once', () => {
    const processRows = jc.filter((record) => record.tid === null);
    expect(jc.length).toBe(16);
    expect(parsed.connections.map((c) => [c.program, c.pid, c.user, c.fd, c.ipVersion])).toEqual(
      processRows.map((record) => [record.command, record.pid, record.user, record.fd, record.type === 'IPv6' ? 6 : 4]),
    );
  });

  it('names, service names and states as printed', () => {
    const ssh = parsed.connections.find((c) => c.pid === 16944);
    expect(ssh).toMatchObject({ protocol: 'tcp', localAddress: 'kbrazil-ubuntu', localPort: 22, remoteAddress: '192.168.71.1', remotePort: 65159, state: 'ESTABLISHED', rawState: 'ESTABLISHED' });
    const bootpc = parsed.connections.find((c) => c.pid === 867);
    expect(bootpc).toMatchObject({ protocol: 'udp', localAddress: 'kbrazil-ubuntu', localPort: 68, remoteAddress: '*', remotePort: null, rawState: '' });
    const listen = parsed.connections.filter((c) => c.state === 'LISTEN').map((c) => `${c.program} ${c.localAddress}:${c.localPort}`);
    expect(listen).toEqual(['systemd-r localhost:53', 'container localhost:42351', 'sshd *:22', 'sshd *:22']);
    // lsof cuts commands at 9 characters: systemd-resolved is `systemd-r`.
    expect(parsed.connections.find((c) => c.pid === 885)?.truncated).toEqual(['program']);
    expect(ssh?.truncated).toBeUndefined();
  });
});

describe('lsof fields: inspec/lsof-nP-i-FpctPn (macOS, 6 processes, 17 sockets)', () => {
  const text = fixture('real/inspec/lsof-nP-i-FpctPn');
  const parsed = parse(text);

  it('is detected and every Internet file becomes a row', () => {
    expect(detectCaptureFormat(text)?.format.name).toBe('lsof');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections).toHaveLength(17);
    // SOURCE.md counts 7 processes; the capture has 6 `p` lines (p697 ... p24137).
    expect([...new Set(parsed.connections.map((c) => c.pid))]).toEqual([697, 6835, 2022, 8708, 13451, 24137]);
    expect(parsed.connections.filter((c) => c.pid === 24137)).toHaveLength(10);
  });

  it('reads the connected, bracketed IPv6 and wildcard names (no state without a T field)', () => {
    const java = parsed.connections.find((c) => c.program === 'java');
    // A tIPv6 socket with an IPv4 name (dual-stack): kept as IPv6, addresses as printed.
    expect(java).toMatchObject({ pid: 2022, protocol: 'tcp', ipVersion: 6, localAddress: '192.168.1.66', localPort: 51098, remoteAddress: '172.18.1.63', remotePort: 22, state: 'UNKNOWN', rawState: '' });
    expect(parsed.connections.find((c) => c.localAddress === '::1')).toMatchObject({ protocol: 'udp', ipVersion: 6, localPort: 123, program: 'ntpd' });
    expect(parsed.connections.find((c) => c.localAddress === 'fe80::8e70:5aff:fe66:6ebc')).toMatchObject({ localPort: 123 });
    expect(parsed.connections[0]).toMatchObject({ pid: 697, program: 'UserEvent', protocol: 'udp', localAddress: '*', localPort: null, remoteAddress: '*' });
    // sshd listens on *:22 twice (IPv4 and IPv6): two sockets, not a duplicate.
    expect(parsed.connections.filter((c) => c.pid === 8708).map((c) => c.ipVersion)).toEqual([4, 6]);
    expect(parsed.connections.find((c) => c.pid === 6835)?.truncated).toEqual(['program']);
    // Line of the file set's first field.
    expect(parsed.connections.find((c) => c.pid === 2022)?.source.line).toBe(16);
  });
});

describe('lsof layouts the fixtures lack', () => {
  it('macOS lsof -i with names, IPv6 brackets, zones and -T queues', () => {
    const parsed = parse([
      'COMMAND     PID   USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME',
      'rapportd    402   jdoe    4u  IPv4 0x8b1c3b5e1b5d7a1d      0t0  TCP *:49152 (LISTEN)',
      'rapportd    402   jdoe    5u  IPv6 0x8b1c3b5e1b5d6f01      0t0  TCP *:49152 (LISTEN)',
      'Google\\x20    811   jdoe   31u  IPv4 0x8b1c3b5e1b6a9a31      0t0  TCP mac.lan:55012->lhr25s34-in-f14.1e100.net:https (ESTABLISHED)',
      'sshd        901   root    3u  IPv6 0x8b1c3b5e1b5d6a11      0t0  TCP [::1]:22->[::1]:50022 (ESTABLISHED)',
      'mDNSRespo   188 _mdnsresponder   63u  IPv6 0x8b1c3b5e1b5d6b22  0t0  UDP [fe80::1%lo0]:5353',
      'httpd       813    www   12u  IPv4 0x8b1c3b5e1b5d7c33      0t0  TCP 203.0.113.10:80->147.46.1.2:51234 (QR=0 QS=36 ESTABLISHED)',
    ].join('\n'));
    expect(parsed.diagnostics).toEqual([]);
    const [listen4, listen6, chrome, ssh, mdns, httpd] = parsed.connections;
    expect(listen4).toMatchObject({ ipVersion: 4, localAddress: '*', localPort: 49152, state: 'LISTEN', user: 'jdoe', fd: '4u' });
    expect(listen6).toMatchObject({ ipVersion: 6, state: 'LISTEN' });
    expect(chrome).toMatchObject({ program: 'Google ', localAddress: 'mac.lan', remoteAddress: 'lhr25s34-in-f14.1e100.net', remotePort: 443 });
    expect(ssh).toMatchObject({ localAddress: '::1', localPort: 22, remoteAddress: '::1', remotePort: 50022 });
    expect(mdns).toMatchObject({ protocol: 'udp', localAddress: 'fe80::1', scope: 'lo0', localPort: 5353, user: '_mdnsresponder', truncated: ['program'] });
    expect(httpd).toMatchObject({ recvQ: 0, sendQ: 36, state: 'ESTABLISHED', remoteAddress: '147.46.1.2' });
  });

  it('field output with f and T fields, warnings, and -F0 NUL separators', () => {
    const lines = ['lsof: WARNING: can\'t stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs', '      Output information may be incomplete.',
      'p813', 'chttpd', 'u48', 'Lwww', 'f12', 'tIPv4', 'PTCP', 'n203.0.113.10:80->147.46.1.2:51234', 'TST=CLOSE_WAIT', 'TQR=5', 'TQS=0', 'f13', 'tREG', 'n/var/log/httpd/access_log'];
    const parsed = parse(lines.join('\n'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections).toHaveLength(1);
    expect(parsed.connections[0]).toMatchObject({ pid: 813, program: 'httpd', user: 'www', fd: '12', state: 'CLOSE_WAIT', recvQ: 5, sendQ: 0, source: { line: 7 } });
    const nul = parse('p813\0chttpd\0Lwww\0\nf12\0tIPv4\0PTCP\0n203.0.113.10:80->147.46.1.2:51234\0TST=ESTABLISHED\0\n');
    expect(nul.diagnostics).toEqual([]);
    expect(nul.connections[0]).toMatchObject({ pid: 813, fd: '12', state: 'ESTABLISHED', remotePort: 51234 });
  });

  it('reports a garbled Internet row and a bad field, with file and line', () => {
    const table = parse('COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nhttpd 813 www 12u IPv4 21731 0t0 TCP 203.0.113.10:80->\nbroken line\n');
    expect(table.diagnostics.map((d) => [d.line, d.reason])).toEqual([[2, "bad remote address ''"], [3, 'not an lsof row']]);
    const fields = parse('p1\ncinit\nf3\ntIPv4\nn*:22\n#junk\n');
    expect(fields.diagnostics.map((d) => [d.line, d.reason])).toEqual([[6, 'not an lsof field (a letter, then its value)'], [3, 'no protocol (P) field for this Internet file']]);
  });

  it('does not claim netstat or ss output', () => {
    expect(lsof.detect('Proto Recv-Q Send-Q Local Address Foreign Address State\ntcp 0 0 1.2.3.4:22 5.6.7.8:1 ESTABLISHED\n')).toBe(0);
    expect(lsof.detect('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 0 0 1.2.3.4:22 5.6.7.8:1\n')).toBe(0);
  });
});

describe('lsof field output, fuzzed', () => {
  it('any sequence of plausible fields: no throw, every row a TCP/UDP socket with its process', async () => {
    const fc = (await import('fast-check')).default;
    const field = fc.oneof(
      fc.integer({ min: 0, max: 99999 }).map((pid) => `p${pid}`),
      fc.constantFrom('chttpd', 'csshd', 'Lwww', 'u0', 'f3', 'f12u', 'tIPv4', 'tIPv6', 'tREG', 'PTCP', 'PUDP', 'PICMP', 'TST=LISTEN', 'TQR=7', 'TST=BOGUS'),
      fc.constantFrom('n*:22', 'n[::1]:22->[::1]:5000', 'n10.0.0.1:80->147.46.1.2:51234', 'n1.2.3.4:99999', 'n->', 'n[::1', 'n/var/log/x'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 40 }), (fields) => {
        const parsed = parse(['p1', ...fields].join('\n'));
        for (const connection of parsed.connections) {
          expect(['tcp', 'udp']).toContain(connection.protocol);
          expect(connection.pid).not.toBeUndefined();
          expect(connection.localAddress.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
