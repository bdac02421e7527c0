import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAsnIndex } from '../../../src/enrich/geo/asn-index-build.js';
import { asnTableOf, findAsnRowV4, findAsnRowV6, type AsnIndex } from '../../../src/enrich/geo/asn-index.js';
import { canMapFiles } from '../../../src/enrich/geo/mapped-file.js';
import { asnIndexCacheFileName, openAsnIndexFile, removeStaleIndexFiles, STALE_AFTER_DAYS, WHOLE_INDEX_AFTER_LOOKUPS, deserializeAsnIndex, readAsnIndexCache, serializeAsnIndex, writeAsnIndexCache } from '../../../src/enrich/geo/asn-index-cache.js';
import { ipv4ToInt } from '../../../src/net/ip.js';
import { ipv6ToWords } from '../../../src/net/special-ranges.js';

// The first rows of the real asn-ipv4-num.csv / asn-ipv6.csv, plus the overlap the data really has.
const V4 = `16777216,16777471,13335,"Cloudflare, Inc."
16778240,16779263,38803,Gtelecom Pty Ltd
2469265408,2469361663,9488,Seoul National University
3596550144,3607166975,749,United States Department of Defense (DoD)
3607101440,3607167999,721,DoD Network Information Center
`;
const V6 = `2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC
2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project
2001:200:1ba::,2001:200:1ba:ffff:ffff:ffff:ffff:ffff,24047,"Internet Systems Consortium, Inc."
`;

function asnOfV4(index: AsnIndex, ip: string): [number, string] | null {
  const row = findAsnRowV4(index, ipv4ToInt(ip));
  return row < 0 ? null : [index.v4Asn[row] as number, index.orgNames[index.v4Org[row] as number] as string];
}

function asnOfV6(index: AsnIndex, ip: string): [number, string] | null {
  const row = findAsnRowV6(index, ipv6ToWords(ip));
  return row < 0 ? null : [index.v6Asn[row] as number, index.orgNames[index.v6Org[row] as number] as string];
}

describe('buildAsnIndex', () => {
  const index = buildAsnIndex(V4, V6);

  it.each([
    ['1.0.0.0', [13335, 'Cloudflare, Inc.']],
    ['1.0.0.255', [13335, 'Cloudflare, Inc.']],
    ['1.0.1.0', null],
    ['147.46.10.10', [9488, 'Seoul National University']],
    ['214.95.255.255', [749, 'United States Department of Defense (DoD)']],
    // 215.0.0.0 is in both DoD rows: the one that starts later (more specific) wins.
    ['215.0.0.0', [721, 'DoD Network Information Center']],
    ['215.0.255.255', [721, 'DoD Network Information Center']],
    ['215.1.3.255', [721, 'DoD Network Information Center']],
    ['215.1.4.0', null],
    ['0.0.0.0', null],
    ['255.255.255.255', null],
  ])('IPv4 %s -> %j', (ip, expected) => expect(asnOfV4(index, ip)).toEqual(expected));

  it.each([
    ['2001::1', [6939, 'Hurricane Electric LLC']],
    ['2001:200::1', [2500, 'WIDE Project']],
    ['2001:200:1ba::53', [24047, 'Internet Systems Consortium, Inc.']],
    ['2001:200:1bb::1', null],
    ['::', null],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null],
  ])('IPv6 %s -> %j', (ip, expected) => expect(asnOfV6(index, ip)).toEqual(expected));

  it('stores each organisation name once', () => {
    const twice = buildAsnIndex('1,2,5,Same Org\n3,4,6,Same Org\n', '');
    expect(twice.orgNames.filter((name) => name === 'Same Org')).toHaveLength(1);
  });

  it('gives an empty index for empty input', () => {
    const empty = buildAsnIndex('', '');
    expect(empty.v4Asn.length + empty.v6Asn.length).toBe(0);
    expect(findAsnRowV4(empty, 1)).toBe(-1);
    expect(findAsnRowV6(empty, [0, 0, 0, 1])).toBe(-1);
  });

  it('skips garbage rows and counts them', () => {
    const garbage = buildAsnIndex('not,a,row\n5,1,7,end before start\n1,2,x,bad asn\n10,20,30,Good\n\u0000\u0001,,\n', 'zz::,1::,5,bad\n2001::,2001::1,7,Good6\n');
    expect(garbage.v4Asn.length).toBe(1);
    expect(garbage.v6Asn.length).toBe(1);
    expect(garbage.skippedRows).toBe(5);
  });

  it('sanitizes organisation names (they come from registries anyone can write to)', () => {
    const index = buildAsnIndex('1,2,3,"Evil\u001b[31m Corp\u202e"\n', '');
    expect(index.orgNames).toContain('Evil Corp');
  });

  it('agrees with a brute-force scan: the covering row that sorts last (latest start) wins', () => {
    const row = fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 0, max: 30 }), asn: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const csv = rows.map((r) => `${r.start},${r.start + r.length},${r.asn},org${r.asn}`).join('\n');
        const built = buildAsnIndex(csv, '');
        const sorted = rows
          .map((r) => ({ start: r.start, end: r.start + r.length, asn: r.asn }))
          .sort((a, b) => a.start - b.start || b.end - a.end || a.asn - b.asn);
        for (let ip = 0; ip <= 95; ip++) {
          const covering = sorted.filter((r) => r.start <= ip && ip <= r.end);
          const expected = covering.length > 0 ? (covering[covering.length - 1]?.asn ?? null) : null;
          const found = findAsnRowV4(built, ip);
          expect(found < 0 ? null : built.v4Asn[found], `ip ${ip} rows ${csv}`).toBe(expected);
        }
        // Disjoint and sorted, which the bisection relies on.
        for (let i = 1; i < built.v4Start.length; i++) expect(built.v4Start[i] as number).toBeGreaterThan(built.v4End[i - 1] as number);
      }),
    );
  });

  it('never throws on arbitrary CSV text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (v4, v6) => {
        buildAsnIndex(v4, v6);
      }),
    );
  });
});

