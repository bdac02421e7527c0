import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { aguriPrefixes, formatPrefix, prefixContains, type PrefixLeaf } from '../../src/analyze/prefix-clusters.js';
import { analyze } from '../../src/analyze/index.js';
import { ipv4ToInt } from '../../src/net/ip.js';
import { attribution, capture, input, many } from './helpers.js';

const v4 = (ip: string, connections: number): PrefixLeaf => ({ address: ipv4ToInt(ip), connections });

describe('Aguri prefix clusters', () => {
  // Hand-computed, threshold 10% of 100 connections = 10:
  //  147.46.1.1 (40) is a /32 cluster on its own.
  //  147.46.1.2 (5) + 147.46.1.3 (5) first reach 10 together at 147.46.1.2/31.
  //  147.46.200.9 (6) and 147.46.100.9 (6) first meet at 147.46.0.0/16 (third octets 11001000 / 01100100
  //  differ in the first bit): own 12 after the /32 and /31 were taken out; everything under it is 62.
  //  141.223.5.5 (8) and 8.8.8.8 (9) stay below 10 until the root: 0.0.0.0/0 own 17 of 79.
  //  2001:db8::1 (21) is a /128 cluster; nothing is left for ::/0.
  const expected = [
    { key: '0.0.0.0/0', connections: 79, ownConnections: 17 },
    { key: '147.46.0.0/16', connections: 62, ownConnections: 12 },
    { key: '147.46.1.1/32', connections: 40, ownConnections: 40 },
    { key: '2001:db8::1/128', connections: 21, ownConnections: 21 },
    { key: '147.46.1.2/31', connections: 10, ownConnections: 10 },
  ];
  const counts: [string, number][] = [
    ['147.46.1.1', 40], ['147.46.1.2', 5], ['147.46.1.3', 5], ['147.46.200.9', 6], ['147.46.100.9', 6],
    ['141.223.5.5', 8], ['8.8.8.8', 9], ['2001:db8::1', 21],
  ];

  it('reports every prefix whose own count reaches the threshold (pure function)', () => {
    const leaves4 = counts.filter(([ip]) => !ip.includes(':')).map(([ip, n]) => v4(ip, n));
    const leaves6: PrefixLeaf[] = [{ address: 0x20010db8n << 96n | 1n, connections: 21 }];
    const hits = aguriPrefixes(leaves4, leaves6, 100, 0.1)
      .map((hit) => ({ key: formatPrefix(hit), connections: hit.connections, ownConnections: hit.ownConnections }))
      .sort((a, b) => b.connections - a.connections);
    expect(hits).toEqual(expected);
  });

  it('never lifts a leaf above its route: leftovers at a route stay out of coarser prefixes', () => {
    // Same leaves, capped at their routes: 147.46.0.0/16 (SNU), 141.223.0.0/16, 8.8.8.0/24.
    // 147.46.200.9 + 147.46.100.9 still meet at their route, the /16 (own 12); 141.223.5.5 (8) and
    // 8.8.8.8 (9) stay below 10 at their routes and never reach 0.0.0.0/0.
    const caps: Record<string, number> = { '147.46': 16, '141.223': 16, '8.8': 24 };
    const leaves4 = counts.filter(([ip]) => !ip.includes(':')).map(([ip, n]) => ({ ...v4(ip, n), cap: caps[ip.split('.').slice(0, 2).join('.')] ?? 0 }));
    const hits = aguriPrefixes(leaves4, [], 100, 0.1).map((hit) => formatPrefix(hit)).sort();
    expect(hits).toEqual(['147.46.0.0/16', '147.46.1.1/32', '147.46.1.2/31']);
    // A leaf capped at /32 is never aggregated, however low the threshold.
    const alone = aguriPrefixes([{ ...v4('192.0.2.1', 3), cap: 32 }, { ...v4('192.0.2.2', 3), cap: 32 }], [], 6, 0.9);
    expect(alone).toEqual([]);
    // Without caps the same two meet at 192.0.2.0/30.
    expect(aguriPrefixes([v4('192.0.2.1', 3), v4('192.0.2.2', 3)], [], 6, 0.9).map((hit) => formatPrefix(hit))).toEqual(['192.0.2.0/30']);
  });

  it('reports the same clusters through analyze(), sorted by connections, with states and remote counts', () => {
    const connections = counts.flatMap(([ip, n]) => many(n, ip));
    const analysis = analyze(input([capture('a', connections)], { options: { clusterThreshold: 0.1 } }));
    const prefixes = analysis.clusters.filter((cluster) => cluster.kind === 'prefix');
    expect(prefixes.map(({ key, connections: c, ownConnections }) => ({ key, connections: c, ownConnections }))).toEqual(expected);
    const slash16 = prefixes.find((cluster) => cluster.key === '147.46.0.0/16')!;
    expect(slash16.remotes).toBe(5);
    expect(slash16.states).toEqual({ ESTABLISHED: 62 });
    expect(slash16.share).toBeCloseTo(0.62);
  });

  it('labels a prefix after its own part, not after the heavier sub-prefixes reported on their own', () => {
    const connections = counts.flatMap(([ip, n]) => many(n, ip));
    const snu = { asn: 9488, asOrg: 'Seoul National University', country: 'KR', countryName: 'South Korea' };
    const attributions = new Map([
      ...['147.46.1.1', '147.46.1.2', '147.46.1.3', '147.46.200.9', '147.46.100.9'].map((ip) => [ip, attribution(ip, snu)] as const),
      ['141.223.5.5', attribution('141.223.5.5', { asn: 3784, asOrg: 'POSTECH', country: 'KR', countryName: 'South Korea' })],
      ['8.8.8.8', attribution('8.8.8.8', { asn: 15169, asOrg: 'Google LLC', country: 'US', countryName: 'United States' })],
    ]);
    const analysis = analyze(input([capture('a', connections)], { attributions, options: { clusterThreshold: 0.1 } }));
    const label = (key: string) => analysis.clusters.find((cluster) => cluster.kind === 'prefix' && cluster.key === key)?.label;
    // Own part of 0.0.0.0/0: Google 9 + POSTECH 8; Google carries most of those 17, so no 'and others',
    // and two ASes, so no AS number. The /16's own part is all AS9488: the label names it.
    expect(label('0.0.0.0/0')).toBe('Google LLC, US');
    expect(label('147.46.0.0/16')).toBe('AS9488 Seoul National University, KR');
    expect(label('2001:db8::1/128')).toBe('unattributed');
    const root = analysis.clusters.find((cluster) => cluster.key === '0.0.0.0/0')!;
    expect(root.summary.countries).toEqual(['KR', 'US']);
  });

  it('reports nothing for no connections, and everything at /32 when one address dominates', () => {
    expect(aguriPrefixes([], [], 0, 0.05)).toEqual([]);
    const hits = aguriPrefixes([v4('10.0.0.1', 100)], [], 100, 0.05);
    expect(hits.map(formatPrefix)).toEqual(['10.0.0.1/32']);
  });

  it('prefixContains and formatPrefix agree on network boundaries', () => {
    const hit = { version: 4 as const, network: ipv4ToInt('147.46.0.0'), length: 15 };
    expect(formatPrefix(hit)).toBe('147.46.0.0/15');
    expect(prefixContains(hit, ipv4ToInt('147.47.255.255'))).toBe(true);
    expect(prefixContains(hit, ipv4ToInt('147.48.0.0'))).toBe(false);
    expect(prefixContains(hit, 5n)).toBe(false);
  });

  // Oracle: the definition applied naively, top-down over sets of leaves at every length.
  function naive(leaves: PrefixLeaf[], total: number, threshold: number): string[] {
    const taken = new Set<number>();
    const hits: string[] = [];
    for (let length = 32; length >= 0; length--) {
      const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
      const groups = new Map<number, PrefixLeaf[]>();
      for (const leaf of leaves) {
        const key = (Number(leaf.address) & mask) >>> 0;
        groups.set(key, [...(groups.get(key) ?? []), leaf]);
      }
      const newlyTaken: number[] = [];
      for (const [key, group] of groups) {
        const own = group.filter((leaf) => !taken.has(Number(leaf.address))).reduce((sum, leaf) => sum + leaf.connections, 0);
        if (own > 0 && own >= threshold * total) {
          hits.push(`${formatPrefix({ version: 4, network: key, length })}=${own}`);
          newlyTaken.push(...group.map((leaf) => Number(leaf.address)));
        }
      }
      for (const address of newlyTaken) taken.add(address);
    }
    return hits.sort();
  }

  it('matches a naive implementation of the definition on random inputs', () => {
    const leaf = fc.record({ address: fc.integer({ min: 0, max: 0xffffffff }), connections: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(fc.uniqueArray(leaf, { selector: (l) => l.address, maxLength: 40 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), (leaves, threshold) => {
        const total = leaves.reduce((sum, l) => sum + l.connections, 0);
        const fast = aguriPrefixes(leaves, [], total, threshold).map((hit) => `${formatPrefix(hit)}=${hit.ownConnections}`).sort();
        expect(fast).toEqual(naive(leaves, total, threshold));
      }),
      { numRuns: 200 },
    );
  });

  it('counts every remote under each reported prefix (brute-force check, IPv4 and IPv6, tiny thresholds)', () => {
    const address = fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', '2001:db8::2', '2001:db8:1::9', 'fe80::1'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(address, fc.integer({ min: 1, max: 9 })), { selector: (t) => t[0], maxLength: 25 }), fc.constantFrom(0.0001, 0.05, 0.2), (rows, threshold) => {
        const analysis = analyze(input([capture('p', rows.flatMap(([ip, n]) => many(n, ip)))], { options: { clusterThreshold: threshold } }));
        for (const cluster of analysis.clusters.filter((c) => c.kind === 'prefix')) {
          const [network, length] = cluster.key.split('/') as [string, string];
          const v4 = network.includes('.');
          const hit = v4
            ? { version: 4 as const, network: ipv4ToInt(network), length: Number(length) }
            : { version: 6 as const, network: BigInt(`0x${ipaddr.parse(network).toByteArray().map((b) => b.toString(16).padStart(2, '0')).join('')}`), length: Number(length) };
          const under = analysis.remotes.filter((remote) => (remote.ipVersion === 4) === v4 && prefixContains(hit, v4 ? ipv4ToInt(remote.ip) : BigInt(`0x${ipaddr.parse(remote.ip).toByteArray().map((b) => b.toString(16).padStart(2, '0')).join('')}`)));
          expect(cluster.remotes).toBe(under.length);
          expect(cluster.connections).toBe(under.reduce((sum, remote) => sum + remote.connections, 0));
          expect(cluster.ownConnections).toBeLessThanOrEqual(cluster.connections);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a dense block is reported at the longest prefix that reaches the threshold', () => {
    // 20 addresses 147.46.59.1-20 with 5 connections each, 900 others one each spread over 10.x;
    // threshold 5% of 1000 = 50. .1-.15 (75) reach it first at 147.46.59.0/28; .16-.20 (25) fall through.
    const connections = [
      ...Array.from({ length: 20 }, (_, i) => many(5, `147.46.59.${i + 1}`)).flat(),
      ...Array.from({ length: 900 }, (_, i) => many(1, `10.${i % 200}.${Math.floor(i / 200)}.1`)).flat(),
    ];
    const analysis = analyze(input([capture('a', connections)]));
    const keys = analysis.clusters.filter((cluster) => cluster.kind === 'prefix').map((cluster) => cluster.key);
    const block = analysis.clusters.find((cluster) => cluster.key === '147.46.59.0/28');
    expect(block).toMatchObject({ connections: 75, ownConnections: 75, remotes: 15 });
    expect(keys.filter((key) => key.startsWith('147.46.'))).toEqual(['147.46.59.0/28']);
  });
});
