// The front of a capture stream: gzip and bzip2 known by their magic bytes and decoded, and the
// first decoded bytes kept as text for format detection, without losing a chunk.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { MAX_TEXT_BYTES, binaryDataMessage, bunzip2Bytes, decodeText, isBzip2, isGzip, nulOffset, tooLargeMessage } from './decode-bytes.js';
import { DETECT_SAMPLE_CHARS } from './parse-capture-text.js';

export type Compression = 'gzip' | 'bzip2' | 'none';

export interface DecodedCaptureStream {
  compression: Compression;
  /** The first decoded bytes as text (up to DETECT_SAMPLE_CHARS), for format detection. */
  sampleText: string;
  /** Every decoded chunk in order, the sample's included; binary data and corrupt gzip end it with a UserError. */
  chunks: AsyncGenerator<Uint8Array>;
}

/**
 * gzip streams through zlib; bzip2 is decoded whole (seek-bzip has no streaming decoder), so a
 * bzip2 input is capped at MAX_TEXT_BYTES. Errors name the input.
 */
export async function openDecodedStream(raw: AsyncIterator<Uint8Array | string>, name: string): Promise<DecodedCaptureStream> {
  try {
    return await decodedStream(raw, name);
  } catch (error) {
    throw inputError(error, name);
  }
}

async function decodedStream(raw: AsyncIterator<Uint8Array | string>, name: string): Promise<DecodedCaptureStream> {
  const bytes = asBytes(raw);
  const rawHead = await peek(bytes, 4);
  let source = bytes;
  let first = rawHead;
  const magic = Buffer.concat(rawHead.head);
  const compression: Compression = isGzip(magic) ? 'gzip' : isBzip2(magic) ? 'bzip2' : 'none';
  if (compression === 'gzip') {
    const gunzip = Readable.from(replay(rawHead.head, bytes, rawHead.done)).pipe(createGunzip());
    source = gunzip[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    first = { head: [], size: 0, done: false };
  } else if (compression === 'bzip2') {
    const compressed: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of replay(rawHead.head, bytes, rawHead.done)) {
      size += chunk.length;
      if (size > MAX_TEXT_BYTES) throw new UserError(tooLargeMessage(name));
      compressed.push(chunk);
    }
    const text = bunzip2Bytes(Buffer.concat(compressed), name, (message) => new UserError(message));
    first = { head: [text], size: text.length, done: true };
    source = { next: async () => ({ done: true, value: undefined }) };
  }
  const sample = first.done ? first : await (async () => {
    const more = await peek(source, DETECT_SAMPLE_CHARS - first.size);
    return { head: [...first.head, ...more.head], size: first.size + more.size, done: more.done };
  })();
  const sampleText = decodeText(Buffer.concat(sample.head).subarray(0, DETECT_SAMPLE_CHARS));
  return { compression, sampleText, chunks: textChunks(replay(sample.head, source, sample.done), name) };
}

/** The chunks as they come; a NUL byte means binary data, not a capture. */
async function* textChunks(chunks: AsyncGenerator<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  let offset = 0;
  try {
    for await (const chunk of chunks) {
      const nul = nulOffset(chunk);
      if (nul >= 0) throw new UserError(binaryDataMessage(name, offset + nul));
      offset += chunk.length;
      yield chunk;
    }
  } catch (error) {
    throw inputError(error, name);
  }
}

/** zlib's Z_* errors as the user's: the file is corrupt, not the program. */
function inputError(error: unknown, name: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (!(error instanceof UserError) && typeof code === 'string' && code.startsWith('Z_')) {
    return new UserError(`${name}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
  return error;
}

function asBytes(iterator: AsyncIterator<Uint8Array | string>): AsyncIterator<Uint8Array> {
  return {
    next: async () => {
      const next = await iterator.next();
      if (next.done) return { done: true, value: undefined };
      return { done: false, value: typeof next.value === 'string' ? Buffer.from(next.value) : next.value };
    },
  };
}

/** At least `bytes` from the front of a stream (fewer at its end). */
async function peek(iterator: AsyncIterator<Uint8Array>, bytes: number): Promise<{ head: Uint8Array[]; size: number; done: boolean }> {
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) return { head, size, done: true };
    head.push(next.value);
    size += next.value.length;
  }
  return { head, size, done: false };
}

async function* replay(head: Uint8Array[], iterator: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  yield* head;
  if (done) return;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}
