// Bytes of an input -> text: gzip and bzip2 by magic bytes (not by name), UTF-8 when valid, else
// latin1 (captures copied off old Windows boxes are Windows-1252; latin1 keeps every byte visible).
// bzip2 is decoded by seek-bzip (pure JavaScript, no system bzip2 needed, synchronous like
// gunzipSync); its output goes through a sink that stops at MAX_TEXT_BYTES, so a bzip2 bomb
// is refused instead of exhausting memory.
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** `BZh` then the block size digit 1-9 (nat-conntracker's event stream is saved this way). */
export function isBzip2(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68 && bytes[3]! >= 0x31 && bytes[3]! <= 0x39;
}

/**
 * Whole-input reads (every connection printed or analysed) stop here: V8 cannot hold a string
 * much over 512 MiB, and such captures belong to the streaming --summary path.
 */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export function tooLargeMessage(file: string): string {
  return `${file}: more than ${MAX_TEXT_BYTES / 1024 / 1024} MiB of capture text is too much to list connection by connection; use 'netsleuth parse --summary' (streams any size) or split the file`;
}

/**
 * Streamed inputs have no size to stop at: a forced parser fed `/dev/zero` would read forever.
 * Captures are text, so a NUL byte ends the read. Returns the offset of the first NUL, or -1.
 */
export function nulOffset(chunk: Uint8Array): number {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).indexOf(0);
}

export function binaryDataMessage(file: string, offset: number): string {
  return `${file}: binary data (a NUL byte at byte ${offset}): not a text capture`;
}

export function gunzipBytes(bytes: Uint8Array, file: string, onError: (message: string) => Error): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_TEXT_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw onError(tooLargeMessage(file));
    throw onError(`${file}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
}

interface SeekBzip {
  decode(input: Uint8Array, output: { writeByte(byte: number): void }, multistream: boolean): void;
}

class CappedOutput {
  buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  writeByte(byte: number): void {
    if (this.length === this.buffer.length) {
      if (this.length >= MAX_TEXT_BYTES) throw new OutputTooLarge();
      const grown = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, MAX_TEXT_BYTES));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer[this.length++] = byte;
  }
}

class OutputTooLarge extends Error {}

let seekBzip: SeekBzip | null = null;

/** Every bzip2 stream of the input (pbzip2 writes several), decoded; errors name the file. */
export function bunzip2Bytes(bytes: Uint8Array, file: string, onError: (message: string) => Error): Buffer {
  seekBzip ??= createRequire(import.meta.url)('seek-bzip') as SeekBzip;
  const output = new CappedOutput();
  try {
    seekBzip.decode(bytes, output, true);
  } catch (error) {
    if (error instanceof OutputTooLarge) throw onError(tooLargeMessage(file));
    throw onError(`${file}: corrupt or truncated bzip2 data (${String((error as Error).message ?? error)})`);
  }
  return output.buffer.subarray(0, output.length);
}

/** gzip or bzip2 input decompressed; anything else as it is. */
export function decompressBytes(bytes: Uint8Array, file: string, onError: (message: string) => Error): Uint8Array {
  if (isGzip(bytes)) return gunzipBytes(bytes, file, onError);
  if (isBzip2(bytes)) return bunzip2Bytes(bytes, file, onError);
  return bytes;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}
