// Reading saved traces from disk or stdin: bytes -> text (UTF-8, UTF-16 with BOM, else Windows-1252).
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { parseTraceText, type TraceTextResult } from './parse.js';

export const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/**
 * Windows `tracert > file` in cmd.exe writes the OEM/ANSI code page (win32-tracert/trace_tracert.txt
 * is Windows-1252, 'é' = 0xE9); PowerShell redirection writes UTF-16LE with a BOM.
 */
export function decodeTraceBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export async function readTraceFile(path: string, options: { inputFormat?: string | undefined; displayName?: string } = {}): Promise<TraceTextResult> {
  const file = options.displayName ?? path;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${file}: is a directory, not a trace file`, 2);
    if (info.size > MAX_TRACE_BYTES) throw new UserError(`${file}: ${info.size} bytes is larger than the ${MAX_TRACE_BYTES}-byte limit for a trace file`, 2);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: cannot read (${code ?? (error as Error).message})`, 2);
  }
  return parseTraceText(decodeTraceBytes(bytes), { file, inputFormat: options.inputFormat });
}
