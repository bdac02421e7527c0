// A data record of an mmdb file (MaxMind DB spec 2.0, "Data Section") decoded with only
// the top-level keys the caller maps: the rest of the map is stepped over without making
// its keys or values. An ip-location-db city record has eight keys; the geography uses five.
// Keys are compared as bytes, once per key string (records share their key strings through
// pointers), so a record costs its wanted values and nothing else.
import { bufferBytes } from './paged-file.js';
import { PagedDecoder } from './mmdb-lazy.js';

const POINTER = 1;
const UTF8_STRING = 2;
const DOUBLE = 3;
const MAP = 7;
const ARRAY = 11;
const BOOLEAN = 14;
const FLOAT = 15;
/** Between the search tree and the data section. */
export const MMDB_DATA_SEPARATOR_BYTES = 16;
/** Nesting deeper than this while stepping over a value is a corrupt or hostile file. */
const MAX_SKIP_DEPTH = 64;

export class RecordKeysDecoder {
  private readonly wanted: Buffer[];
  /** File offset of a key string -> index in `keys`, or -1 for a key nobody reads. */
  private readonly keyAtOffset = new Map<number, number>();
  /** Anything but a map of simple values: mmdb-lib's values, value for value. */
  private readonly full: PagedDecoder;

  constructor(
    private readonly db: Buffer,
    /** File offset that data-section pointers count from (search tree size + 16). */
    private readonly pointerBase: number,
    private readonly keys: readonly string[],
  ) {
    this.wanted = keys.map((key) => Buffer.from(key, 'utf8'));
    this.full = new PagedDecoder(bufferBytes(db), pointerBase);
  }

  /**
   * The value at `offset` (a tree pointer's data offset): a map comes back with only the
   * wanted keys, their values decoded in full; any other value as the full decoder gives it.
   */
  recordAt(offset: number): unknown {
    const db = this.db;
    let at = offset;
    if (this.typeAt(at) === POINTER) at = this.pointerTarget(at);
    if (this.typeAt(at) !== MAP) return this.full.decode(offset).value;
    this.header(at);
    const count = this.size;
    at = this.payload;
    const record: Record<string, unknown> = {};
    for (let pair = 0; pair < count; pair++) {
      if (at >= db.length) throw new Error(`record at offset ${offset} runs past the end of the file`);
      // The key: a string, or a pointer to one.
      let keyOffset = at;
      if (this.typeAt(at) === POINTER) {
        keyOffset = this.pointerTarget(at);
        at += 2 + (((db[at] as number) >> 3) & 3);
      } else {
        this.header(at);
        at = this.payload + this.size;
      }
      const index = this.keyIndex(keyOffset);
      if (index === -2) return this.full.decode(offset).value; // a key that is no string: the full decoder's to judge
      if (index >= 0) {
        const value = this.valueAt(at);
        record[this.keys[index] as string] = value.value;
        at = value.next;
      } else at = this.skip(at, 0);
    }
    return record;
  }

  private typeAt(at: number): number {
    const db = this.db;
    const type = (db[at] as number) >> 5;
    return type === 0 ? (db[at + 1] as number) + 7 : type;
  }

  /** Set by header(): the size and payload offset of the value it read. */
  private size = 0;
  private payload = 0;

  /** Size and payload offset of the value whose control byte is at `at` (not a pointer), into `size` and `payload`. */
  private header(at: number): void {
    const db = this.db;
    const control = db[at] as number;
    let offset = control >> 5 === 0 ? at + 2 : at + 1;
    let size = control & 0x1f;
    if (size === 29) size = 29 + (db[offset++] as number);
    else if (size === 30) {
      size = 285 + (((db[offset] as number) << 8) | (db[offset + 1] as number));
      offset += 2;
    } else if (size === 31) {
      size = 65821 + (((db[offset] as number) << 16) | ((db[offset + 1] as number) << 8) | (db[offset + 2] as number));
      offset += 3;
    }
    this.size = size;
    this.payload = offset;
  }

  /** Where the pointer whose control byte is at `at` leads (mmdb-lib's decodePointer). */
  private pointerTarget(at: number): number {
    const db = this.db;
    const control = db[at] as number;
    const sizeBits = (control >> 3) & 3;
    const o = at + 1;
    let packed: number;
    let base = 0;
    if (sizeBits === 0) packed = ((control & 7) << 8) | (db[o] as number);
    else if (sizeBits === 1) {
      packed = ((control & 7) << 16) | ((db[o] as number) << 8) | (db[o + 1] as number);
      base = 2048;
    } else if (sizeBits === 2) {
      packed = ((control & 7) * 0x1000000 + (((db[o] as number) << 16) | ((db[o + 1] as number) << 8) | (db[o + 2] as number))) >>> 0;
      base = 526336;
    } else packed = db.readUInt32BE(o);
    return this.pointerBase + base + packed;
  }

  /** Index of the key string at `offset` in `keys`, -1 when unwanted, -2 when it is no string. */
  private keyIndex(offset: number): number {
    let index = this.keyAtOffset.get(offset);
    if (index === undefined) {
      index = -2;
      if (this.typeAt(offset) === UTF8_STRING) {
        this.header(offset);
        const { size, payload } = this;
        index = this.wanted.findIndex((key) => key.length === size && this.db.compare(key, 0, size, payload, payload + size) === 0);
      }
      this.keyAtOffset.set(offset, index);
    }
    return index;
  }

  /** A wanted value: strings and numbers read here, anything else by the full decoder. */
  private valueAt(at: number): { value: unknown; next: number } {
    const db = this.db;
    if (this.typeAt(at) === POINTER) {
      const target = this.pointerTarget(at);
      return { value: this.simpleValue(target), next: at + 2 + (((db[at] as number) >> 3) & 3) };
    }
    const type = this.typeAt(at);
    if (type === UTF8_STRING || type === DOUBLE || type === FLOAT) {
      const value = this.simpleValue(at);
      return { value, next: this.payload + this.size };
    }
    return this.full.decode(at);
  }

  private simpleValue(at: number): unknown {
    const type = this.typeAt(at);
    if (type === UTF8_STRING || type === DOUBLE || type === FLOAT) this.header(at);
    // header() set size and payload; read as mmdb-lib reads them.
    if (type === UTF8_STRING) return this.db.toString('utf8', this.payload, this.payload + this.size);
    if (type === DOUBLE) return this.db.readDoubleBE(this.payload);
    if (type === FLOAT) return this.db.readFloatBE(this.payload);
    return this.full.decode(at).value;
  }

  /** The offset after the value at `at`, without decoding it. */
  private skip(at: number, depth: number): number {
    if (depth > MAX_SKIP_DEPTH) throw new Error(`data nested deeper than ${MAX_SKIP_DEPTH} levels at offset ${at}`);
    if (at >= this.db.length) throw new Error(`data runs past the end of the file at offset ${at}`);
    const type = this.typeAt(at);
    if (type === POINTER) return at + 2 + (((this.db[at] as number) >> 3) & 3);
    this.header(at);
    const { size, payload } = this;
    if (type === MAP || type === ARRAY) {
      let next = payload;
      for (let item = 0; item < (type === MAP ? size * 2 : size); item++) next = this.skip(next, depth + 1);
      return next;
    }
    return type === BOOLEAN ? payload : payload + size;
  }
}
