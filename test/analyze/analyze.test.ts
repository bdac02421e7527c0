import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../../src/analyze/index.js';
import type { Connection } from '../../src/model/connection.js';
import { attribution, capture, conn, input, listener, many, rdns } from './helpers.js';

function mixed(): Connection[] {
  return [
    listener(80),
    listener(22),
    conn('*', { localAddress: '0.0.0.0', localPort: 53, remotePort: null, state: 'UNKNOWN' }),
    conn('::', { localAddress: '::', localPort: 80, remotePort: 0, state: 'UNKNOWN' }),
    ...many(3, '147.46.10.20'),
    conn('147.46.10.20', { localPort: 443, state: 'TIME_WAIT' }),
    conn('::ffff:147.46.10.20', { localPort: 443, state: 'SYN_RECV' }),
    ...many(2, '2001:db8::7'),
    conn('2001:0db8:0:0::7', { localPort: 22, program: 'sshd' }),
    conn('141.223.1.5', { state: 'FIN_WAIT2', program: 'httpd' }),
    conn('141.223.1.5', { program: 'httpd' }),
    conn('8.8.8.8', { localPort: 40000, remotePort: 53, state: 'TIME_WAIT' }),
  ];
}

const attributions = new Map([
  ['147.46.10.20', attribution('147.46.10.20', { country: 'KR', countryName: 'South Korea', asn: 9488, asOrg: 'Seoul National University', institution: { name: 'Seoul National University', type: 'academic', evidence: [] } })],
  ['141.223.1.5', attribution('141.223.1.5', { country: 'KR', countryName: 'South Korea', asn: 3784, asOrg: 'Pohang University of Science and Technology', institution: { name: 'POSTECH', type: 'academic', evidence: [] } })],
  ['8.8.8.8', attribution('8.8.8.8', { country: 'US', countryName: 'United States', asn: 15169, asOrg: 'Google LLC' })],
]);

describe('analyze: totals and profiles', () => {
  const analysis = analyze(input([capture('a.txt', mixed())], { attributions }));

  it('counts sockets with a remote peer as connections and listeners separately', () => {
    expect(analysis.totals.connections).toBe(11);
    expect(analysis.totals.listening).toBe(4);
    expect(analysis.totals.remotes).toBe(4);
    expect(analysis.totals.states).toEqual({ ESTABLISHED: 7, SYN_RECV: 1, FIN_WAIT2: 1, TIME_WAIT: 2 });
  });

  it('merges IPv4-mapped and uncompressed IPv6 spellings into one canonical remote', () => {
    expect(analysis.remotes.map((remote) => [remote.ip, remote.connections])).toEqual([
      ['147.46.10.20', 5],
      ['2001:db8::7', 3],
      ['141.223.1.5', 2],
      ['8.8.8.8', 1],
    ]);
  });

  it('profiles each remote: states, local ports, programs, share, captures, attribution', () => {
    const snu = analysis.remotes[0]!;
    expect(snu.states).toEqual({ ESTABLISHED: 3, SYN_RECV: 1, TIME_WAIT: 1 });
    expect(snu.localPorts).toEqual([{ port: 80, connections: 3 }, { port: 443, connections: 2 }]);
    expect(snu.share).toBeCloseTo(5 / 11);
    expect(snu.institution?.name).toBe('Seoul National University');
    expect(snu.rdns.status).toBe('skipped');
    expect([snu.firstCapture, snu.lastCapture]).toEqual([0, 0]);
    const postech = analysis.remotes.find((remote) => remote.ip === '141.223.1.5')!;
    expect(postech.programs).toEqual([{ program: 'httpd', connections: 2 }]);
    const v6 = analysis.remotes.find((remote) => remote.ip === '2001:db8::7')!;
    expect(v6.ipVersion).toBe(6);
    expect(v6.country).toBeNull();
  });

  it('builds country and institution breakdowns sorted by connections', () => {
    expect(analysis.countries).toEqual([
      { country: 'KR', countryName: 'South Korea', connections: 7, remotes: 2 },
      { country: 'US', countryName: 'United States', connections: 1, remotes: 1 },
    ]);
    expect(analysis.institutions.map((institution) => [institution.name, institution.type, institution.asn, institution.connections])).toEqual([
      ['Seoul National University', 'academic', 9488, 5],
      ['POSTECH', 'academic', 3784, 2],
      ['Google LLC', 'unknown', 15169, 1],
    ]);
    const kinds = new Set(analysis.clusters.map((cluster) => cluster.kind));
    expect(kinds).toEqual(new Set(['prefix', 'asn', 'institution', 'country']));
    const connections = analysis.clusters.map((cluster) => cluster.connections);
    expect([...connections].sort((a, b) => b - a)).toEqual(connections);
    const kr = analysis.clusters.find((cluster) => cluster.kind === 'country' && cluster.key === 'KR')!;
    expect(kr).toMatchObject({ label: 'South Korea', connections: 7, remotes: 2, summary: { countries: ['KR'], asns: [9488, 3784] } });
  });

  it('summarises attribution in plain words on the dominant port', () => {
    // Port 80: 3 + 2 from South Korea, 2 from the IPv6 address; 8.8.8.8 is our own outbound DNS socket.
    expect(analysis.summary).toBe('71% of port-80 connections came from 2 addresses in 2 networks in South Korea: Seoul National University (academic), POSTECH (academic).');
    expect(analysis.verdict).toMatch(/^No attack pattern reached its threshold across 11 connections from 4 addresses\./);
  });

  it('handles empty input', () => {
    const empty = analyze(input([]));
    expect(empty.totals).toEqual({ connections: 0, remotes: 0, listening: 0, states: {} });
    expect(empty.clusters).toEqual([]);
    expect(empty.timeline).toBeNull();
    expect(empty.summary).toMatch(/No connections/);
    expect(analyze(input([capture('only-listeners', [listener(80)])])).totals.listening).toBe(1);
  });
});

