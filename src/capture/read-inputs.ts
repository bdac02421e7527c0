// The I/O edge of ingestion: files (several), `-`/no files = stdin, gzip/bzip2, encodings, hashes.
// Parsing itself is pure (parse-capture-text.ts).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import type { Capture, ParseDiagnostic } from '../model/connection.js';
import { MAX_TEXT_BYTES, decodeText, decompressBytes, tooLargeMessage } from './decode-bytes.js';
import { parseCaptureText } from './parse-capture-text.js';

export const STDIN_NAME = '-';

export interface ReadInputsIo {
  stdin: Readable;
  cwd: string;
}

export interface ReadCapturesOptions {
  inputFormat?: string | undefined;
  /** Garbled lines become a fatal UserError instead of diagnostics. */
  strict?: boolean | undefined;
  /** --local-net: which addresses are inside a gateway (conntrack captures). */
  localNets?: readonly string[] | undefined;
  /** Record where each remote's rows are (tally.rows), so its rows can be read back (read-rows.ts). */
  indexRows?: boolean | undefined;
}

/** All of a stream, refusing (not buffering) more than maxBytes (`< /dev/zero` never ends). */
export async function readStream(stream: Readable, name = STDIN_NAME, maxBytes = MAX_TEXT_BYTES, tooLarge = tooLargeMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new UserError(tooLarge(name));
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Raw bytes of one input; errors name the file. */
export async function readInputBytes(input: string, io: ReadInputsIo): Promise<Buffer> {
  if (input === STDIN_NAME) return readStream(io.stdin);
  const path = resolve(io.cwd, input);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${input}: is a directory, not a capture file`);
    if (info.size > MAX_TEXT_BYTES) throw new UserError(tooLargeMessage(input));
    return await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UserError(`${input}: cannot read (${reason})`);
  }
}

/** The text of one input (decompressed, decoded), for tools that look at it without parsing (parse --explain). */
export async function readInputText(input: string, io: ReadInputsIo): Promise<string> {
  const bytes = decompressBytes(await readInputBytes(input, io), input, (message) => new UserError(message));
  if (bytes.length > MAX_TEXT_BYTES) throw new UserError(tooLargeMessage(input));
  return decodeText(bytes);
}

export function captureFromBytes(raw: Buffer, file: string, options: ReadCapturesOptions): Capture {
  const bytes = decompressBytes(raw, file, (message) => new UserError(message));
  if (bytes.length > MAX_TEXT_BYTES) throw new UserError(tooLargeMessage(file));
  const text = decodeText(bytes);
  const capture = parseCaptureText(text, {
    file,
    ...(options.inputFormat === undefined ? {} : { inputFormat: options.inputFormat }),
    ...(options.localNets === undefined ? {} : { localNets: options.localNets }),
  }, {
    sizeBytes: raw.length,
    sha256: createHash('sha256').update(raw).digest('hex'),
  });
  if (options.strict && capture.diagnostics.length > 0) throw strictError(capture.diagnostics);
  return capture;
}

export function strictError(diagnostics: ParseDiagnostic[], total = diagnostics.length): UserError {
  const shown = diagnostics.slice(0, 5).map((diagnostic) => `  ${diagnostic.file}:${diagnostic.line}: ${diagnostic.reason}`);
  const more = total > shown.length ? `\n  ... and ${total - shown.length} more` : '';
  return new UserError(`--strict: ${total} line(s) could not be parsed:\n${shown.join('\n')}${more}`);
}

/** Read and parse every input, in order. No inputs = stdin. */
export async function readCaptures(inputs: string[], io: ReadInputsIo, options: ReadCapturesOptions = {}): Promise<Capture[]> {
  const names = inputs.length === 0 ? [STDIN_NAME] : inputs;
  if (names.filter((name) => name === STDIN_NAME).length > 1) throw new UserError("'-' (stdin) can be given only once");
  const captures: Capture[] = [];
  for (const name of names) captures.push(captureFromBytes(await readInputBytes(name, io), name, options));
  return captures;
}
