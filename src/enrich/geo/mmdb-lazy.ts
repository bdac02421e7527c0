// An .mmdb file opened without reading it whole: the metadata from the file's tail,
// tree nodes and records by positional reads of the pages they sit on (MaxMind DB
// spec 2.0: search tree, 16-byte separator, data section, metadata after
// "\xab\xcd\xefMaxMind.com"). A one-address lookup in the 28 MB embedded city
// database reads a few dozen kilobytes instead of 45 MB.
//
// Past a few hundred lookups the pages add up to more than the file, so the reader
// switches itself to the whole-file path: the file read once (or its mapping, which
// costs nothing to read whole: paged-file.ts), our tree walker over the buffer and
// `maxmind`'s decoder (required only then). Both paths give the same
// tree pointers, so records memoised per pointer stay valid across the switch.
import { createRequire } from 'node:module';
import { ipv4ToInt, parseIpAddress } from '../../net/ip.js';
import { ipv6ToWords } from '../../net/ipv6-words.js';
import { createTreeWalkers, type Ipv4Walker, type Ipv6Walker } from './mmdb-tree-walker.js';
import { bufferBytes, PAGE_BYTES, PagedFile, type ByteReader } from './paged-file.js';

const METADATA_MARKER = Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1');
/** The spec caps the metadata section at 128 KiB. */
const METADATA_MAX_BYTES = 128 * 1024;
const DATA_SECTION_SEPARATOR_BYTES = 16;
/** Pointers to pointers and nesting deeper than this is a corrupt or hostile file. */
const MAX_DECODE_DEPTH = 64;
/**
 * Lookups after which the whole file is read once the pages read come to FILE_SHARE_FOR_WHOLE of
 * it: random addresses touch most of an IPv4 tree, while a list of IPv6 addresses (a few /16s)
 * reads a few hundred kilobytes of a 17 MB file. Past WHOLE_FILE_AFTER_LOOKUPS it is read anyway.
 */
const WHOLE_FILE_MIN_LOOKUPS = 256;
export const WHOLE_FILE_AFTER_LOOKUPS = 8192;
const FILE_SHARE_FOR_WHOLE = 1 / 8;

interface Cursor {
  value: unknown;
  next: number;
}

/**
 * The MaxMind DB data-section decoder over positional reads. It mirrors mmdb-lib's
 * Decoder value for value (maps as plain objects, uint64/uint128 as bigint, bytes as a
 * Buffer), so records decoded either way map to the same attribution.
 */
export class PagedDecoder {
  constructor(
    private readonly file: ByteReader,
    /** File offset that data-section pointers count from. */
    private readonly pointerBase: number,
  ) {}

  decode(offset: number, depth = 0): Cursor {
    if (depth > MAX_DECODE_DEPTH) throw new Error(`data nested deeper than ${MAX_DECODE_DEPTH} levels at offset ${offset}`);
    const control = this.file.byte(offset++);
    let type = control >> 5;
    if (type === 1) {
      const pointer = this.pointer(control, offset);
      return { value: this.decode(pointer.target, depth + 1).value, next: pointer.next };
    }
    if (type === 0) {
      type = this.file.byte(offset) + 7;
      if (type < 8) throw new Error(`invalid extended type at offset ${offset}`);
      offset++;
    }
    let size = control & 0x1f;
    if (size === 29) {
      size = 29 + this.file.byte(offset);
      offset += 1;
    } else if (size === 30) {
      size = 285 + this.file.bytes(offset, 2).readUInt16BE(0);
      offset += 2;
    } else if (size === 31) {
      size = 65821 + this.file.bytes(offset, 3).readUIntBE(0, 3);
      offset += 3;
    }
    const next = offset + size;
    switch (type) {
      case 2:
        return { value: this.file.bytes(offset, size).toString('utf8'), next };
      case 3:
        return { value: this.file.bytes(offset, 8).readDoubleBE(0), next };
      case 4:
        return { value: Buffer.from(this.file.bytes(offset, size)), next };
      case 5:
      case 6:
        if (size > 4) throw new Error(`invalid size for unsigned integer: ${size}`);
        return { value: size === 0 ? 0 : this.file.bytes(offset, size).readUIntBE(0, size), next };
      case 7: {
        const map: Record<string, unknown> = {};
        let at = offset;
        for (let i = 0; i < size; i++) {
          const key = this.decode(at, depth + 1);
          const value = this.decode(key.next, depth + 1);
          map[key.value as string] = value.value;
          at = value.next;
        }
        return { value: map, next: at };
      }
      case 8:
        return { value: size === 0 ? 0 : size < 4 ? this.file.bytes(offset, size).readUIntBE(0, size) : this.file.bytes(offset, 4).readInt32BE(0), next };
      case 9:
      case 10: {
        if (size > 16) throw new Error(`invalid size for big unsigned integer: ${size}`);
        let integer = 0n;
        const bytes = this.file.bytes(offset, size);
        for (let i = 0; i < size; i++) integer = (integer << 8n) | BigInt(bytes[i] as number);
        return { value: integer, next };
      }
      case 11: {
        const array: unknown[] = new Array(size);
        let at = offset;
        for (let i = 0; i < size; i++) {
          const item = this.decode(at, depth + 1);
          array[i] = item.value;
          at = item.next;
        }
        return { value: array, next: at };
      }
      case 14:
        return { value: size !== 0, next: offset };
      case 15:
        return { value: this.file.bytes(offset, 4).readFloatBE(0), next };
    }
    throw new Error(`unknown data type ${type} at offset ${offset}`);
  }