describe('analyze: determinism', () => {
  function shuffled<T>(list: T[], seed: number): T[] {
    const copy = [...list];
    let state = seed;
    for (let i = copy.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const j = state % (i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
  const rows = [...mixed(), ...many(160, '147.46.10.21'), ...many(30, '147.46.11.1'), ...many(25, '141.223.9.9', { localPort: 443 })];
  const rdnsMap = new Map([['147.46.10.20', rdns('ok', ['a.snu.ac.kr'], 'confirmed')], ['8.8.8.8', rdns('nxdomain')]]);

  it('gives byte-identical JSON for the same input twice', () => {
    const a = JSON.stringify(analyze(input([capture('a', rows)], { attributions, rdns: rdnsMap })));
    const b = JSON.stringify(analyze(input([capture('a', rows)], { attributions, rdns: rdnsMap })));
    expect(a).toBe(b);
  });

  it('does not depend on connection order or on the insertion order of enrichment maps', () => {
    const reference = JSON.stringify(analyze(input([capture('a', rows)], { attributions, rdns: rdnsMap })));
    for (const seed of [1, 2, 3]) {
      const reversedAttributions = new Map(shuffled([...attributions], seed));
      const reversedRdns = new Map([...rdnsMap].reverse());
      const result = JSON.stringify(analyze(input([capture('a', shuffled(rows, seed))], { attributions: reversedAttributions, rdns: reversedRdns })));
      expect(result).toBe(reference);
    }
  });

  it('never throws on arbitrary connections (property)', () => {
    const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('*', '0.0.0.0', '::', 'host.example', ''), fc.string({ maxLength: 8 }));
    const state = fc.constantFrom('ESTABLISHED', 'SYN_RECV', 'LISTEN', 'TIME_WAIT', 'UNKNOWN', 'CLOSE_WAIT') as fc.Arbitrary<Connection['state']>;
    const port = fc.option(fc.integer({ min: 0, max: 65535 }));
    const queue = fc.option(fc.integer({ min: 0, max: 100000 }));
    const row = fc.record({ address, state, localPort: port, remotePort: port, recvQ: queue, sendQ: queue });
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 30 }), { maxLength: 3 }), (captures) => {
        const analysis = analyze(input(captures.map((rowsOf, index) => capture(`c${index}`, rowsOf.map((r) => conn(r.address, r))))));
        expect(analysis.totals.connections).toBe(analysis.remotes.reduce((sum, remote) => sum + remote.connections, 0));
        const own = analysis.clusters.filter((cluster) => cluster.kind === 'prefix').reduce((sum, cluster) => sum + (cluster.ownConnections ?? 0), 0);
        expect(own).toBeLessThanOrEqual(analysis.totals.connections);
      }),
      { numRuns: 150 },
    );
  });
});