describe('ASN index cache', () => {
  const index = buildAsnIndex(V4, V6);

  it('round-trips through bytes', () => {
    const back = deserializeAsnIndex(serializeAsnIndex(index, 'key-1'), 'key-1');
    expect(back).not.toBeNull();
    expect(back?.orgNames).toEqual(index.orgNames);
    expect([...(back?.v4Start ?? [])]).toEqual([...index.v4Start]);
    expect([...(back?.v6End ?? [])]).toEqual([...index.v6End]);
    expect(back && asnOfV4(back, '147.46.10.10')).toEqual([9488, 'Seoul National University']);
    expect(back && asnOfV6(back, '2001:200:1ba::53')).toEqual([24047, 'Internet Systems Consortium, Inc.']);
  });

  it('refuses a cache built for another key, truncated bytes and garbage', () => {
    const bytes = serializeAsnIndex(index, 'key-1');
    expect(deserializeAsnIndex(bytes, 'key-2')).toBeNull();
    expect(deserializeAsnIndex(bytes.subarray(0, bytes.length - 3), 'key-1')).toBeNull();
    expect(deserializeAsnIndex(Buffer.alloc(0), 'key-1')).toBeNull();
    expect(deserializeAsnIndex(Buffer.from('NSASNIX2\u00ff\u00ff\u00ff\u00ffgarbage', 'latin1'), 'key-1')).toBeNull();
  });

  it('is written atomically into the cache dir and read back; a bad file means rebuild', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'netsleuth-asn-')), 'nested');
    expect(readAsnIndexCache(dir, 'k')).toBeNull();
    expect(writeAsnIndexCache(dir, 'k', index)).toBe(true);
    expect(readAsnIndexCache(dir, 'k')?.v4Asn.length).toBe(index.v4Asn.length);
    writeFileSync(join(dir, asnIndexCacheFileName('k')), 'garbage');
    expect(readAsnIndexCache(dir, 'k')).toBeNull();
    expect(readFileSync(join(dir, asnIndexCacheFileName('k')), 'utf8')).toBe('garbage');
  });

  it('an unwritable cache dir is not an error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netsleuth-asn-')), 'a-file');
    writeFileSync(file, 'x');
    expect(writeAsnIndexCache(join(file, 'sub'), 'k', index)).toBe(false);
  });
});

