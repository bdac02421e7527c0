// On-disk cache of the built ASN index, so only the first start pays for CSV parsing.
// Layout: 'NSASNIX1' | u32 header length | header JSON | pad to 4 | typed arrays | org names joined by '\n'.
// Names were sanitized (no control characters), so '\n' cannot occur inside one.
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { AsnIndex } from './asn-index.js';

const MAGIC = 'NSASNIX1';
export const ASN_INDEX_CACHE_FILE = 'asn-index-v1.bin';

interface CacheHeader {
  key: string;
  v4Rows: number;
  v6Rows: number;
  skippedRows: number;
  namesBytes: number;
}

const ARRAY_FIELDS = ['v4Start', 'v4End', 'v4Asn', 'v4Org', 'v6Start', 'v6End', 'v6Asn', 'v6Org'] as const;

/** The cache key also covers byte order: the arrays are stored in native order. */
export function cacheKeyWithPlatform(key: string): string {
  return `${key}|${endianness()}`;
}

export function serializeAsnIndex(index: AsnIndex, key: string): Buffer {
  const names = Buffer.from(index.orgNames.join('\n'), 'utf8');
  const header: CacheHeader = { key: cacheKeyWithPlatform(key), v4Rows: index.v4Asn.length, v6Rows: index.v6Asn.length, skippedRows: index.skippedRows, namesBytes: names.length };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  const headerEnd = prefix.length + headerBytes.length;
  const padding = Buffer.alloc((4 - (headerEnd % 4)) % 4);
  const arrays = ARRAY_FIELDS.map((field) => Buffer.from(index[field].buffer, index[field].byteOffset, index[field].byteLength));
  return Buffer.concat([prefix, headerBytes, padding, ...arrays, names]);
}

/** The index, or null when the bytes are not a cache for this key (stale, truncated, foreign). */
export function deserializeAsnIndex(bytes: Buffer, key: string): AsnIndex | null {
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as CacheHeader;
  } catch {
    return null;
  }
  if (header.key !== cacheKeyWithPlatform(key)) return null;
  let offset = MAGIC.length + 4 + headerLength;
  offset += (4 - (offset % 4)) % 4;
  const counts = [header.v4Rows, header.v4Rows, header.v4Rows, header.v4Rows, header.v6Rows * 4, header.v6Rows * 4, header.v6Rows, header.v6Rows];
  const expected = offset + counts.reduce((sum, count) => sum + count * 4, 0) + header.namesBytes;
  if (bytes.length !== expected) return null;
  // Copy into one aligned buffer: readFileSync's Buffer may start at any byte offset.
  const arrayBytes = counts.reduce((sum, count) => sum + count * 4, 0);
  const aligned = new Uint32Array(arrayBytes / 4);
  new Uint8Array(aligned.buffer).set(bytes.subarray(offset, offset + arrayBytes));
  const arrays: Uint32Array[] = [];
  let word = 0;
  for (const count of counts) {
    arrays.push(aligned.subarray(word, word + count));
    word += count;
  }
  const orgNames = bytes.toString('utf8', offset + arrayBytes, offset + arrayBytes + header.namesBytes).split('\n');
  const [v4Start, v4End, v4Asn, v4Org, v6Start, v6End, v6Asn, v6Org] = arrays as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  return { v4Start, v4End, v4Asn, v4Org, v6Start, v6End, v6Asn, v6Org, orgNames, skippedRows: header.skippedRows };
}

export function readAsnIndexCache(cacheDir: string, key: string): AsnIndex | null {
  try {
    return deserializeAsnIndex(readFileSync(join(cacheDir, ASN_INDEX_CACHE_FILE)), key);
  } catch {
    return null; // no cache yet, or unreadable: rebuild
  }
}

/** Write atomically (temp file + rename); a cache that cannot be written is not an error. */
export function writeAsnIndexCache(cacheDir: string, key: string, index: AsnIndex): boolean {
  const target = join(cacheDir, ASN_INDEX_CACHE_FILE);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temporary, serializeAsnIndex(index, key), { mode: 0o644 });
    renameSync(temporary, target);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // the directory itself is unusable: nothing was written
    }
    return false;
  }
}
