// The built ASN index on disk, laid out so one lookup reads a few pages of it:
//   'NSASNIX2' | u32 LE header length | header JSON | padding to 8 | sections
// The sections follow one another in this order, each a whole number of 32-bit words
// in native byte order (the key covers it), at offsets that follow from the counts:
//   v4Dir      the start of every BLOCK_ROWS-th IPv4 row: a directory read whole (6 kB)
//   v4Start/v4End/v4Asn/v4Org   one word per IPv4 row
//   v6Dir, v6Start, v6End (four words per row), v6Asn, v6Org
//   orgOffsets orgCount + 1 byte offsets into the names
//   names      the organisation names, UTF-8, back to back (padded to a word)
// A lookup reads the header, the directory once, one block of starts, then one end,
// ASN, organisation id and name. Past a few hundred lookups the file is read whole (or
// its mapping used: paged-file.ts) and the sections become typed arrays over it (no
// copy), names decoded on first use.
//
// Files are named by a hash of their key (data package version, file sizes and times,
// layout, byte order), so two checkouts or versions sharing a cache directory keep
// one file each; files of other keys unused for STALE_AFTER_DAYS are removed when a
// new one is written.
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { wordsToBigInt } from '../../net/prefix.js';
import { findAsnRowV4, findAsnRowV6, type AsnIndex, type AsnTable } from './asn-index.js';
import { PagedFile } from './paged-file.js';
import { writeFileAtomicSync } from '../../output/atomic-write.js';

const MAGIC = 'NSASNIX2';
const LAYOUT_VERSION = 2;
/** Rows per directory entry: a block of starts is 1 kB (IPv4) or 4 kB (IPv6). */
const BLOCK_ROWS = 256;
export const STALE_AFTER_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
/** Lookups after which the whole file is cheaper than more pages. */
export const WHOLE_INDEX_AFTER_LOOKUPS = 256;
const FILE_PATTERN = /^asn-index-(?:v1|[0-9a-f]{16})\.bin$/;

interface CacheHeader {
  key: string;
  v4Rows: number;
  v6Rows: number;
  orgCount: number;
  namesBytes: number;
  skippedRows: number;
}

/** The cache key also covers the layout and byte order: the words are stored in native order. */
export function cacheKeyWithPlatform(key: string): string {
  return `${key}|layout ${LAYOUT_VERSION}|${endianness()}`;
}

/** The file name for a key: asn-index-<16 hex digits>.bin. */
export function asnIndexCacheFileName(key: string): string {
  return `asn-index-${keyDigest(cacheKeyWithPlatform(key))}.bin`;
}

/**
 * 64-bit FNV-1a of the text's UTF-8 bytes, as 16 hex digits: names files by their key (each file's
 * header holds the key itself and is checked), without loading node:crypto on every start.
 */
