import { describe, expect, it } from 'vitest';
import { addressText } from '../../src/net/prefix.js';
import { addressToBigInt, parseCidr, parseRangeText, parseRegistryAddress, rangeToCidrs } from '../../src/net/ip-range.js';

describe('ip-range', () => {
  it('reads registry spellings of addresses', () => {
    expect(parseRegistryAddress('074.125.000.000')).toEqual(addressToBigInt('74.125.0.0'));
    expect(parseRegistryAddress('62.239.237.0/32')).toEqual(addressToBigInt('62.239.237.0'));
    expect(parseRegistryAddress('2801:10:c000:0:0:0:0:0')).toEqual(addressToBigInt('2801:10:c000::'));
    expect(parseRegistryAddress('2001:4860:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF')?.value).toBe((0x20014860n << 96n) | ((1n << 96n) - 1n));
    expect(parseRegistryAddress('not an address')).toBeNull();
    expect(parseRegistryAddress('')).toBeNull();
  });

  it('turns ranges into the fewest CIDRs', () => {
    expect(rangeToCidrs(parseRangeText('210.107.0.0 - 210.107.127.255')!)).toEqual(['210.107.0.0/17']);
    expect(rangeToCidrs(parseRangeText('196.11.239.0 - 196.11.246.255')!)).toEqual(['196.11.239.0/24', '196.11.240.0/22', '196.11.244.0/23', '196.11.246.0/24']);
    expect(rangeToCidrs(parseCidr('2001:4860::/32')!)).toEqual(['2001:4860::/32']);
    expect(rangeToCidrs(parseCidr('0.0.0.0/0')!)).toEqual(['0.0.0.0/0']);
    expect(rangeToCidrs(parseCidr('8.8.8.8')!)).toEqual(['8.8.8.8/32']);
  });

  it('refuses bad CIDRs and reversed ranges', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/x')).toBeNull();
    expect(parseRangeText('10.0.0.9 - 10.0.0.1')).toBeNull();
    expect(parseRangeText('10.0.0.1 - ::1')).toBeNull();
  });

  it('round-trips random addresses and covers random ranges exactly', () => {
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 300; i++) {
      const a = BigInt(random());
      const b = a + BigInt(random() % 100000);
      if (b > 0xffffffffn) continue;
      expect(addressToBigInt(addressText(4, a))?.value).toBe(a);
      const cidrs = rangeToCidrs({ version: 4, start: a, end: b }).map((cidr) => parseCidr(cidr)!);
      expect(cidrs[0]!.start).toBe(a);
      expect(cidrs[cidrs.length - 1]!.end).toBe(b);
      for (let j = 1; j < cidrs.length; j++) expect(cidrs[j]!.start).toBe(cidrs[j - 1]!.end + 1n);
    }
  });
});
