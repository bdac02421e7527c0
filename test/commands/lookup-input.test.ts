// The byte scanner of lookup's stdin list against the text path it stands in for
// (tokensFromListText + itemsFromList): the same items in the same order on every list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemsFromList, itemsFromListBytes, itemsOfAddresses, IPV6_ITEM, NOT_AN_ADDRESS, tokensFromListText } from '../../src/commands/lookup-input.js';
import { ipv4ToInt, ipv4ToIntBytes } from '../../src/net/ip.js';

const token = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.')),
  fc.constantFrom('8.8.8.8', '010.1.1.1', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '::1', '2001:DB8::1', '2001:db8:0:0::1', '::ffff:8.8.8.8', '::ffff:1.2.3.4', 'fe80::1%eth0', '[::1]', 'foo', '=cmd|x', '#', '#x', '', '1.2.3.4#', '\u0000', '\u007f'),
  fc.string({ maxLength: 6 }),
);
const separator = fc.constantFrom(' ', '  ', ',', ';', ', ', '\t', '\r', '\v', '\f', '\n', '\r\n', '\n#comment 1.2.3.4\n', '\n  # note\n', '\n\n');

describe('lookup input list', () => {
  it('the byte scanner gives the text path items on any ASCII list', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(token, separator), { maxLength: 40 }), fc.boolean(), (pairs, leadingComment) => {
        const text = (leadingComment ? '# list\n' : '') + pairs.map(([t, s]) => t + s).join('');
        expect(itemsFromListBytes(Buffer.from(text, 'latin1'))).toEqual(itemsFromList(tokensFromListText(text)));
      }),
      { numRuns: 1000 },
    );
  });

  it('non-ASCII text (Unicode spaces, invalid UTF-8) goes through the text path', () => {
    for (const bytes of [Buffer.from('1.2.3.4\u00a05.6.7.8\u2003::1\n'), Buffer.from([0x31, 0x2e, 0x32, 0x2e, 0x33, 0x2e, 0x34, 0xff, 0x0a, 0x38, 0x2e, 0x38, 0x2e, 0x38, 0x2e, 0x38])]) {
      expect(itemsFromListBytes(bytes)).toEqual(itemsFromList(tokensFromListText(bytes.toString('utf8'))));
    }
  });

  it('items are distinct, canonical and typed; invalid text kept sanitized', () => {
    const items = itemsFromListBytes(Buffer.from('8.8.8.8\n::ffff:8.8.8.8 2001:DB8::1,2001:db8::1;bad\u0007x\n8.8.8.8\n10.0.0.1\n'));
    expect(items.texts).toEqual(['8.8.8.8', '2001:db8::1', 'badx', '10.0.0.1']);
    expect([...items.values]).toEqual([ipv4ToInt('8.8.8.8'), IPV6_ITEM, NOT_AN_ADDRESS, ipv4ToInt('10.0.0.1')]);
  });

  it('many distinct addresses: none lost, none repeated (the set grows past its first size)', () => {
    // Addresses alike in their low bits (x.y.z.0) as well as in their high ones.
    const addresses = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? `10.${(i >> 8) & 255}.${i & 255}.${i % 7}` : `${(i >> 8) & 255}.${i & 255}.1.0`));
    const items = itemsFromListBytes(Buffer.from([...addresses, ...addresses.slice(0, 500)].join('\n')));
    expect(items.texts).toEqual([...new Set(addresses)]);
    expect([...items.values]).toEqual([...new Set(addresses)].map(ipv4ToInt));
  });

  it('addresses found by --extract are kept as given', () => {
    expect(itemsOfAddresses(['1.2.3.4', '2001:db8::1'])).toEqual({ texts: ['1.2.3.4', '2001:db8::1'], values: Float64Array.of(ipv4ToInt('1.2.3.4'), IPV6_ITEM) });
  });

  it('ipv4ToIntBytes is ipv4ToInt of the same text', () => {
    fc.assert(
      fc.property(token, fc.string({ maxLength: 3 }), (text, pad) => {
        const bytes = Buffer.from(pad + text + pad, 'latin1');
        expect(ipv4ToIntBytes(bytes, pad.length, pad.length + Buffer.byteLength(text, 'latin1'))).toBe(ipv4ToInt(Buffer.from(text, 'latin1').toString('latin1')));
      }),
      { numRuns: 500 },
    );
  });
});
