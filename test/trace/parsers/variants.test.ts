// Trace layouts the real fixtures lack, written from the tools' output code: tracepath `asymm N`
// and `reached` lines, mtr screens whose extra responders are listed by name alone.
import { describe, expect, it } from 'vitest';
import { parseTraceText } from '../../../src/trace/parse.js';

describe('tracepath asymm and reached', () => {
  it('keeps the responder of asymm lines and takes the reached line as the target', () => {
    const result = parseTraceText([
      ' 1?: [LOCALHOST]                      pmtu 1500',
      ' 1:  _gateway                                              0.874ms',
      ' 1:  _gateway                                              0.617ms',
      ' 2:  10.0.0.1                                              5.107ms asymm  3',
      ' 3:  203.0.113.1                                          11.200ms asymm  5 pmtu 1492',
      ' 4:  web.example.net (203.0.113.10)                       12.000ms asymm  5 reached',
      '     Resume: pmtu 1492 hops 4 back 5',
    ].join('\n'), { file: 't' });
    expect(result.format).toBe('tracepath');
    expect(result.diagnostics).toEqual([]);
    const path = result.paths[0]!;
    expect(path.hops.map((hop) => hop.probes.map((probe) => `${probe.ip ?? probe.name}:${probe.rttMs}`).join(' '))).toEqual([
      '_gateway:0.874 _gateway:0.617', '10.0.0.1:5.107', '203.0.113.1:11.2', '203.0.113.10:12',
    ]);
    expect(path.reached).toBe(true);
    expect(path.target).toEqual({ ip: '203.0.113.10', name: 'web.example.net' });
  });
});

describe('mtr screen copies with extra responders on continuation lines', () => {
  it('reads address and name-only continuation lines as further responders of the hop above', () => {
    const result = parseTraceText([
      '                             My traceroute  [v0.93]',
      'client (192.168.1.76)                                  2021-02-21T12:21:18+0100',
      'Keys:  Help   Display mode   Restart statistics   Order of fields   quit',
      '                                       Packets               Pings',
      ' Host                                Loss%   Snt   Last   Avg  Best  Wrst StDev',
      ' 1. 192.168.1.254                     0.0%     5    3.2   4.1   2.5   8.9   2.7',
      ' 2. be-10.core1.example.net           0.0%     5    8.7  14.9   8.3  38.9  13.4',
      '    be-11.core1.example.net',
      '    10.1.131.185',
      ' 3. 10.250.139.186                    0.0%     5    9.4  10.0   9.4  10.8   0.5',
      ' 4. (waiting for reply)',
    ].join('\n'), { file: 'm' });
    expect(result.format).toBe('mtr-report');
    expect(result.diagnostics).toEqual([]);
    const hop2 = result.paths[0]!.hops.find((hop) => hop.ttl === 2)!;
    expect(hop2.probes.map((probe) => [probe.ip, probe.name])).toEqual([
      [null, 'be-10.core1.example.net'], [null, 'be-11.core1.example.net'], ['10.1.131.185', null],
    ]);
  });

  it('still reports an indented line that is no host', () => {
    const result = parseTraceText(' Host   Loss%   Snt   Last   Avg  Best  Wrst StDev\n 1. 192.168.1.254   0.0%  5  3.2  4.1  2.5  8.9  2.7\n    ### not a host ###\n', { file: 'm' });
    expect(result.diagnostics.map((d) => d.reason)).toEqual(['not an mtr row']);
  });
});
