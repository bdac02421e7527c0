// Read a byte range of a regular file in fixed-size chunks into a scanner: memory stays at
// one chunk however large the file is.
import { closeSync, openSync, readSync } from 'node:fs';

export const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** Chunks of [start, end) read into one reused buffer (each chunk is valid until the next). */
export function* readRangeChunks(path: string, start: number, end: number, chunkBytes = READ_CHUNK_BYTES): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, end - start)));
    let position = start;
    while (position < end) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (read === 0) break;
      yield buffer.subarray(0, read);
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

export function scanFileRange(path: string, start: number, end: number, sink: { write(chunk: Uint8Array): void }, chunkBytes = READ_CHUNK_BYTES): void {
  for (const chunk of readRangeChunks(path, start, end, chunkBytes)) sink.write(chunk);
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
