// PowerShell Get-NetTCPConnection: InSpec's real `| ConvertTo-Json` (no expected output upstream:
// the expectations were written by reading its 2 objects); the console tables have no public real
// capture, so those cases are written from the cmdlet's documented default view (see also the
// synthetic samples/captures/windows-get-nettcpconnection.txt).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFormat } from '../../../src/capture/parse-capture-text.js';
import { detectCaptureFormat } from '../../../src/capture/registry.js';
import { powershell } from '../../../src/capture/parsers/powershell.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const parse = (text: string) => runFormat(powershell, text, 'test');

describe('powershell: inspec/get-net-tcpconnection (ConvertTo-Json)', () => {
  const text = readFileSync(join(FIXTURES, 'real/inspec/get-net-tcpconnection'), 'utf8');
  const parsed = parse(text);

  it('is detected and both objects are read, State 2 mapped to Listen', () => {
    expect(detectCaptureFormat(text)?.format.name).toBe('powershell');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => [c.protocol, c.ipVersion, c.localAddress, c.localPort, c.remoteAddress, c.remotePort, c.state, c.rawState, c.source.line])).toEqual([
      ['tcp', 6, '::', 135, '::', 0, 'LISTEN', 'Listen', 2],
      ['tcp', 4, '192.168.10.157', 135, '0.0.0.0', 0, 'LISTEN', 'Listen', 13],
    ]);
  });
});

describe('powershell layouts without a real capture', () => {
  it('the default table: blank AppliedSetting cells, a prompt line, an address cut with ...', () => {
    const parsed = parse([
      'PS C:\\> Get-NetTCPConnection',
      '',
      'LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess',
      '------------                        --------- -------------                       ---------- -----       -------------- -------------',
      '::                                      49669 ::                                           0 Listen                               780',
      '203.0.113.10                               80 147.46.1.2                               51234 Established Internet                  4',
      '2001:db8:85a3:1234:5678:8a2e:370... 443       2001:db8::9                              61000 TimeWait                              0',
      '',
    ].join('\r\n'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => [c.localAddress, c.localPort, c.remoteAddress, c.remotePort, c.state, c.pid])).toEqual([
      ['::', 49669, '::', 0, 'LISTEN', 780],
      ['203.0.113.10', 80, '147.46.1.2', 51234, 'ESTABLISHED', 4],
      ['2001:db8:85a3:1234:5678:8a2e:370', 443, '2001:db8::9', 61000, 'TIME_WAIT', 0],
    ]);
    expect(parsed.connections[2]?.truncated).toEqual(['localAddress']);
    expect(parsed.connections[2]?.ipVersion).toBe(6);
  });

  it('Format-Table -AutoSize, and Get-NetUDPEndpoint (UDP, no remote columns)', () => {
    const parsed = parse([
      'LocalAddress LocalPort RemoteAddress RemotePort       State AppliedSetting OwningProcess',
      '------------ --------- ------------- ----------       ----- -------------- -------------',
      '203.0.113.10        80 147.46.1.2         51234 Established Internet                   4',
      '0.0.0.0             80 0.0.0.0                0      Listen                            4',
      '',
      'LocalAddress LocalPort',
      '------------ ---------',
      '0.0.0.0            500',
    ].join('\n'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.connections.map((c) => `${c.protocol} ${c.localAddress}:${c.localPort} ${c.remoteAddress}:${c.remotePort} ${c.state} ${c.pid}`)).toEqual([
      'tcp 203.0.113.10:80 147.46.1.2:51234 ESTABLISHED 4',
      'tcp 0.0.0.0:80 0.0.0.0:0 LISTEN 4',
      'udp 0.0.0.0:500 *:null UNKNOWN null',
    ]);
  });

  it('JSON: one object (not an array), string states, Bound, a process name column', () => {
    const single = parse('{\n    "LocalAddress":  "203.0.113.10",\n    "LocalPort":  80,\n    "RemoteAddress":  "147.46.1.2",\n    "RemotePort":  51234,\n    "State":  "Established",\n    "OwningProcess":  4,\n    "ProcessName":  "httpd"\n}\n');
    expect(single.diagnostics).toEqual([]);
    expect(single.connections[0]).toMatchObject({ state: 'ESTABLISHED', pid: 4, program: 'httpd', source: { line: 1 } });
    const codes = parse(JSON.stringify([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100].map((state) => ({ LocalAddress: '10.0.0.1', LocalPort: 1, RemoteAddress: '10.0.0.2', RemotePort: 2, State: state }))));
    expect(codes.diagnostics).toEqual([]);
    expect(codes.connections.map((c) => c.state)).toEqual(['CLOSE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'UNKNOWN', 'UNKNOWN']);
    expect(codes.connections.slice(-2).map((c) => c.rawState)).toEqual(['DeleteTCB', 'Bound']);
  });

  it('reports broken JSON and bad objects instead of throwing', () => {
    expect(parse('[{"LocalAddress": "1.2.3.4", "LocalPort": 1,').diagnostics[0]?.reason).toMatch(/^not valid JSON/);
    const bad = parse('[\n  {"LocalAddress": "1.2.3.4", "LocalPort": 1, "RemoteAddress": "5.6.7.8", "RemotePort": 2, "State": 77},\n  "text"\n]');
    expect(bad.diagnostics.map((d) => [d.line, d.reason])).toEqual([[2, "unknown state '77'"], [3, 'not a connection object']]);
  });
});

describe('powershell JSON, fuzzed', () => {
  it('arbitrary objects and values: no throw, one row or one diagnostic per array element', async () => {
    const fc = (await import('fast-check')).default;
    const value = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 70000 }), fc.constantFrom('::', '10.0.0.1', '147.46.1.2', 'fe80::1%12', 'Listen', 'Established', 'x'), fc.string({ maxLength: 6 }));
    const record = fc.record({ LocalAddress: value, LocalPort: value, RemoteAddress: value, RemotePort: value, State: value, OwningProcess: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(record, value), { maxLength: 12 }), (records) => {
        const parsed = parse(JSON.stringify(records, null, 4));
        expect(parsed.connections.length + parsed.diagnostics.length).toBe(records.length);
      }),
      { numRuns: 300 },
    );
  });
});