  private pointer(control: number, offset: number): { target: number; next: number } {
    const sizeBits = (control >> 3) & 3;
    const bytes = this.file.bytes(offset, sizeBits + 1);
    let packed: number;
    let base = 0;
    if (sizeBits === 0) packed = ((control & 7) << 8) | (bytes[0] as number);
    else if (sizeBits === 1) {
      packed = ((control & 7) << 16) | bytes.readUInt16BE(0);
      base = 2048;
    } else if (sizeBits === 2) {
      packed = ((control & 7) << 24) | bytes.readUIntBE(0, 3);
      base = 526336;
    } else packed = bytes.readUInt32BE(0);
    return { target: this.pointerBase + base + packed, next: offset + sizeBits + 1 };
  }
}

export interface MmdbMetadata {
  databaseType: string;
  ipVersion: 4 | 6;
  nodeCount: number;
  recordSize: number;
  searchTreeSize: number;
  buildDate: Date;
  description: string | null;
}

function readMetadata(file: PagedFile): MmdbMetadata {
  const tailStart = Math.max(0, file.size - METADATA_MAX_BYTES);
  const tail = file.bytes(tailStart, file.size - tailStart);
  const marker = tail.lastIndexOf(METADATA_MARKER);
  if (marker < 0) throw new Error('no MaxMind DB metadata marker (not an .mmdb file, or truncated)');
  const start = tailStart + marker + METADATA_MARKER.length;
  const raw = new PagedDecoder(file, start).decode(start).value as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') throw new Error('unreadable metadata');
  const ipVersion = raw.ip_version;
  const recordSize = raw.record_size;
  const nodeCount = raw.node_count;
  if (ipVersion !== 4 && ipVersion !== 6) throw new Error(`unsupported ip_version ${String(ipVersion)}`);
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw new Error(`unsupported record size ${String(recordSize)}`);
  const searchTreeSize = typeof nodeCount === 'number' ? (nodeCount * recordSize) / 4 : NaN;
  if (!(searchTreeSize > 0) || searchTreeSize + DATA_SECTION_SEPARATOR_BYTES > file.size) {
    throw new Error(`search tree of ${String(nodeCount)} nodes does not fit in ${file.size} bytes (corrupt node count)`);
  }
  const description = (raw.description as Record<string, unknown> | undefined)?.en;
  return {
    databaseType: String(raw.database_type),
    ipVersion,
    nodeCount: nodeCount as number,
    recordSize,
    searchTreeSize,
    buildDate: new Date(Number(raw.build_epoch) * 1000),
    description: typeof description === 'string' ? description : null,
  };
}

/** One tree record (left or right) of a node, read a byte at a time from the pages (no buffer per node). */
function pagedRecordReader(file: PagedFile, recordSize: 24 | 28 | 32): (node: number, right: boolean) => number {
  const b = (offset: number): number => file.byte(offset);
  if (recordSize === 24) {
    return (node, right) => {
      const o = node * 6 + (right ? 3 : 0);
      return (b(o) << 16) | (b(o + 1) << 8) | b(o + 2);
    };
  }
  if (recordSize === 28) {
    return (node, right) => {
      const o = node * 7;
      return right ? (b(o + 3) & 0x0f) * 0x1000000 + ((b(o + 4) << 16) | (b(o + 5) << 8) | b(o + 6)) : ((b(o + 3) & 0xf0) >>> 4) * 0x1000000 + ((b(o) << 16) | (b(o + 1) << 8) | b(o + 2));
    };
  }
  return (node, right) => {
    const o = node * 8 + (right ? 4 : 0);
    return b(o) * 0x1000000 + ((b(o + 1) << 16) | (b(o + 2) << 8) | b(o + 3));
  };
}

export class LazyMmdb {
  readonly metadata: MmdbMetadata;
  private file: PagedFile | null;
  private readonly decoder: PagedDecoder;
  private readonly record: (node: number, right: boolean) => number;
  private ipv4StartNode = -1;
  private lookups = 0;
  /** Set once the whole file is read: the fast walkers and maxmind's decoder over it. */
  private whole: { v4: Ipv4Walker; v6: Ipv6Walker | null; recordAt: (pointer: number) => unknown; bytes: Buffer } | null = null;

