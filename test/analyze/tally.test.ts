import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tally } from '../../src/analyze/tally.js';

describe('Tally.top', () => {
  it('agrees with a full sort (count desc, key asc) for every limit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'), fc.integer({ min: 1, max: 5 }))), fc.integer({ min: 0, max: 12 }), (adds, limit) => {
        const tally = new Tally<string>();
        for (const [key, amount] of adds) tally.add(key, amount);
        const expected = [...tally.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([key]) => key);
        expect(tally.top(limit)).toEqual(expected);
      }),
    );
  });

  it('breaks ties by key, numbers numerically', () => {
    const tally = new Tally<number>();
    for (const asn of [9488, 1781, 3784]) tally.add(asn, 2);
    tally.add(15169, 1);
    expect(tally.top(3)).toEqual([1781, 3784, 9488]);
    expect(tally.top()).toEqual([1781, 3784, 9488, 15169]);
  });
});
