import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointStyleOf, normaliseAddress, splitEndpoint } from '../../src/net/endpoint.js';

describe('splitEndpoint', () => {
  // Spellings copied from real captures in ../shared/fixtures/real.
  const cases: [string, 'colon' | 'dot', ReturnType<typeof splitEndpoint>][] = [
    ['192.168.71.1:58727', 'colon', { address: '192.168.71.1', port: '58727' }],
    [':::22', 'colon', { address: '::', port: '22' }],
    ['::1:1028', 'colon', { address: '::1', port: '1028' }],
    ['0.0.0.0:*', 'colon', { address: '0.0.0.0', port: '*' }],
    ['localhost.localdoma:ssh', 'colon', { address: 'localhost.localdoma', port: 'ssh' }],
    ['[::]:135', 'colon', { address: '::', port: '135' }],
    ['[fe80::244e:2f1e:2096:62b2%9]:1900', 'colon', { address: 'fe80::244e:2f1e:2096:62b2', port: '1900', scope: '9' }],
    ['127.0.0.53%lo:domain', 'colon', { address: '127.0.0.53', port: 'domain', scope: 'lo' }],
    ['[fe80::1]%eth0:546', 'colon', { address: 'fe80::1', port: '546', scope: 'eth0' }],
    ['[::ffff:198.51.100.7]:80', 'colon', { address: '::ffff:198.51.100.7', port: '80' }],
    ['10.8.0.6.54433', 'dot', { address: '10.8.0.6', port: '54433' }],
    ['*.22', 'dot', { address: '*', port: '22' }],
    ['::1.6012', 'dot', { address: '::1', port: '6012' }],
    ['fe80::aede:48ff:.5', 'dot', { address: 'fe80::aede:48ff:', port: '5' }],
    ['kbrazil-mac.attl.62979', 'dot', { address: 'kbrazil-mac.attl', port: '62979' }],
    ['nocolon', 'colon', null],
    [':22', 'colon', null],
    ['1.2.3.4:', 'colon', null],
    ['', 'dot', null],
  ];
  it.each(cases)('%s (%s)', (text, style, expected) => {
    expect(splitEndpoint(text, style)).toEqual(expected);
  });

  it('never throws and never returns an empty address', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('colon' as const, 'dot' as const), (text, style) => {
      const split = splitEndpoint(text, style);
      if (split) expect(split.address.length).toBeGreaterThan(0);
    }));
  });
});

describe('endpointStyleOf', () => {
  it.each([
    ['1.2.3.4:80', 'colon'], [':::22', 'colon'], ['1.2.3.4.80', 'dot'], ['*.*', 'dot'], ['::1.6012', 'dot'], ['*:*', 'colon'],
  ] as const)('%s is %s', (text, style) => expect(endpointStyleOf(text)).toBe(style));
});

describe('normaliseAddress', () => {
  it.each([
    ['::ffff:1.2.3.4', '1.2.3.4', 4],
    ['2001:DB8:0:0::1', '2001:db8::1', 6],
    ['0.0.0.0', '0.0.0.0', 4],
    ['::', '::', 6],
    ['*', '*', null],
    ['localhost', 'localhost', null],
    ['010.1.1.1', '010.1.1.1', null],
  ] as const)('%s -> %s', (input, address, version) => {
    expect(normaliseAddress(input)).toMatchObject({ address, version });
  });
});
