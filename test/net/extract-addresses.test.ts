import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAddresses } from '../../src/net/extract-addresses.js';

describe('extractAddresses', () => {
  it.each([
    ['tcp 0 0 10.0.0.5:22 147.46.10.10:51234 ESTABLISHED', ['10.0.0.5', '147.46.10.10']],
    ['tcp4 0 0 192.168.1.5.22 141.223.1.1.49152 ESTABLISHED', ['192.168.1.5', '141.223.1.1']],
    ['TCP [2001:db8::1]:443 [fe80::244e:2f1e:2096:62b2%9]:1900', ['2001:db8::1', 'fe80::244e:2f1e:2096:62b2']],
    ['ESTAB 0 0 [::ffff:10.0.0.1]:22 [::ffff:134.75.30.1]:4242', ['10.0.0.1', '134.75.30.1']],
    ['tcp6 0 0 2001:db8::5.443 2001:db8::9.51000', ['2001:db8::5', '2001:db8::9']],
    ['Received: from mail (8.8.8.8) by x; seen again 8.8.8.8.', ['8.8.8.8']],
    ['version 1.2.3 and 999.1.1.1 and 01.2.3.4 and 1.2.3.4567', []],
    ['times 12:34:56, mac 00:1a:2b:3c:4d:5e, ratio 1:2', []],
    ['', []],
  ])('%s', (text, expected) => expect(extractAddresses(text)).toEqual(expected));

  it('stays linear on long runs of address-like characters (no backtracking blow-up)', () => {
    const text = `${'a'.repeat(200_000)} 8.8.8.8 ${'1:'.repeat(50_000)} ${'9.'.repeat(50_000)} 2001:db8::7`;
    // '9.9.9.9.9...' starts like a BSD 'a.b.c.d.port' endpoint, so 9.9.9.9 is found.
    expect(extractAddresses(text)).toEqual(['8.8.8.8', '9.9.9.9', '2001:db8::7']);
  });

  it('keeps the order of first appearance across families', () => {
    expect(extractAddresses('2001:db8::1 then 8.8.8.8 then 2001:db8::1 then 1.1.1.1')).toEqual(['2001:db8::1', '8.8.8.8', '1.1.1.1']);
  });

  it('never throws, and finds every address it is given between spaces', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        extractAddresses(text);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.ipV4(), { minLength: 1, maxLength: 5 }), (ips) => {
        const found = extractAddresses(ips.join(' x '));
        for (const ip of ips) expect(found).toContain(ip);
      }),
    );
  });
});
