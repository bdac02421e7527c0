// What every `parse --summary` scanner is: bytes in, per-remote counts out (see
// socket-row-scanner.ts for the WebAssembly fast path, parser-summary-scanner.ts for
// every other format).
import type { ParseDiagnostic } from '../../model/connection.js';
import { decodeText } from '../decode-bytes.js';
import type { CountTable } from './count-table.js';

/** Diagnostics kept in memory; the rest are only counted. */
export const MAX_KEPT_DIAGNOSTICS = 1000;

export interface SummaryScanner {
  readonly table: CountTable;
  readonly diagnostics: ParseDiagnostic[];
  diagnosticCount: number;
  readonly lines: number;
  /** Capture bytes in any chunking. */
  write(chunk: Uint8Array): void;
  /** After the last chunk (a last line without a newline still counts); the table is complete then. */
  finish(): void;
}

/** Keeps the first MAX_KEPT_DIAGNOSTICS, counts all. */
export function keepDiagnostic(scanner: { diagnostics: ParseDiagnostic[]; diagnosticCount: number }, diagnostic: ParseDiagnostic): void {
  scanner.diagnosticCount++;
  if (scanner.diagnostics.length < MAX_KEPT_DIAGNOSTICS) scanner.diagnostics.push(diagnostic);
}

export function lineText(buffer: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buffer[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  const bytes = buffer.subarray(start, end);
  return ascii ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : decodeText(bytes);
}
