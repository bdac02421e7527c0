// A large read-only file for callers that touch a few kilobytes of it (one address looked
// up in a 28 MB database) and sometimes all of it (50,000 addresses). Mapped into memory
// when the mmap addon is there (mapped-file.ts): every read is a view of the mapping, and
// readAll() costs nothing. Otherwise positional reads a page at a time, since reading the
// whole file would cost more than a few lookups; readAll() then reads it whole.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mapFile } from './mapped-file.js';

const PAGE_BITS = 12;
export const PAGE_BYTES = 1 << PAGE_BITS;

/** What a decoder needs of its bytes: a whole Buffer or pages of a file. */
export interface ByteReader {
  byte(offset: number): number;
  bytes(offset: number, length: number): Buffer;
}

export function bufferBytes(buffer: Buffer): ByteReader {
  return {
    byte: (offset) => {
      const value = buffer[offset];
      if (value === undefined) throw new RangeError(`byte ${offset} is outside the buffer (${buffer.length} bytes)`);
      return value;
    },
    bytes: (offset, length) => {
      if (!(offset >= 0) || !(length >= 0) || offset + length > buffer.length) throw new RangeError(`read of ${length} bytes at ${offset} is outside the buffer (${buffer.length} bytes)`);
      return buffer.subarray(offset, offset + length);
    },
  };
}

export class PagedFile implements ByteReader {
  readonly size: number;
  private fd: number | null = null;
  /** The whole file mapped into memory, when it could be (then there is no fd and no page is read). */
  private mapped: Buffer | null;
  /** Pages read so far, by page number (an array: the tree walk reads a byte at a time through it). */
  private readonly pages: (Buffer | undefined)[] = [];
  /** Pages read from disk so far (tests and the upgrade heuristic). */
  pagesRead = 0;

  /** `map: false` reads pages even where the file could be mapped (tests compare the two). */
  constructor(
    readonly path: string,
    { map = true }: { map?: boolean } = {},
  ) {
    this.mapped = map ? mapFile(path) : null;
    if (this.mapped) {
      this.size = this.mapped.length;
      return;
    }
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  /** `length` bytes from `offset` (a view of a cached page when it fits in one). Throws past the end. */
  bytes(offset: number, length: number): Buffer {
    if (!(offset >= 0) || !(length >= 0) || offset + length > this.size) throw new RangeError(`read of ${length} bytes at ${offset} is outside ${this.path} (${this.size} bytes)`);
    if (this.mapped) return this.mapped.subarray(offset, offset + length);
    const first = offset >>> PAGE_BITS;
    const start = offset - first * PAGE_BYTES;
    if (start + length <= PAGE_BYTES) return this.page(first).subarray(start, start + length);
    const out = Buffer.allocUnsafe(length);
    this.readAt(out, offset);
    return out;
  }

  byte(offset: number): number {
    if (!(offset >= 0) || offset >= this.size) throw new RangeError(`byte ${offset} is outside ${this.path} (${this.size} bytes)`);
    if (this.mapped) return this.mapped[offset] as number;
    return (this.pages[offset >>> PAGE_BITS] ?? this.page(offset >>> PAGE_BITS))[offset & (PAGE_BYTES - 1)] as number;
  }

  /** True when the file is mapped: reading it whole costs nothing. */
  get isMapped(): boolean {
    return this.mapped !== null;
  }

  /** The whole file in one buffer (the caller then stops using pages): the mapping itself, or a read. */
  readAll(): Buffer {
    if (this.mapped) return this.mapped;
    const out = Buffer.allocUnsafe(this.size);
    this.readAt(out, 0);
    return out;
  }

  /** A mapping is released when the last Buffer over it is collected (readAll's caller may keep it). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.mapped = null;
    this.pages.length = 0;
  }

  private page(index: number): Buffer {
    let page = this.pages[index];
    if (!page) {
      const offset = index * PAGE_BYTES;
      page = Buffer.allocUnsafe(Math.min(PAGE_BYTES, this.size - offset));
      this.readAt(page, offset);
      this.pages[index] = page;
      this.pagesRead++;
    }
    return page;
  }

  private readAt(target: Buffer, position: number): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    let done = 0;
    while (done < target.length) {
      const read = readSync(this.fd, target, done, target.length - done, position + done);
      if (read === 0) throw new Error(`${this.path} ended early (truncated while open?)`);
      done += read;
    }
  }
}
