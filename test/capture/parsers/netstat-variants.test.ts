// netstat/ss layouts of other systems and options: InSpec's real AIX, HP-UX, Busybox, ss and
// Windows Select-String captures (no expected output upstream: expectations written by reading
// them, see real/inspec/SOURCE.md), and FreeBSD/OpenBSD/NetBSD layouts written from netstat(1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureText, runFormat } from '../../../src/capture/parse-capture-text.js';
import { detectCaptureFormat, findCaptureFormat } from '../../../src/capture/registry.js';
import type { Connection } from '../../../src/model/connection.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const fixture = (path: string) => readFileSync(join(FIXTURES, 'real', path), 'utf8');
const detected = (text: string) => detectCaptureFormat(text)?.format.name;
const parseAs = (name: string, text: string) => runFormat(findCaptureFormat(name)!, text, 'test');
const brief = (c: Connection) => `${c.protocol}${c.ipVersion} ${c.localAddress}:${c.localPort} ${c.remoteAddress}:${c.remotePort} ${c.state}`;

describe('real captures of other systems (inspec)', () => {
  it('AIX netstat -Aan: the PCB column first, no header', () => {
    const text = fixture('inspec/netstat-aan');
    expect(detected(text)).toBe('netstat-bsd');
    const parsed = parseAs('netstat-bsd', text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map(brief)).toEqual(['tcp4 *:22 *:null LISTEN', 'tcp6 *:22 *:null LISTEN']);
  });

  it('HP-UX netstat -an -f inet: 6 tcp, 2 udp, Send-Q kept', () => {
    const text = fixture('inspec/hpux-netstat-inet');
    expect(detected(text)).toBe('netstat-bsd');
    const parsed = parseAs('netstat-bsd', text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.filter((c) => c.protocol === 'tcp')).toHaveLength(6);
    expect(parsed.connections.find((c) => c.sendQ === 28)).toMatchObject({ localAddress: '16.147.37.141', localPort: 22, remoteAddress: '16.180.154.172', remotePort: 64145, state: 'ESTABLISHED' });
    expect(parsed.connections.at(-2)).toMatchObject({ protocol: 'udp', localAddress: '127.0.0.1', localPort: 49178, remoteAddress: '127.0.0.1', remotePort: 49178 });
  });

  it('Busybox netstat -tulpen: IPv6 addresses cut by the column, the port glued on', () => {
    const parsed = parseAs('netstat-linux', fixture('inspec/netstat-tulpen-busybox'));
    expect(parsed.diagnostics).toEqual([]);
    const pidgin = parsed.connections.find((c) => c.program === 'pidgin');
    // `2601:1:ad80:1445::54776` is `2601:1:ad80:1445:` (cut) + `:54776`: the port is right, the address a prefix.
    expect(pidgin).toMatchObject({ localAddress: '2601:1:ad80:1445:', localPort: 54776, remoteAddress: '2620:0:861:52:208:', remotePort: 6667, truncated: ['localAddress', 'remoteAddress'] });
    expect(parsed.connections.find((c) => c.program === 'ntpd')).toMatchObject({ localAddress: 'fe80::42:acff:fe11:', localPort: 123, truncated: ['localAddress'] });
    // `:::22` is 5 characters: nothing cut.
    expect(parsed.connections.find((c) => c.localPort === 22 && c.ipVersion === 6)?.truncated).toBeUndefined();
  });

  it('ss -tulpen: the old row with no State is reported (it cannot be told from netstat), the rest read', () => {
    const parsed = parseAs('ss', fixture('inspec/ss-tulpen'));
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([[10, "unknown state '0'"]]);
    expect(parsed.connections).toHaveLength(8);
    expect(parsed.connections.find((c) => c.localPort === 9200 && c.localAddress.startsWith('fe80'))).toMatchObject({ scope: 'enp0s3', pid: 1722, program: 'java' });
  });

  it('Windows netstat -anbo | Select-String: `>` markers, owners on the next line (34 TCP + 15 UDP)', () => {
    const text = fixture('inspec/netstat-anbo-pipe-select-string-pattern.utf8');
    expect(detected(text)).toBe('netstat-windows');
    const parsed = parseAs('netstat-windows', text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.filter((c) => c.protocol === 'tcp')).toHaveLength(34);
    expect(parsed.connections.filter((c) => c.protocol === 'udp')).toHaveLength(15);
    expect(parsed.connections[0]).toMatchObject({ localPort: 22, state: 'LISTEN', pid: 1264, program: 'sshd.exe' });
  });

  it('NetBSD netstat -inb and AIX netstat -s are refused as what they are', () => {
    expect(() => parseCaptureText(fixture('gopsutil/netbsd/netstat_inb.txt'), { file: 'netstat_inb.txt' })).toThrow(/netstat_inb.txt: this is an interface table \(netstat -i\)/);
    expect(() => parseCaptureText(fixture('gopsutil/aix/netstat_s.txt'), { file: 'netstat_s.txt' })).toThrow(/netstat_s.txt: this is a protocol statistics \(netstat -s\)/);
  });
});