export function keyDigest(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

const SECTION_NAMES = ['v4Dir', 'v4Start', 'v4End', 'v4Asn', 'v4Org', 'v6Dir', 'v6Start', 'v6End', 'v6Asn', 'v6Org', 'orgOffsets', 'names'] as const;
type SectionName = (typeof SECTION_NAMES)[number];

/** Word offset and length of each section, counted from the first section. */
function layoutOf(header: CacheHeader): Record<SectionName, { word: number; words: number }> {
  const v4Blocks = Math.ceil(header.v4Rows / BLOCK_ROWS);
  const v6Blocks = Math.ceil(header.v6Rows / BLOCK_ROWS);
  const sizes: Record<SectionName, number> = {
    v4Dir: v4Blocks,
    v4Start: header.v4Rows,
    v4End: header.v4Rows,
    v4Asn: header.v4Rows,
    v4Org: header.v4Rows,
    v6Dir: v6Blocks * 4,
    v6Start: header.v6Rows * 4,
    v6End: header.v6Rows * 4,
    v6Asn: header.v6Rows,
    v6Org: header.v6Rows,
    orgOffsets: header.orgCount + 1,
    names: Math.ceil(header.namesBytes / 4),
  };
  const layout = {} as Record<SectionName, { word: number; words: number }>;
  let word = 0;
  for (const name of SECTION_NAMES) {
    layout[name] = { word, words: sizes[name] };
    word += sizes[name];
  }
  return layout;
}

function sectionsStart(headerLength: number): number {
  const end = MAGIC.length + 4 + headerLength;
  return end + ((8 - (end % 8)) % 8);
}

function totalBytes(header: CacheHeader, headerLength: number): number {
  const layout = layoutOf(header);
  return sectionsStart(headerLength) + (layout.names.word + layout.names.words) * 4;
}

export function serializeAsnIndex(index: AsnIndex, key: string): Buffer {
  const encodedNames = index.orgNames.map((name) => Buffer.from(name, 'utf8'));
  const namesBytes = encodedNames.reduce((sum, bytes) => sum + bytes.length, 0);
  const header: CacheHeader = { key: cacheKeyWithPlatform(key), v4Rows: index.v4Asn.length, v6Rows: index.v6Asn.length, orgCount: index.orgNames.length, namesBytes, skippedRows: index.skippedRows };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = sectionsStart(headerBytes.length);
  const out = Buffer.alloc(totalBytes(header, headerBytes.length));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, MAGIC.length + 4);
  const layout = layoutOf(header);
  const words = new Uint32Array(out.buffer, out.byteOffset + start, layout.names.word);
  const put = (name: SectionName, values: ArrayLike<number>): void => words.set(values, layout[name].word);
  const v4Dir = new Uint32Array(layout.v4Dir.words);
  for (let block = 0; block < v4Dir.length; block++) v4Dir[block] = index.v4Start[block * BLOCK_ROWS] as number;
  const v6Dir = new Uint32Array(layout.v6Dir.words);
  for (let block = 0; block * 4 < v6Dir.length; block++) v6Dir.set(index.v6Start.subarray(block * BLOCK_ROWS * 4, block * BLOCK_ROWS * 4 + 4), block * 4);
  put('v4Dir', v4Dir);
  put('v4Start', index.v4Start);
  put('v4End', index.v4End);
  put('v4Asn', index.v4Asn);
  put('v4Org', index.v4Org);
  put('v6Dir', v6Dir);
  put('v6Start', index.v6Start);
  put('v6End', index.v6End);
  put('v6Asn', index.v6Asn);
  put('v6Org', index.v6Org);
  const offsets = new Uint32Array(index.orgNames.length + 1);
  let at = start + layout.names.word * 4;
  for (let i = 0; i < encodedNames.length; i++) {
    offsets[i] = at;
    at += (encodedNames[i] as Buffer).copy(out, at);
  }
  offsets[encodedNames.length] = at;
  put('orgOffsets', offsets);
  return out;
}

function readHeader(file: { size: number; bytes(offset: number, length: number): Buffer }, key: string): { header: CacheHeader; start: number } | null {
  if (file.size < MAGIC.length + 4 || file.bytes(0, MAGIC.length).toString('latin1') !== MAGIC) return null;
  const headerLength = file.bytes(MAGIC.length, 4).readUInt32LE(0);
  if (MAGIC.length + 4 + headerLength > file.size) return null;
  let header: CacheHeader;
  try {
    header = JSON.parse(file.bytes(MAGIC.length + 4, headerLength).toString('utf8')) as CacheHeader;
  } catch {
    return null;
  }
  if (header.key !== cacheKeyWithPlatform(key)) return null;
  for (const count of [header.v4Rows, header.v6Rows, header.orgCount, header.namesBytes, header.skippedRows]) if (!Number.isSafeInteger(count) || count < 0) return null;
  if (file.size !== totalBytes(header, headerLength)) return null;
  return { header, start: sectionsStart(headerLength) };
}

/** Typed views of every section over one word-aligned copy of the file. */
function sectionsOver(bytes: Buffer, header: CacheHeader, start: number): Record<SectionName, Uint32Array> {
  const layout = layoutOf(header);
  let words: Uint32Array;
  if ((bytes.byteOffset + start) % 4 === 0) words = new Uint32Array(bytes.buffer, bytes.byteOffset + start, layout.names.word + layout.names.words);
  else {
    words = new Uint32Array(layout.names.word + layout.names.words);
    new Uint8Array(words.buffer).set(bytes.subarray(start));
  }
  const out = {} as Record<SectionName, Uint32Array>;
  for (const name of SECTION_NAMES) out[name] = words.subarray(layout[name].word, layout[name].word + layout[name].words);
  return out;
}

