import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/index.js';
import { capture, input, many } from './helpers.js';

describe('timeline', () => {
  // Three snapshots: 198.51.100.1 is always there with 5; 147.46.1.1 appears in the second and grows;
  // 141.223.1.1 only in the first.
  const captures = [
    capture('t0.txt', [...many(5, '198.51.100.1', { sendQ: 1 }), ...many(5, '141.223.1.1', { sendQ: 1 })], '2002-06-17T10:00:00Z'),
    capture('t1.txt', [...many(5, '198.51.100.1', { sendQ: 1 }), ...many(10, '147.46.1.1', { sendQ: 1 })], '2002-06-17T10:05:00Z'),
    capture('t2.txt', [...many(5, '198.51.100.1', { sendQ: 1 }), ...many(60, '147.46.1.1', { sendQ: 1 })], '2002-06-17T10:10:00Z'),
  ];
  const analysis = analyze(input(captures));

  it('totals each capture', () => {
    expect(analysis.captures.map(({ index, path, capturedAt, connections, remotes }) => ({ index, path, capturedAt, connections, remotes }))).toEqual([
      { index: 0, path: 't0.txt', capturedAt: '2002-06-17T10:00:00Z', connections: 10, remotes: 2 },
      { index: 1, path: 't1.txt', capturedAt: '2002-06-17T10:05:00Z', connections: 15, remotes: 2 },
      { index: 2, path: 't2.txt', capturedAt: '2002-06-17T10:10:00Z', connections: 65, remotes: 2 },
    ]);
    expect(analysis.timeline?.captures).toEqual(analysis.captures);
  });

  it('names new, growing and persisting remotes, and first/last captures', () => {
    expect(analysis.timeline?.newRemotes).toEqual(['147.46.1.1']);
    expect(analysis.timeline?.growingRemotes).toEqual(['147.46.1.1']);
    expect(analysis.timeline?.persistingRemotes).toEqual(['198.51.100.1']);
    const byIp = new Map(analysis.remotes.map((remote) => [remote.ip, remote]));
    expect([byIp.get('147.46.1.1')?.firstCapture, byIp.get('147.46.1.1')?.lastCapture]).toEqual([1, 2]);
    expect([byIp.get('141.223.1.1')?.firstCapture, byIp.get('141.223.1.1')?.lastCapture]).toEqual([0, 0]);
  });

  it('finds where the surge began (first capture at surgeFactor × the first) and a series per cluster', () => {
    // 65 >= 3 × 10 first happens at t2; t1 (15) is below.
    expect(analysis.timeline?.surgeStart).toBe(2);
    const slash32 = analysis.timeline?.clusterSeries.find((series) => series.kind === 'prefix' && series.key === '147.46.1.1/32');
    expect(slash32?.series).toEqual([0, 10, 60]);
    expect(analysis.timeline?.clusterSeries.length).toBe(analysis.clusters.length);
    const surge = analysis.indicators.find((indicator) => indicator.kind === 'surge');
    expect(surge?.evidence.figures).toMatchObject({ reference: 'first-capture', peakConnections: 65, surgeStart: 2 });
    expect(surge?.evidence.remotes[0]).toBe('147.46.1.1');
  });

  it('uses the baseline as the reference when one is given', () => {
    const withBaseline = analyze(input(captures, { baseline: [capture('base.txt', many(4, '198.51.100.1', { sendQ: 1 }))] }));
    // 3 × 4 = 12: t1 (15) is the first at or above it.
    expect(withBaseline.timeline?.surgeStart).toBe(1);
  });

  it('is null for a single capture', () => {
    expect(analyze(input([captures[0]!])).timeline).toBeNull();
  });
});
