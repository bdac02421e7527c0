// Pure name handling: reverse owner names, hostile PTR names, server addresses.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipToBytes, parseIpAddress } from '../../../src/net/ip.js';
import { presentPtrName } from '../../../src/enrich/rdns/ptr-name.js';
import { reverseNameFor } from '../../../src/enrich/rdns/reverse-name.js';
import { formatServer, parseServerAddress } from '../../../src/enrich/rdns/server-address.js';

const reverse = (ip: string) => reverseNameFor(parseIpAddress(ip)!);

describe('reverseNameFor', () => {
  it.each([
    ['203.0.113.1', '1.113.0.203.in-addr.arpa'],
    ['0.0.0.0', '0.0.0.0.in-addr.arpa'],
    ['::ffff:198.51.100.7', '7.100.51.198.in-addr.arpa'],
    // RFC 3596 2.5's own example, 4321:0:1:2:3:4:567:89ab:
    ['4321:0:1:2:3:4:567:89ab', 'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa'],
    ['::1', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa'],
  ])('%s -> %s', (ip, name) => expect(reverse(ip)).toBe(name));

  it('gives the four octets in reverse for any IPv4 address, however it was written', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.boolean(), (ip, mapped) => {
        const parsed = parseIpAddress(mapped ? `::ffff:${ip}` : ip);
        if (parsed?.version !== 4) return;
        const octets = ipToBytes(parsed).slice(12);
        expect(reverseNameFor(parsed)).toBe(`${octets.reverse().join('.')}.in-addr.arpa`);
      }),
    );
  });

  it('gives 32 nibbles for any IPv6 address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const parsed = parseIpAddress(ip);
        if (parsed?.version !== 6) return;
        const labels = reverseNameFor(parsed).split('.');
        expect(labels).toHaveLength(34);
        expect(labels.slice(0, 32).every((l) => /^[0-9a-f]$/.test(l))).toBe(true);
      }),
    );
  });
});

describe('presentPtrName', () => {
  it.each([
    ['host1.example.test', 'host1.example.test', true],
    ['Mail.Example.TEST.', 'mail.example.test', true],
    ['_dmarc.example.test', '_dmarc.example.test', true],
    ['evil\u001b[31mred.example.test', 'evil\\027\\09131mred.example.test', false],
    ['a|b`c.example.test', 'a\\124b\\096c.example.test', false],
    ['<script>.x', '\\060script\\062.x', false],
    ['nul\u0000nl\n.x', 'nul\\000nl\\010.x', false],
    ['café.example', 'caf\\195\\169.example', false],
    ['-leading.example', '-leading.example', false],
    ['a..b', 'a..b', false],
    ['', '', false],
    ['\u202eevil', '\\226\\128\\174evil', false],
  ])('%j -> %j (valid %s)', (raw, name, valid) => {
    expect(presentPtrName(raw)).toEqual({ name, valid });
  });

  it('rejects labels over 63 bytes and names over 253 characters', () => {
    expect(presentPtrName(`${'a'.repeat(64)}.example`).valid).toBe(false);
    expect(presentPtrName(`${'a'.repeat(63)}.example`).valid).toBe(true);
    const long = Array.from({ length: 5 }, () => 'a'.repeat(50)).join('.');
    expect(long.length).toBe(254);
    expect(presentPtrName(long).valid).toBe(false);
  });

  it('never returns control, bidi, markdown or HTML characters and never exceeds 255 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const { name } = presentPtrName(raw);
        expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069|`<>]/);
        expect(name.length).toBeLessThanOrEqual(255);
      }),
    );
  });
});

describe('parseServerAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1:53'],
    ['127.0.0.1:5353', '127.0.0.1:5353'],
    ['::1', '[::1]:53'],
    ['[::1]:5353', '[::1]:5353'],
    ['[::1]', '[::1]:53'],
    [' 198.51.100.53 ', '198.51.100.53:53'],
  ])('%j -> %s', (text, formatted) => expect(formatServer(parseServerAddress(text)!)).toBe(formatted));

  it.each(['', 'localhost', 'dns.example:53', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:x', '[::1]:', '[::1]x', '1.2.3', 'fe80::1%eth0', '127.0.0.1:53:53'])(
    'refuses %j',
    (text) => expect(parseServerAddress(text)).toBeNull(),
  );

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseServerAddress(text)));
  });
});