describe('ASN index file read on demand', () => {
  // Enough rows for several directory blocks: synthetic ranges around the real ones.
  const random = fc.sample(fc.tuple(fc.integer({ min: 0, max: 0xfffff000 }), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 400000 })), { numRuns: 3000, seed: 7 });
  const bigV4 = V4 + random.map(([start, length, asn]) => `${start},${start + length},${asn},Org ${asn % 97}`).join('\n') + '\n';
  const index = buildAsnIndex(bigV4, V6);
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-asn-lazy-'));
  writeAsnIndexCache(dir, 'lazy', index);
  const memory = asnTableOf(index);

  it.each([...(canMapFiles() ? [{ map: true }] : []), { map: false }])('answers as the index in memory, from pages and after reading the whole file (%o)', (mode) => {
    const table = openAsnIndexFile(join(dir, asnIndexCacheFileName('lazy')), 'lazy', mode);
    expect(table).not.toBeNull();
    const probes = [...index.v4Start.slice(0, 50), ...index.v4End.slice(-50), 0, 0xffffffff, ipv4ToInt('147.46.10.10')];
    const check = (value: number) => {
      const row = table?.rowV4(value) ?? -2;
      expect(row, String(value)).toBe(memory.rowV4(value));
      if (row >= 0) {
        expect(table?.asnAt(row, false)).toBe(memory.asnAt(row, false));
        expect(table?.orgAt(row, false)).toBe(memory.orgAt(row, false));
        expect(table?.rangeAt(row, false)).toEqual(memory.rangeAt(row, false));
        const [start, end] = memory.rangeAt(row, false) as [number, number];
        expect(start <= value && value <= end).toBe(true);
      }
    };
    const checkV6 = (ip: string) => {
      const words = ipv6ToWords(ip);
      const row = table?.rowV6(words) ?? -2;
      expect(row, ip).toBe(memory.rowV6(words));
      if (row >= 0) {
        expect(table?.orgAt(row, true)).toBe(memory.orgAt(row, true));
        expect(table?.rangeAt(row, true)).toEqual(memory.rangeAt(row, true));
      }
    };
    // From pages first, then (below) from the whole file.
    checkV6('2001:200:1ba::53');
    expect(memory.rangeAt(memory.rowV6(ipv6ToWords('2001:200:1ba::53')), true)).toEqual([0x20010200_01ba0000n << 64n, (0x20010200_01baffffn << 64n) | 0xffffffffffffffffn]);
    for (const value of probes.slice(0, WHOLE_INDEX_AFTER_LOOKUPS - 12)) check(value);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), check), { numRuns: WHOLE_INDEX_AFTER_LOOKUPS * 2 });
    for (const ip of ['2001:200:1ba::53', '2001::1', '2001:200::1', '::1', 'ffff::1']) checkV6(ip);
    table?.close();
  });

  it('a file for another key is not opened', () => {
    expect(openAsnIndexFile(join(dir, asnIndexCacheFileName('lazy')), 'other')).toBeNull();
    expect(openAsnIndexFile(join(dir, 'missing.bin'), 'lazy')).toBeNull();
  });
});

describe('ASN index files are named by their key', () => {
  const index = buildAsnIndex(V4, V6);

  it('two keys (two checkouts, two versions) keep one file each in one cache dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-asn-keys-'));
    expect(asnIndexCacheFileName('a')).not.toBe(asnIndexCacheFileName('b'));
    expect(asnIndexCacheFileName('a')).toMatch(/^asn-index-[0-9a-f]{16}\.bin$/);
    writeAsnIndexCache(dir, 'a', index);
    writeAsnIndexCache(dir, 'b', index);
    expect(readAsnIndexCache(dir, 'a')).not.toBeNull();
    expect(readAsnIndexCache(dir, 'b')).not.toBeNull();
  });

  it('files of other keys unused for the stale limit are removed when a new one is written; recent ones stay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-asn-stale-'));
    const nowMs = Date.now();
    writeAsnIndexCache(dir, 'old', index, nowMs);
    writeAsnIndexCache(dir, 'recent', index, nowMs);
    writeFileSync(join(dir, 'asn-index-v1.bin'), 'the old single file');
    writeFileSync(join(dir, 'unrelated.txt'), 'not ours');
    const longAgo = new Date(nowMs - (STALE_AFTER_DAYS + 1) * 24 * 3600 * 1000);
    utimesSync(join(dir, asnIndexCacheFileName('old')), longAgo, longAgo);
    utimesSync(join(dir, 'asn-index-v1.bin'), longAgo, longAgo);
    utimesSync(join(dir, 'unrelated.txt'), longAgo, longAgo);
    writeAsnIndexCache(dir, 'new', index, nowMs);
    expect(existsSync(join(dir, asnIndexCacheFileName('old')))).toBe(false);
    expect(existsSync(join(dir, 'asn-index-v1.bin'))).toBe(false);
    expect(existsSync(join(dir, asnIndexCacheFileName('recent')))).toBe(true);
    expect(existsSync(join(dir, asnIndexCacheFileName('new')))).toBe(true);
    expect(existsSync(join(dir, 'unrelated.txt'))).toBe(true);
    expect(removeStaleIndexFiles(dir, asnIndexCacheFileName('new'), nowMs)).toEqual([]);
  });
});
