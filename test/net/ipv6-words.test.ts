import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('parseIpv6Words', () => {
  it('agrees with ipaddr.js on every IPv6 text it accepts or refuses', async () => {
    const { default: ipaddr } = await import('ipaddr.js');
    const { parseIpv6Words } = await import('../../src/net/special-ranges.js');
    // ipaddr.js reads the deprecated IPv4-compatible form '::a.b.c.d' as IPv4-mapped ('::ffff:a.b.c.d');
    // RFC 4291 says ::a.b.c.d, which is what we answer.
    const compatible = /^::(\d+\.\d+\.\d+\.\d+)$/;
    const reference = (text: string) => {
      if (compatible.test(text)) return reference(`0:0:0:0:0:0:${text.slice(2)}`);
      if (!ipaddr.IPv6.isValid(text) || text.includes('%')) return null;
      const parts = ipaddr.IPv6.parse(text).parts;
      return [0, 2, 4, 6].map((i) => (((parts[i] ?? 0) << 16) | (parts[i + 1] ?? 0)) >>> 0);
    };
    const samples = ['::', '::1', '1::', '2001:db8::1', '2001:db8:0:0:0:0:2:1', '::ffff:1.2.3.4', '64:ff9b::8.8.8.8', 'fe80::1:2:3:4:5:6', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', 'FFFF::abcd'];
    const invalid = ['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7', '::1.2.3', '1.2.3.4::'];
    for (const text of [...samples, ...invalid]) expect(parseIpv6Words(text), text).toEqual(reference(text));
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(parseIpv6Words(text)).toEqual(reference(text));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.'.split('')), maxLength: 45 }), (text) => {
        expect(parseIpv6Words(text)).toEqual(reference(text));
      }),
    );
  });
});

describe('formatIpv6Words', () => {
  it('writes what parseIpAddress writes (RFC 5952) for every IPv6 address', async () => {
    const { formatIpv6Words, parseIpv6Words } = await import('../../src/net/ipv6-words.js');
    const { parseIpAddress } = await import('../../src/net/ip.js');
    const check = (text: string) => {
      const words = parseIpv6Words(text);
      const reference = parseIpAddress(text);
      if (!words || !reference || reference.version === 4) return; // IPv4-mapped is unmapped by parseIpAddress
      expect(formatIpv6Words(words), text).toBe(reference.text);
    };
    for (const text of ['::', '::1', '1::', '2001:db8::1', '2001:DB8:0:0:1:0:0:1', '2001:0db8:0000:0000:0000:0000:0002:0001', '1:0:0:2:0:0:0:3', 'fe80::1:0:0:0', '0:0:1::']) check(text);
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        check(text);
      }),
    );
  });
});
