import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSpecialRanges, specialRange, type SpecialRangeFile } from '../../src/net/special-ranges.js';

const FILE = JSON.parse(readFileSync(new URL('../../geo-data/special-ranges.json', import.meta.url), 'utf8')) as SpecialRangeFile;

describe('specialRange', () => {
  it.each([
    ['10.0.0.1', 'private', '10.0.0.0/8'],
    ['172.31.255.255', 'private', '172.16.0.0/12'],
    ['192.168.1.1', 'private', '192.168.0.0/16'],
    ['100.64.0.1', 'cgnat', '100.64.0.0/10'],
    ['100.127.255.255', 'cgnat', '100.64.0.0/10'],
    ['127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['169.254.10.10', 'link-local', '169.254.0.0/16'],
    ['192.0.2.10', 'documentation', '192.0.2.0/24'],
    ['198.51.100.7', 'documentation', '198.51.100.0/24'],
    ['203.0.113.255', 'documentation', '203.0.113.0/24'],
    ['198.19.0.1', 'benchmarking', '198.18.0.0/15'],
    ['224.0.0.251', 'multicast', '224.0.0.0/4'],
    ['250.1.2.3', 'reserved', '240.0.0.0/4'],
    ['255.255.255.255', 'broadcast', '255.255.255.255/32'],
    ['0.0.0.0', 'this-host', '0.0.0.0/32'],
    ['0.1.2.3', 'this-network', '0.0.0.0/8'],
    ['192.0.0.9', 'anycast', '192.0.0.9/32'],
    ['192.0.0.100', 'ietf-protocol', '192.0.0.0/24'],
    ['::1', 'loopback', '::1/128'],
    ['::', 'unspecified', '::/128'],
    ['fe80::1%eth0', 'link-local', 'fe80::/10'],
    ['fd12:3456::1', 'unique-local', 'fc00::/7'],
    ['2001:db8::1', 'documentation', '2001:db8::/32'],
    ['3fff:1::1', 'documentation', '3fff::/20'],
    ['2001:0:4136:e378::1', 'teredo', '2001::/32'],
    ['2001:2::5', 'benchmarking', '2001:2::/48'],
    ['2001:100::1', 'ietf-protocol', '2001::/23'],
    ['2002:c000:204::1', '6to4', '2002::/16'],
    ['64:ff9b::808:808', 'nat64', '64:ff9b::/96'],
    ['ff02::1', 'multicast', 'ff00::/8'],
    ['[::1]', 'loopback', '::1/128'],
  ])('%s is %s (%s)', (ip, kind, prefix) => {
    const range = specialRange(ip);
    expect(range?.kind).toBe(kind);
    expect(range?.prefix).toBe(prefix);
    expect(range?.rfc).toMatch(/^RFC \d+$/);
  });

  it.each(['8.8.8.8', '147.46.10.10', '100.63.255.255', '100.128.0.0', '172.32.0.1', '11.0.0.1', '2001:4860:4860::8888', '2600:1f18::1', '2001:200::1'])(
    'global address %s is not special',
    (ip) => expect(specialRange(ip)).toBeNull(),
  );

  it('IPv4-mapped IPv6 is judged by its IPv4 address (parseIpAddress unmaps it)', () => {
    expect(specialRange('::ffff:10.1.2.3')?.kind).toBe('private');
    expect(specialRange('::ffff:8.8.8.8')).toBeNull();
  });

  it('empty and garbage input give null', () => {
    for (const input of ['', ' ', 'garbage', '999.1.1.1', '10.0.0', '1:2:3', 'fe80::zz', '\u0000']) expect(specialRange(input)).toBeNull();
  });

  it('every registry block labels its network address with itself or a more specific block', () => {
    const table = compileSpecialRanges(FILE);
    // ::ffff:0:0 is unmapped to 0.0.0.0 by parseIpAddress, so that block is reached through IPv4.
    for (const entry of [...FILE.ipv4, ...FILE.ipv6.filter((item) => item.kind !== 'ipv4-mapped')]) {
      const [address] = entry.prefix.split('/');
      const found = specialRange(address ?? '', table);
      expect(found, entry.prefix).not.toBeNull();
      const foundLength = Number(found?.prefix.split('/')[1]);
      expect(foundLength, `${entry.prefix} -> ${found?.prefix}`).toBeGreaterThanOrEqual(Number(entry.prefix.split('/')[1]));
    }
  });

  it('rejects a malformed table instead of mislabelling', () => {
    expect(() => compileSpecialRanges({ ipv4: [{ prefix: '10.0.0/8', kind: 'x', name: 'x', rfc: 'RFC 1' }], ipv6: [] })).toThrow(/bad IPv4 prefix/);
    expect(() => compileSpecialRanges({ ipv4: [], ipv6: [{ prefix: 'zz::/8', kind: 'x', name: 'x', rfc: 'RFC 1' }] })).toThrow(/bad IPv6 prefix/);
  });

  it('never throws, and agrees with a brute-force mask check for IPv4', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        specialRange(text);
      }),
    );
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const value = ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
        const expected = FILE.ipv4
          .filter((entry) => {
            const [address, length] = entry.prefix.split('/');
            const network = (address ?? '').split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
            const size = 2 ** (32 - Number(length));
            return value >= network && value < network + size;
          })
          .sort((a, b) => Number(b.prefix.split('/')[1]) - Number(a.prefix.split('/')[1]))[0];
        expect(specialRange(ip)?.prefix ?? null).toBe(expected?.prefix ?? null);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        specialRange(ip);
      }),
    );
  });
});
