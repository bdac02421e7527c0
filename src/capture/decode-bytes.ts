// Bytes of an input -> text: gzip by magic bytes (not by name), UTF-8 when valid, else latin1
// (captures copied off old Windows boxes are Windows-1252; latin1 keeps every byte visible).
import { gunzipSync } from 'node:zlib';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Hard cap on decompressed size for whole-file reads (the --summary path streams instead). */
export const MAX_GUNZIP_BYTES = 1024 * 1024 * 1024;

export function gunzipBytes(bytes: Uint8Array, file: string, onError: (message: string) => Error): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
  } catch (error) {
    throw onError(`${file}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}
