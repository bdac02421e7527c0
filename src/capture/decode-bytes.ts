// Bytes of an input -> text: gzip by magic bytes (not by name), UTF-8 when valid, else latin1
// (captures copied off old Windows boxes are Windows-1252; latin1 keeps every byte visible).
import { gunzipSync } from 'node:zlib';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Whole-input reads (every connection printed or analysed) stop here: V8 cannot hold a string
 * much over 512 MiB, and such captures belong to the streaming --summary path.
 */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export function tooLargeMessage(file: string): string {
  return `${file}: more than ${MAX_TEXT_BYTES / 1024 / 1024} MiB of capture text is too much to list connection by connection; use 'netsleuth parse --summary' (streams any size) or split the file`;
}

export function gunzipBytes(bytes: Uint8Array, file: string, onError: (message: string) => Error): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_TEXT_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw onError(tooLargeMessage(file));
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