/** The whole index, or null when the bytes are not an index for this key (stale, truncated, foreign). */
export function deserializeAsnIndex(bytes: Buffer, key: string): AsnIndex | null {
  const found = readHeader({ size: bytes.length, bytes: (offset, length) => bytes.subarray(offset, offset + length) }, key);
  if (!found) return null;
  const s = sectionsOver(bytes, found.header, found.start);
  const orgNames: string[] = [];
  for (let i = 0; i < found.header.orgCount; i++) orgNames.push(bytes.toString('utf8', s.orgOffsets[i] as number, s.orgOffsets[i + 1] as number));
  return { v4Start: s.v4Start, v4End: s.v4End, v4Asn: s.v4Asn, v4Org: s.v4Org, v6Start: s.v6Start, v6End: s.v6End, v6Asn: s.v6Asn, v6Org: s.v6Org, orgNames, skippedRows: found.header.skippedRows };
}

/** Words [first, first + count) of a section, read through the pages. */
function readWords(file: PagedFile, start: number, word: number, count: number): Uint32Array {
  const bytes = file.bytes(start + word * 4, count * 4);
  const out = new Uint32Array(count);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function compareAt(array: Uint32Array, entry: number, words: readonly number[]): number {
  const base = entry * 4;
  for (let i = 0; i < 4; i++) {
    const diff = (array[base + i] as number) - (words[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Last entry of `count` whose key is <= the address, or -1. */
function lastAtOrBelow(count: number, compare: (entry: number) => number): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compare(middle) <= 0) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/**
 * An index file opened for lookups: pages on demand, then (after WHOLE_INDEX_AFTER_LOOKUPS)
 * the whole file as typed arrays. Null when the file is missing or not for this key.
 */
export function openAsnIndexFile(path: string, key: string, options: { map?: boolean } = {}): (AsnTable & { readonly skippedRows: number; close(): void }) | null {
  let file: PagedFile;
  try {
    file = new PagedFile(path, options);
  } catch {
    return null;
  }
  const found = readHeader(file, key);
  if (!found) {
    file.close();
    return null;
  }
  const { header, start } = found;
  const layout = layoutOf(header);
  let v4Dir: Uint32Array | null = null;
  let v6Dir: Uint32Array | null = null;
  let lookups = 0;
  // An object, not a bare `let`: closures switch it, and TypeScript would narrow a let to null.
  const state: { whole: { index: AsnIndex; names: Buffer; offsets: Uint32Array; decoded: (string | undefined)[] } | null } = { whole: null };
  const word = (section: SectionName, index: number): number => readWords(file, start, layout[section].word + index, 1)[0] as number;

  const switchToWhole = (): void => {
    const bytes = file.readAll();
    file.close();
    const s = sectionsOver(bytes, header, start);
    const index: AsnIndex = { v4Start: s.v4Start, v4End: s.v4End, v4Asn: s.v4Asn, v4Org: s.v4Org, v6Start: s.v6Start, v6End: s.v6End, v6Asn: s.v6Asn, v6Org: s.v6Org, orgNames: [], skippedRows: header.skippedRows };
    state.whole = { index, names: bytes, offsets: s.orgOffsets, decoded: new Array<string | undefined>(header.orgCount) };
  };
  const count = (): void => {
    if (++lookups >= WHOLE_INDEX_AFTER_LOOKUPS && !state.whole) switchToWhole();
  };
  const rowInBlock = (dirEntry: number, rows: number, section: 'v4Start' | 'v6Start', compare: (block: Uint32Array, entry: number) => number): number => {
    const first = dirEntry * BLOCK_ROWS;
    const inBlock = Math.min(BLOCK_ROWS, rows - first);
    const wordsPerRow = section === 'v4Start' ? 1 : 4;
    const block = readWords(file, start, layout[section].word + first * wordsPerRow, inBlock * wordsPerRow);
    return first + lastAtOrBelow(inBlock, (entry) => compare(block, entry));
  };

  return {
    skippedRows: header.skippedRows,
    rowV4(value) {
      count();
      const whole = state.whole;
      if (whole) return findAsnRowV4(whole.index, value);
      v4Dir ??= readWords(file, start, layout.v4Dir.word, layout.v4Dir.words);
      const dir = v4Dir;
      const entry = lastAtOrBelow(dir.length, (i) => (dir[i] as number) - value);
      if (entry < 0) return -1;
      const row = rowInBlock(entry, header.v4Rows, 'v4Start', (block, i) => (block[i] as number) - value);
      return value <= word('v4End', row) ? row : -1;
    },
    rowV6(words) {
      count();
      const whole = state.whole;
      if (whole) return findAsnRowV6(whole.index, words);
      v6Dir ??= readWords(file, start, layout.v6Dir.word, layout.v6Dir.words);
      const dir = v6Dir;
      const entry = lastAtOrBelow(dir.length / 4, (i) => compareAt(dir, i, words));
      if (entry < 0) return -1;
      const row = rowInBlock(entry, header.v6Rows, 'v6Start', (block, i) => compareAt(block, i, words));
      return compareAt(readWords(file, start, layout.v6End.word + row * 4, 4), 0, words) >= 0 ? row : -1;
    },
    asnAt(row, v6) {
      const whole = state.whole;
      if (whole) return (v6 ? whole.index.v6Asn[row] : whole.index.v4Asn[row]) as number;
      return word(v6 ? 'v6Asn' : 'v4Asn', row);
    },
    orgAt(row, v6) {
      const whole = state.whole;
      if (whole) {
        const id = (v6 ? whole.index.v6Org[row] : whole.index.v4Org[row]) as number;
        let name = whole.decoded[id];
        if (name === undefined) {
          name = whole.names.toString('utf8', whole.offsets[id] as number, whole.offsets[id + 1] as number);
          whole.decoded[id] = name;
        }
        return name;
      }
      const id = word(v6 ? 'v6Org' : 'v4Org', row);
      if (id >= header.orgCount) return '';
      const span = readWords(file, start, layout.orgOffsets.word + id, 2);
      return file.bytes(span[0] as number, (span[1] as number) - (span[0] as number)).toString('utf8');
    },
    rangeAt(row, v6) {
      const whole = state.whole;
      if (whole && !v6) return [whole.index.v4Start[row] as number, whole.index.v4End[row] as number];
      if (whole) return [wordsToBigInt(whole.index.v6Start.subarray(row * 4, row * 4 + 4)), wordsToBigInt(whole.index.v6End.subarray(row * 4, row * 4 + 4))];
      if (!v6) return [word('v4Start', row), word('v4End', row)];
      return [wordsToBigInt(readWords(file, start, layout.v6Start.word + row * 4, 4)), wordsToBigInt(readWords(file, start, layout.v6End.word + row * 4, 4))];
    },
    orgIdAt(row, v6) {
      const whole = state.whole;
      if (whole) return (v6 ? whole.index.v6Org[row] : whole.index.v4Org[row]) as number;
      return word(v6 ? 'v6Org' : 'v4Org', row);
    },
    orgCount: header.orgCount,
    close() {
      file.close();
    },
  };
}

/** The whole index from the cache file for this key, or null (tests and tools; lookups use openAsnIndexFile). */
export function readAsnIndexCache(cacheDir: string, key: string): AsnIndex | null {
  try {
    const file = new PagedFile(join(cacheDir, asnIndexCacheFileName(key)));
    try {
      return deserializeAsnIndex(file.readAll(), key);
    } finally {
      file.close();
    }
  } catch {
    return null; // no cache yet, or unreadable: rebuild
  }
}

/** Write atomically (temp file + rename), then remove stale files of other keys; failure is not an error. */
export function writeAsnIndexCache(cacheDir: string, key: string, index: AsnIndex, nowMs = Date.now(), staleAfterDays = STALE_AFTER_DAYS): boolean {
  const name = asnIndexCacheFileName(key);
  const target = join(cacheDir, name);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomicSync(target, serializeAsnIndex(index, key), { fsync: false });
  } catch {
    return false;
  }
  removeStaleIndexFiles(cacheDir, name, nowMs, staleAfterDays);
  return true;
}

/** Index files (and abandoned temporaries) of other keys not used for `staleAfterDays`. */
export function removeStaleIndexFiles(cacheDir: string, keep: string, nowMs = Date.now(), staleAfterDays = STALE_AFTER_DAYS): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const base = name.replace(/\.\d+\.\d+\.tmp$/, '');
    if (name === keep || !FILE_PATTERN.test(base)) continue;
    const path = join(cacheDir, name);
    try {
      const ageMs = nowMs - statSync(path).mtimeMs;
      // A temporary older than a day belongs to a run that died; an index file is stale after the limit.
      if (ageMs > (name === base ? staleAfterDays * DAY_MS : DAY_MS)) {
        rmSync(path, { force: true });
        removed.push(name);
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** Marks an index file as in use (its mtime), at most once a day, so cleaning keeps it. */
export function markIndexFileUsed(path: string, nowMs = Date.now()): void {
  try {
    if (nowMs - statSync(path).mtimeMs > DAY_MS) utimesSync(path, new Date(nowMs), new Date(nowMs));
  } catch {
    // read-only install or cache: it is only a hint for cleaning
  }
}
