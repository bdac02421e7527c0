import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4ToInt } from '../../src/net/ip.js';
import { ipv6ToWords } from '../../src/net/ipv6-words.js';
import { largestBlockV4, largestBlockV6, v4Mask, v6Mask, wordsToBigInt } from '../../src/net/prefix.js';

const v4 = (text: string) => ipv4ToInt(text);
const v6 = (text: string) => wordsToBigInt(ipv6ToWords(text));

describe('prefix maths', () => {
  it('masks both families', () => {
    expect(v4Mask(0)).toBe(0);
    expect(v4Mask(16)).toBe(0xffff0000);
    expect(v4Mask(32)).toBe(0xffffffff);
    expect(v6Mask(0)).toBe(0n);
    expect(v6Mask(48)).toBe(0xffffffffffffn << 80n);
  });

  it('finds the largest aligned block of a range that holds the address', () => {
    // The ASN data's row for Seoul National University: 147.46.0.0-147.47.119.255 (not a CIDR block).
    const start = v4('147.46.0.0');
    const end = v4('147.47.119.255');
    expect(largestBlockV4(v4('147.46.10.20'), start, end)).toBe(16);
    expect(largestBlockV4(v4('147.47.5.5'), start, end)).toBe(18);
    expect(largestBlockV4(v4('147.47.100.1'), start, end)).toBe(20);
    expect(largestBlockV4(v4('147.47.119.255'), start, end)).toBe(21);
    // A one-address range, and the whole space.
    expect(largestBlockV4(v4('1.2.3.4'), v4('1.2.3.4'), v4('1.2.3.4'))).toBe(32);
    expect(largestBlockV4(v4('1.2.3.4'), 0, 0xffffffff)).toBe(0);
  });

  it('does the same for IPv6', () => {
    expect(largestBlockV6(v6('2001:db8:1::5'), v6('2001:db8::'), v6('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe(32);
    expect(largestBlockV6(v6('2001:db8:1::5'), v6('2001:db8:1::'), v6('2001:db8:2:ffff:ffff:ffff:ffff:ffff'))).toBe(48);
    expect(largestBlockV6(v6('::1'), v6('::1'), v6('::1'))).toBe(128);
  });

  it('IPv6 agrees with the block-by-block definition on random ranges', () => {
    const all = (1n << 128n) - 1n;
    const reference = (address: bigint, start: bigint, end: bigint): number => {
      for (let length = 0; length < 128; length++) {
        const first = address & v6Mask(length);
        if (first >= start && (first | (all ^ v6Mask(length))) <= end) return length;
      }
      return 128;
    };
    const word = fc.bigInt({ min: 0n, max: all });
    fc.assert(
      fc.property(word, word, word, fc.integer({ min: 0, max: 127 }), (a, b, c, shareBits) => {
        // Ranges around the address, often sharing a long prefix with it (the interesting case).
        const keep = v6Mask(shareBits);
        const [start, end] = [(a & keep) | (b & ~keep & all), (a & keep) | (c & ~keep & all)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) as [bigint, bigint];
        const address = start + ((a ^ b) % (end - start + 1n));
        expect(largestBlockV6(address, start, end)).toBe(reference(address, start, end));
      }),
      { numRuns: 500 },
    );
  });
});