describe('BSD netstat column sets (from netstat(1))', () => {
  const cases: { name: string; text: string[]; rows: string[]; queues?: [number | null, number | null] }[] = [
    {
      name: 'FreeBSD -T (Rexmit OOORcv 0-win, no state)',
      text: ['Active Internet connections', 'Proto Rexmit OOORcv 0-win  Local Address          Foreign Address', 'tcp4       0      0     0  203.0.113.10.80        147.46.1.2.51234', 'tcp4       3      0     1  203.0.113.10.80        147.46.1.3.51235'],
      rows: ['tcp4 203.0.113.10:80 147.46.1.2:51234 UNKNOWN', 'tcp4 203.0.113.10:80 147.46.1.3:51235 UNKNOWN'],
      queues: [null, null],
    },
    {
      name: 'FreeBSD -AT (Tcpcb column first)',
      text: ['Active Internet connections', 'Tcpcb            Proto Rexmit OOORcv 0-win  Local Address      Foreign Address', 'fffff80012a3c7a0 tcp4       0      0     0  203.0.113.10.22    198.51.100.7.50122'],
      rows: ['tcp4 203.0.113.10:22 198.51.100.7:50122 UNKNOWN'],
    },
    {
      name: 'FreeBSD -x (socket buffers and timers, no state)',
      text: ['Active Internet connections', 'Proto Recv-Q Send-Q  Local Address          Foreign Address        R-HIWA S-HIWA R-LOWA S-LOWA R-BCNT S-BCNT R-BMAX S-BMAX   rexmt persist    keep    2msl  delack rcvtime',
        'tcp4       0     36  203.0.113.10.80        147.46.1.2.51234        65700  33580      1   2048      0      0 525600 268640    0.00    0.00 7199.83    0.00    0.00    0.16',
        'udp4       0      0  *.514                  *.*                     42080   9216      1   2048      0      0 336640  73728    0.00    0.00    0.00    0.00    0.00    0.00'],
      rows: ['tcp4 203.0.113.10:80 147.46.1.2:51234 UNKNOWN', 'udp4 *:514 *:null UNKNOWN'],
      queues: [0, 36],
    },
    {
      name: 'FreeBSD -Lan (listen queues, local address only; UNIX rows passed over)',
      text: ['Current listen queue sizes (qlen/incqlen/maxqlen)', 'Proto Listen                           Local Address', 'tcp4  0/0/128                          *.80', 'tcp6  0/0/128                          *.22', 'unix  0/0/4                            /var/run/devd.pipe'],
      rows: ['tcp4 *:80 *:null LISTEN', 'tcp6 *:22 *:null LISTEN'],
    },
    {
      name: 'OpenBSD -an (TCP-State, Internet6 section)',
      text: ['Active Internet connections (including servers)', 'Proto   Recv-Q Send-Q  Local Address          Foreign Address        TCP-State', 'tcp          0      0  203.0.113.10.80        147.46.1.2.51234       ESTABLISHED', 'udp          0      0  *.514                  *.*',
        'Active Internet6 connections (including servers)', 'Proto   Recv-Q Send-Q  Local Address                  Foreign Address                TCP-State', 'tcp6         0      0  *.22                           *.*                            LISTEN'],
      rows: ['tcp4 203.0.113.10:80 147.46.1.2:51234 ESTABLISHED', 'udp4 *:514 *:null UNKNOWN', 'tcp6 *:22 *:null LISTEN'],
    },
    {
      name: 'NetBSD -an (State header)',
      text: ['Active Internet connections (including servers)', 'Proto Recv-Q Send-Q  Local Address          Foreign Address        State', 'tcp        0      0  203.0.113.10.80        147.46.1.2.51234       ESTABLISHED', 'tcp        0      0  *.22                   *.*                    LISTEN'],
      rows: ['tcp4 203.0.113.10:80 147.46.1.2:51234 ESTABLISHED', 'tcp4 *:22 *:null LISTEN'],
    },
    {
      name: 'AIX -Aan with its PCB/ADDR header',
      text: ['Active Internet connections (including servers)', 'PCB/ADDR         Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)', 'f1000e0000b16bb8 tcp4       0      0  *.22               *.*                LISTEN', 'f1000e00003cf3b8 tcp        0      0  203.0.113.10.80    147.46.1.2.51234   ESTABLISHED'],
      rows: ['tcp4 *:22 *:null LISTEN', 'tcp4 203.0.113.10:80 147.46.1.2:51234 ESTABLISHED'],
    },
  ];
  for (const { name, text, rows, queues } of cases) {
    it(name, () => {
      const input = text.join('\n');
      expect(detected(input)).toBe('netstat-bsd');
      const parsed = parseAs('netstat-bsd', input);
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.connections.map(brief)).toEqual(rows);
      if (queues) expect([parsed.connections[0]?.recvQ, parsed.connections[0]?.sendQ]).toEqual(queues);
    });
  }
});
