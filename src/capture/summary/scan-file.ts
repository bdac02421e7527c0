// Read a byte range of a regular file in fixed-size chunks into a scanner: memory stays at
// one chunk however large the file is. A scanner that offers a window into its own memory
// (the WebAssembly one) is read into directly: no copy, and no buffer of our own to fault in.
import { closeSync, openSync, readSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { binaryDataMessage, nulOffset } from '../decode-bytes.js';

/** Measured on the target VM: 1 MiB reads take the 100 MB bench file in 33 ms, 4 MiB in 46, 64 KiB in 90. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** Where bytes may be read straight into: window() is valid until commit(), which takes its first `bytes`. */
export interface DirectWindow {
  window(maxBytes: number): Uint8Array;
  commit(bytes: number): void;
}

export type RangeSink = { write(chunk: Uint8Array): void } & Partial<DirectWindow>;

/**
 * [start, end) of a file, a chunk per readInto(). A NUL byte means binary data, not a capture:
 * refused as the stream reader refuses it (decoded-stream.ts), naming the file and the offset.
 */
export class FileRangeReader {
  readonly #fd: number;
  #position: number;
  #buffer: Buffer | null = null;

  /** `observe`: sees every chunk's bytes (checked, before the sink does). */
  constructor(
    path: string,
    start: number,
    private readonly end: number,
    private readonly name: string,
    private readonly chunkBytes = READ_CHUNK_BYTES,
    private readonly observe?: (bytes: Uint8Array) => void,
  ) {
    this.#fd = openSync(path, 'r');
    this.#position = start;
  }

  /** Bytes read so far, from the range's start. */
  get position(): number {
    return this.#position;
  }

  /** Reads the next chunk into `sink`; false at the range's end. */
  readInto(sink: RangeSink): boolean {
    const want = Math.min(this.chunkBytes, this.end - this.#position);
    if (want <= 0) return false;
    if (sink.window && sink.commit) {
      const target = sink.window(want);
      const read = readSync(this.#fd, target, 0, target.length, this.#position);
      if (read === 0) return false;
      this.#check(target.subarray(0, read));
      sink.commit(read);
      return true;
    }
    this.#buffer ??= Buffer.allocUnsafe(Math.max(1, Math.min(this.chunkBytes, this.end - this.#position)));
    const read = readSync(this.#fd, this.#buffer, 0, Math.min(this.#buffer.length, want), this.#position);
    if (read === 0) return false;
    const chunk = this.#buffer.subarray(0, read);
    this.#check(chunk);
    sink.write(chunk);
    return true;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #check(bytes: Uint8Array): void {
    const nul = nulOffset(bytes);
    if (nul >= 0) throw new UserError(binaryDataMessage(this.name, this.#position + nul));
    this.#position += bytes.length;
    this.observe?.(bytes);
  }
}

/** The whole range into `sink`; `name` is the file as the user gave it (for the binary-data refusal). */
export function scanFileRange(path: string, start: number, end: number, name: string, sink: RangeSink, chunkBytes = READ_CHUNK_BYTES): void {
  const reader = new FileRangeReader(path, start, end, name, chunkBytes);
  try {
    while (reader.readInto(sink));
  } finally {
    reader.close();
  }
}

/**
 * Split [0, size) into `parts` ranges that start right after a newline. The first range can be
 * given more (`firstShare`, a fraction of the file): it is scanned by the main thread, which starts
 * at once while each worker first spends tens of milliseconds booting.
 */
export function splitAtNewlines(path: string, size: number, parts: number, firstShare = 1 / parts): [number, number][] {
  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(64 * 1024);
    const starts = [0];
    const first = Math.min(Math.max(firstShare, 0), 1);
    for (let part = 1; part < parts; part++) {
      const fraction = first + ((1 - first) * (part - 1)) / (parts - 1);
      let position = Math.max(Math.floor(size * fraction), starts[starts.length - 1]!);
      let found = -1;
      while (position < size && found < 0) {
        const read = readSync(fd, probe, 0, probe.length, position);
        if (read === 0) break;
        const newline = probe.subarray(0, read).indexOf(10);
        if (newline >= 0) found = position + newline + 1;
        position += read;
      }
      if (found < 0 || found >= size) break;
      starts.push(found);
    }
    return starts.map((rangeStart, index) => [rangeStart, starts[index + 1] ?? size]);
  } finally {
    closeSync(fd);
  }
}
