// Every parser: empty input, garbage, arbitrary input (fast-check), and the variants the real
// fixtures do not cover (written from the tools' documented output).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCaptureText, runFormat } from '../../src/capture/parse-capture-text.js';
import { CAPTURE_FORMATS, findCaptureFormat } from '../../src/capture/registry.js';
import { formatNetsleuthCapture } from '../../src/capture/netsleuth-capture.js';
import { decodeProcAddress } from '../../src/capture/parsers/proc-net.js';
import { UserError } from '../../src/errors.js';

const format = (name: string) => {
  const found = findCaptureFormat(name);
  if (!found) throw new Error(`no format ${name}`);
  return found;
};
const parse = (name: string, text: string) => runFormat(format(name), text, 'test');

describe.each(CAPTURE_FORMATS.map((f) => [f.name]))('%s robustness', (name) => {
  it('empty input: no rows, no diagnostics', () => {
    const parsed = parse(name, '');
    expect(parsed.connections).toEqual([]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('garbage: no rows, and it is reported rather than thrown', () => {
    const garbage = 'tcp  x y z\n\u0000\u0001\u00ff binary \u001b[31m junk\n]]]{{{\n';
    const parsed = parse(name, garbage);
    expect(parsed.connections).toEqual([]);
    expect(format(name).detect(garbage)).toBeLessThan(0.5);
  });

  it('never throws on arbitrary text, with or without its own sample around it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (text, withSample) => {
        const input = withSample ? `${format(name).sample}\n${text}\n${format(name).sample}` : text;
        format(name).detect(input);
        const parsed = parse(name, input);
        for (const connection of parsed.connections) {
          expect(['tcp', 'udp']).toContain(connection.protocol);
          expect(connection.localAddress.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on mutated lines of its sample', () => {
    const lines = format(name).sample.split(/\r?\n/);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: 200 }), fc.string({ maxLength: 8 }), (lineIndex, at, insert) => {
        const mutated = [...lines];
        const line = mutated[lineIndex] ?? '';
        mutated[lineIndex] = line.slice(0, at) + insert + line.slice(at + insert.length);
        parse(name, mutated.join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('auto-detection over arbitrary input', () => {
  it('either picks a format or throws a UserError naming the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          parseCaptureText(text, { file: 'fuzz.txt' });
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          expect((error as Error).message).toContain('fuzz.txt');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('non-connection outputs are refused with what they are', () => {
  it.each([
    ['Kernel IP routing table\nDestination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n0.0.0.0         192.0.2.1       0.0.0.0         UG        0 0          0 eth0\n', /routing table \(netstat -r\)/],
    ['Kernel Interface table\nIface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\neth0      1500  1234      0      0 0          99      0      0      0 BMRU\n', /interface table \(netstat -i\)/],
    ['Ip:\n    Forwarding: 2\n    24000 total packets received\nTcp:\n    120 active connection openings\n', /protocol statistics \(netstat -s\)/],
    ['tcp:\n\t1234 packets sent\n\t\t1000 data packets (1 byte)\n', /protocol statistics/],
    ['\r\nIPv4 Statistics\r\n\r\n  Packets Received                   = 1234\r\n', /protocol statistics/],
  ])('%#', (text, message) => {
    expect(() => parseCaptureText(text, { file: 'x.txt' })).toThrowError(message);
  });

  it('an empty input says so', () => {
    expect(() => parseCaptureText('', { file: 'empty.txt' })).toThrowError(/empty.txt: empty input/);
  });

  it('an unknown --input-format lists the choices', () => {
    expect(() => parseCaptureText('x', { file: 'x', inputFormat: 'nope' })).toThrowError(/choices: netsleuth-capture, .*netstat-linux/);
  });
});

describe('netstat-linux variants', () => {
  it('keeps garbled rows out and reports them with line numbers', () => {
    const text = [
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED',
      'tcp        0      0 203.0.113.10:80         198.51.100.7:5123',
      'tcp        0      0 203.0.113.10:80',
      'garbage in the middle',
      'tcp        0      0 203.0.113.10:80         198.51.100.8:40000      SYN_RECV',
    ].join('\n');
    const parsed = parse('netstat-linux', text);
    expect(parsed.connections.map((c) => [c.remoteAddress, c.state, c.source.line])).toEqual([['198.51.100.7', 'ESTABLISHED', 2], ['198.51.100.8', 'SYN_RECV', 6]]);
    expect(parsed.diagnostics.map((d) => d.line)).toEqual([3, 4, 5]);
  });

  it('reads -e/-o columns and maps IPv4-mapped IPv6 to IPv4 while the socket stays tcp6', () => {
    const text = [
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name     Timer',
      'tcp6       0      0 ::ffff:203.0.113.10:80  ::ffff:198.51.100.7:51234 ESTABLISHED 33       41558      813/httpd -k start   keepalive (7168.69/0/0)',
    ].join('\n');
    const [connection] = parse('netstat-linux', text).connections;
    expect(connection).toMatchObject({ ipVersion: 6, localAddress: '203.0.113.10', remoteAddress: '198.51.100.7', remotePort: 51234, pid: 813, program: 'httpd -k start' });
  });

  it('maps service names and keeps unknown ones with port null', () => {
    const text = 'tcp        0      0 web1:http               client.example:nosuchsvc ESTABLISHED';
    const [connection] = parse('netstat-linux', text).connections;
    expect(connection).toMatchObject({ localAddress: 'web1', localPort: 80, remoteAddress: 'client.example', remotePort: null, unknownServices: { remote: 'nosuchsvc' } });
  });

  it('sanitizes control characters in program names', () => {
    const text = 'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/ev\u001b[2Jil\u202e';
    expect(parse('netstat-linux', text).connections[0]?.program).toBe('evil');
  });
});

describe('ss variants', () => {
  it('reads ss -tan without a Netid column and ss -H without a header', () => {
    const withHeader = 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\nLISTEN 0      511    0.0.0.0:80          0.0.0.0:*\nESTAB  0      0      [::ffff:203.0.113.10]:80 [::ffff:198.51.100.7]:51234\n';
    const parsed = parse('ss', withHeader);
    expect(parsed.connections.map((c) => [c.protocol, c.ipVersion, c.localAddress, c.remoteAddress, c.remotePort, c.state])).toEqual([
      ['tcp', 4, '0.0.0.0', '0.0.0.0', null, 'LISTEN'],
      ['tcp', 6, '203.0.113.10', '198.51.100.7', 51234, 'ESTABLISHED'],
    ]);
    const headerless = 'tcp   ESTAB 0 0 203.0.113.10:22 198.51.100.9:40100 users:(("sshd",pid=901,fd=4),("sshd",pid=950,fd=4))\nudp   UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:*\n';
    expect(findCaptureFormat('ss')?.detect(headerless)).toBeGreaterThanOrEqual(0.5);
    const rows = parseCaptureText(headerless, { file: 'h' }).connections;
    expect(rows.map((c) => [c.protocol, c.pid, c.program, c.scope ?? null, c.state])).toEqual([['tcp', 901, 'sshd', null, 'ESTABLISHED'], ['udp', null, null, 'lo', 'CLOSE']]);
  });
});

describe('proc-net', () => {
  it('decodes little-endian IPv4 and IPv6 words', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('0A7100CB')).toBe('203.0.113.10');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('0:0:0:0:0:0:0:1');
    expect(decodeProcAddress('0000000000000000FFFF00000A7100CB')).toBe('0:0:0:0:0:ffff:cb00:710a');
  });

  it('reads udp tables by their header and tcp6 by address width', () => {
    const udp = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n  1: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 26984 2 0000000000000000 0\n';
    expect(parse('proc-net', udp).connections[0]).toMatchObject({ protocol: 'udp', localAddress: '127.0.0.53', localPort: 53, state: 'CLOSE', rawState: '07' });
    const tcp6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23461 1 0000000000000000 100 0 0 10 0\n';
    expect(parse('proc-net', tcp6).connections[0]).toMatchObject({ protocol: 'tcp', ipVersion: 6, localAddress: '::', localPort: 22, state: 'LISTEN' });
  });
});

describe('csv', () => {
  it('reads PowerShell Get-NetTCPConnection exports, including IPv6 and numeric states', () => {
    const text = [
      '#TYPE Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetTCPConnection',
      '"LocalAddress","LocalPort","RemoteAddress","RemotePort","State","OwningProcess"',
      '"::","443","::","0","Listen","4"',
      '"203.0.113.10","443","198.51.100.7","51234","5","4"',
      '"203.0.113.10","443","not an ip!","51234","Established","4"',
    ].join('\r\n');
    const parsed = parseCaptureText(text, { file: 'ps.csv' });
    expect(parsed.info.format).toBe('csv');
    expect(parsed.connections.map((c) => [c.ipVersion, c.localAddress, c.remoteAddress, c.remotePort, c.state, c.pid])).toEqual([
      [6, '::', '::', 0, 'LISTEN', 4],
      [4, '203.0.113.10', '198.51.100.7', 51234, 'ESTABLISHED', 4],
      [4, '203.0.113.10', 'not an ip!', 51234, 'ESTABLISHED', 4],
    ]);
  });

  it('reads Get-NetUDPEndpoint exports as udp', () => {
    const text = '"LocalAddress","LocalPort","OwningProcess"\n"0.0.0.0","500","696"\n';
    expect(parseCaptureText(text, { file: 'u.csv' }).connections[0]).toMatchObject({ protocol: 'udp', localPort: 500, remoteAddress: '*', remotePort: null, state: 'UNKNOWN', pid: 696 });
  });
});

describe('netsleuth capture files', () => {
  it('round-trips connections, host and time; header values cannot forge lines', () => {
    const source = parse('netstat-linux', [
      'tcp        0      0 203.0.113.10:80         198.51.100.7:51234      ESTABLISHED 813/=cmd|evil',
      'tcp6       0      0 :::22                   :::*                    LISTEN      1/sshd, "quoted"',
    ].join('\n')).connections;
    const text = formatNetsleuthCapture({ host: 'web1\n# captured-at: 1999-01-01T00:00:00Z', capturedAt: '2026-11-28T16:49:23Z', source: 'ss -tanp' }, source);
    expect(text.split('\n').filter((line) => line.startsWith('# captured-at'))).toHaveLength(1);
    const capture = parseCaptureText(text, { file: 'cap.txt' });
    expect(capture.info).toMatchObject({ format: 'netsleuth-capture', capturedAt: '2026-11-28T16:49:23.000Z', host: 'web1# captured-at: 1999-01-01T00:00:00Z' });
    expect(capture.diagnostics).toEqual([]);
    const strip = (c: (typeof source)[number]) => ({ ...c, source: undefined });
    expect(capture.connections.map(strip)).toEqual(source.map(strip));
    expect(capture.connections[0]?.source.line).toBe(6);
  });
});

describe('jc-json', () => {
  it('reads ss and netstat records and reports non-objects', () => {
    const text = JSON.stringify([
      { netid: 'tcp', state: 'ESTAB', recv_q: 0, send_q: 0, local_address: '[::ffff:203.0.113.10]', local_port: '80', peer_address: '198.51.100.7', peer_port: '51234' },
      { proto: 'tcp4', recv_q: 0, send_q: 0, local_address: '203.0.113.10', local_port: 'http', foreign_address: '198.51.100.8', foreign_port: '40000', state: 'SYN_RCVD', kind: 'network' },
      42,
    ]);
    const capture = parseCaptureText(text, { file: 'jc.json' });
    expect(capture.connections.map((c) => [c.ipVersion, c.localAddress, c.localPort, c.remoteAddress, c.state])).toEqual([
      [6, '203.0.113.10', 80, '198.51.100.7', 'ESTABLISHED'],
      [4, '203.0.113.10', 80, '198.51.100.8', 'SYN_RECV'],
    ]);
    expect(capture.diagnostics.map((d) => d.line)).toEqual([3]);
  });
});