  /** `options.map: false` reads pages even where the file could be mapped (paged-file.ts). */
  constructor(
    readonly path: string,
    options: { map?: boolean } = {},
  ) {
    this.file = new PagedFile(path, options);
    try {
      this.metadata = readMetadata(this.file);
    } catch (error) {
      this.file.close();
      throw error;
    }
    this.decoder = new PagedDecoder(this.file, this.metadata.searchTreeSize + DATA_SECTION_SEPARATOR_BYTES);
    this.record = pagedRecordReader(this.file, this.metadata.recordSize as 24 | 28 | 32);
  }

  /** True once the reader switched to the whole file in memory. */
  get isWholeFile(): boolean {
    return this.whole !== null;
  }

  /** The whole file once the reader switched to it (for decoders of its own), else null. */
  get wholeBytes(): Buffer | null {
    return this.whole?.bytes ?? null;
  }

  /** IPv4 address (unsigned 32-bit) -> record pointer (> nodeCount), or -1. */
  walkV4(value: number): number {
    if (this.whole || this.count()) return (this.whole as NonNullable<LazyMmdb['whole']>).v4(value);
    const { nodeCount } = this.metadata;
    let node = this.ipv4Start();
    for (let bit = 31; bit >= 0 && node < nodeCount; bit--) node = this.record(node, ((value >>> bit) & 1) === 1);
    return node > nodeCount ? node : -1;
  }

  /** IPv6 address (four 32-bit words) -> record pointer, or -1. IPv6 trees only. */
  walkV6(words: readonly number[]): number {
    if (this.metadata.ipVersion !== 6) return -1;
    if (this.whole || this.count()) return ((this.whole as NonNullable<LazyMmdb['whole']>).v6 as Ipv6Walker)(words);
    const { nodeCount } = this.metadata;
    let node = 0;
    for (let word = 0; word < 4 && node < nodeCount; word++) {
      const value = words[word] as number;
      for (let bit = 31; bit >= 0 && node < nodeCount; bit--) node = this.record(node, ((value >>> bit) & 1) === 1);
    }
    return node > nodeCount ? node : -1;
  }

  /** The record a pointer from walkV4/walkV6 leads to. */
  recordAt(pointer: number): unknown {
    if (this.whole) return this.whole.recordAt(pointer);
    return this.decoder.decode(this.dataOffset(pointer)).value;
  }

  private dataOffset(pointer: number): number {
    return pointer - this.metadata.nodeCount + this.metadata.searchTreeSize;
  }

  /** maxmind's Reader.get for an address as text (null when there is no record). */
  get(ip: string): unknown {
    const parsed = parseIpAddress(ip);
    if (!parsed) throw new Error(`'${ip}' is not an IP address`);
    const pointer = parsed.version === 4 ? this.walkV4(ipv4ToInt(parsed.text)) : this.walkV6(ipv6ToWords(parsed.text));
    return pointer < 0 ? null : this.recordAt(pointer);
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }

  /** Counts a lookup; true when this one switched the reader to the whole file. */
  private count(): boolean {
    if (++this.lookups < WHOLE_FILE_MIN_LOOKUPS) return false;
    const file = this.file as PagedFile;
    // A mapped file is whole already: only maxmind's decoder is left to load, worth it past a few lookups.
    if (!file.isMapped && this.lookups < WHOLE_FILE_AFTER_LOOKUPS && file.pagesRead * PAGE_BYTES < file.size * FILE_SHARE_FOR_WHOLE) return false;
    this.readWholeFile();
    return true;
  }

  private readWholeFile(): void {
    const file = this.file as PagedFile;
    const bytes = file.readAll();
    file.close();
    this.file = null;
    const walkers = createTreeWalkers(bytes, this.metadata);
    if (!walkers) throw new Error(`unsupported record size ${this.metadata.recordSize}`);
    // CommonJS, so it loads synchronously in the middle of a lookup; only bulk runs pay for it.
    const { Reader: MaxmindReader } = createRequire(import.meta.url)('maxmind') as typeof import('maxmind');
    const reader = new MaxmindReader<Record<string, unknown>>(bytes);
    const resolve = (reader as unknown as { resolveDataPointer?: (pointer: number) => unknown }).resolveDataPointer;
    const decoder = new PagedDecoder(bufferBytes(bytes), this.metadata.searchTreeSize + DATA_SECTION_SEPARATOR_BYTES);
    const recordAt = typeof resolve === 'function' ? (pointer: number) => resolve.call(reader, pointer) : (pointer: number) => decoder.decode(this.dataOffset(pointer)).value;
    this.whole = { v4: walkers.v4, v6: walkers.v6, recordAt, bytes };
  }

  private ipv4Start(): number {
    if (this.ipv4StartNode < 0) {
      let node = 0;
      if (this.metadata.ipVersion === 6) for (let depth = 0; depth < 96 && node < this.metadata.nodeCount; depth++) node = this.record(node, false);
      this.ipv4StartNode = node;
    }
    return this.ipv4StartNode;
  }
}
