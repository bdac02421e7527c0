import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateCaptures } from '../../src/analyze/aggregate.js';
import { PortTally } from '../../src/analyze/port-tally.js';
import { capture, conn } from './helpers.js';

describe('aggregateCaptures', () => {
  it('counts local ports exactly, through the inline slots and the overflow tally', () => {
    // 40 distinct ports, port p used (p % 5) + 1 times: moves past the 3 inline slots and the 16-entry scan.
    const rows = Array.from({ length: 40 }, (_, p) => Array.from({ length: (p % 5) + 1 }, () => conn('147.46.1.1', { localPort: 1000 + p, remotePort: 40000 }))).flat();
    const other = [conn('147.46.1.2', { localPort: 80 }), conn('147.46.1.2', { localPort: 80 })];
    const aggregate = aggregateCaptures([capture('a', [...rows, ...other])], [80]);
    const [first, second] = aggregate.remotes;
    expect(first?.identity.ip).toBe('147.46.1.1');
    expect(new Map(first!.localPorts.entries())).toEqual(new Map(Array.from({ length: 40 }, (_, p) => [1000 + p, (p % 5) + 1])));
    expect(first!.localPorts.serviceCount()).toBe(40);
    expect(second!.localPorts.entries()).toEqual([[80, 2]]);
    expect(second!.idleWebPerCapture[0]).toBe(2);
  });

  it('keeps per-capture counts and first/last capture per remote', () => {
    const aggregate = aggregateCaptures(
      [capture('a', [conn('10.0.0.1')]), capture('b', []), capture('c', [conn('10.0.0.1'), conn('10.0.0.2'), conn('::ffff:10.0.0.1')])],
      [80],
    );
    const byIp = new Map(aggregate.remotes.map((remote) => [remote.identity.ip, remote]));
    expect([...byIp.get('10.0.0.1')!.perCapture]).toEqual([1, 0, 2]);
    expect([byIp.get('10.0.0.1')!.firstCapture, byIp.get('10.0.0.1')!.lastCapture]).toEqual([0, 2]);
    expect([byIp.get('10.0.0.2')!.firstCapture, byIp.get('10.0.0.2')!.lastCapture]).toEqual([2, 2]);
    expect(aggregate.captures.map((c) => [c.connections, c.remotes])).toEqual([[1, 1], [0, 0], [3, 2]]);
  });

  it('counts programs per remote in first-seen order, through the inline slots and the overflow map', () => {
    const withProgram = (ip: string, program: string | null) => ({ ...conn(ip), program });
    const names = ['httpd', 'sshd', 'httpd', 'master', null, 'nginx', 'sshd', 'master'];
    const first = capture('a', names.map((name) => withProgram('198.51.100.1', name)));
    const second = capture('b', [withProgram('198.51.100.1', 'postgres'), withProgram('198.51.100.2', 'sshd'), withProgram('198.51.100.2', 'sshd'), withProgram('198.51.100.3', null)]);
    const aggregate = aggregateCaptures([first, second], [80]);
    const byIp = new Map(aggregate.remotes.map((remote) => [remote.identity.ip, remote]));
    expect([...byIp.get('198.51.100.1')!.programs]).toEqual([['httpd', 2], ['sshd', 2], ['master', 2], ['nginx', 1], ['postgres', 1]]);
    expect([...byIp.get('198.51.100.2')!.programs]).toEqual([['sshd', 2]]);
    expect(byIp.get('198.51.100.3')!.programs.size).toBe(0);
    // The same counts whatever the inputs' own program tables are (each capture tallied alone here).
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('198.51.100.1', '198.51.100.2'), fc.constantFrom('a', 'b', 'c', 'd', null)), { maxLength: 60 }), (rows) => {
        const expected = new Map<string, Map<string, number>>();
        for (const [ip, name] of rows) {
          if (name === null) continue;
          const counts = expected.get(ip) ?? new Map<string, number>();
          counts.set(name, (counts.get(name) ?? 0) + 1);
          expected.set(ip, counts);
        }
        const half = Math.floor(rows.length / 2);
        const result = aggregateCaptures([capture('x', rows.slice(0, half).map(([ip, name]) => withProgram(ip, name))), capture('y', rows.slice(half).map(([ip, name]) => withProgram(ip, name)))], [80]);
        for (const remote of result.remotes) expect([...remote.programs]).toEqual([...(expected.get(remote.identity.ip) ?? new Map())]);
      }),
    );
  });

  it('PortTally agrees with a plain Map on random port sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 200 }), (events) => {
        const tally = new PortTally();
        const counts = new Map<number, number>();
        const inbound = new Set<number>();
        for (const [port, isInbound] of events) {
          tally.add(port, isInbound);
          counts.set(port, (counts.get(port) ?? 0) + 1);
          if (isInbound) inbound.add(port);
        }
        expect(new Map(tally.entries())).toEqual(counts);
        expect(tally.servicePorts()).toEqual([...inbound].sort((a, b) => a - b));
        for (const port of [0, 7, 60, 61]) expect(tally.count(port)).toBe(counts.get(port) ?? 0);
      }),
    );
  });
});
