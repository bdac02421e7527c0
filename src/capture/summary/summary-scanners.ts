// NetstatLinuxSummaryScanner byte-scans Linux `netstat -tan` rows with an IPv4 remote and a plain
// state word (the flood case) straight into integer keys; any other line goes through the real
// netstat-linux parser (slow-path.ts), so the counts equal those of `parse`. Workers load this
// file without the parser and fetch it only when their range has such a line.
import type { ParseDiagnostic } from '../../model/connection.js';
import { decodeText } from '../decode-bytes.js';
import type { LineParser } from '../parser-types.js';
import { CountTable, LARGE_TABLE_CAPACITY, STATE_INDEX } from './count-table.js';
import type { ByteLineHandler } from './line-assembler.js';
import type { SlowParserFactory } from './slow-path.js';

/** Diagnostics kept in memory; the rest are only counted. */
export const MAX_KEPT_DIAGNOSTICS = 1000;

export interface SummaryScanner extends ByteLineHandler {
  readonly table: CountTable;
  readonly diagnostics: ParseDiagnostic[];
  diagnosticCount: number;
  lines: number;
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

// State words as bytes, indexed by length for a quick reject.
const STATE_WORDS: { bytes: Uint8Array; index: number }[][] = [];
for (const state of ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'] as const) {
  (STATE_WORDS[state.length] ??= []).push({ bytes: Buffer.from(state, 'latin1'), index: STATE_INDEX[state] });
}
const UNKNOWN_INDEX = STATE_INDEX.UNKNOWN;
const SPACE = 32;

// Byte classes for the local-address scan: one table load per byte instead of a chain of compares.
const BAD = 0;
const OK = 1;
const SPACE_CLASS = 2;
const COLON_CLASS = 3;
const BYTE_CLASS = new Uint8Array(256);
for (let byte = 0x21; byte <= 0x7e; byte++) BYTE_CLASS[byte] = OK;
BYTE_CLASS[SPACE] = SPACE_CLASS;
BYTE_CLASS[58] = COLON_CLASS;
// Brackets, zones and non-ASCII names are rare: the full parser decides those.
BYTE_CLASS[91] = BAD;
BYTE_CLASS[37] = BAD;

function stateIndexAt(buffer: Uint8Array, start: number, end: number): number {
  const candidates = STATE_WORDS[end - start];
  if (candidates === undefined) return -1;
  for (let c = 0; c < candidates.length; c++) {
    const word = candidates[c]!.bytes;
    let i = 0;
    while (i < word.length && buffer[start + i] === word[i]) i++;
    if (i === word.length) return candidates[c]!.index;
  }
  return -1;
}

/** Digits of a port (at most 65535) or '*'. */
function portOk(b: Uint8Array, start: number, end: number): boolean {
  if (end - start === 1 && b[start] === 42) return true;
  if (end === start || end - start > 5) return false;
  let port = 0;
  for (let i = start; i < end; i++) {
    const digit = b[i]! - 48;
    if (digit < 0 || digit > 9) return false;
    port = port * 10 + digit;
  }
  return port <= 65535;
}

/** The remote IPv4 key of the last fastRow() that succeeded (a typed slot: no boxed doubles). */
const lastKey = new Uint32Array(1);

/**
 * One Linux netstat row with an IPv4 foreign address: its state index (and lastKey), or -1 when
 * the full parser must decide. Mirrors netstat-linux.ts exactly for the rows it accepts.
 */
function fastRow(b: Uint8Array, start: number, end: number): number {
  if (end - start < 16) return -1;
  let p = start;
  // proto: tcp | tcp6 | udp | udp6
  let isTcp: boolean;
  if (b[p] === 116 && b[p + 1] === 99 && b[p + 2] === 112) isTcp = true;
  else if (b[p] === 117 && b[p + 1] === 100 && b[p + 2] === 112) isTcp = false;
  else return -1;
  p += 3;
  if (b[p] === 54) p++;
  if (b[p] !== SPACE) return -1;
  // Recv-Q, Send-Q
  for (let column = 0; column < 2; column++) {
    while (p < end && b[p] === SPACE) p++;
    const digitsStart = p;
    while (p < end && b[p]! >= 48 && b[p]! <= 57) p++;
    if (p === digitsStart || p - digitsStart > 15 || p >= end || b[p] !== SPACE) return -1;
  }
  // Local address: printable, ADDR:PORT with PORT digits or '*'.
  while (p < end && b[p] === SPACE) p++;
  const localStart = p;
  let lastColon = -1;
  for (; p < end; p++) {
    const byteClass = BYTE_CLASS[b[p]!]!;
    if (byteClass === SPACE_CLASS) break;
    if (byteClass === BAD) return -1;
    if (byteClass === COLON_CLASS) lastColon = p;
  }
  if (p >= end || lastColon <= localStart || !portOk(b, lastColon + 1, p)) return -1;
  // Foreign address: strict dotted quad (no leading zeros), then ':' PORT.
  while (p < end && b[p] === SPACE) p++;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (;;) {
    if (p >= end) return -1;
    const c = b[p]!;
    if (c === 58) break;
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      const digit = c - 48;
      if (digit < 0 || digit > 9 || (digits > 0 && octet === 0)) return -1;
      octet = octet * 10 + digit;
      if (octet > 255 || ++digits > 3) return -1;
    }
    p++;
  }
  if (dots !== 3 || digits === 0) return -1;
  const portStart = ++p;
  while (p < end && b[p] !== SPACE && b[p] !== 9) p++;
  if (!portOk(b, portStart, p)) return -1;
  // State word (tcp always has one; udp may have one, or the next column / nothing).
  while (p < end && b[p] === SPACE) p++;
  const stateStart = p;
  while (p < end && b[p] !== SPACE) p++;
  let stateIndex = stateStart === p ? -1 : stateIndexAt(b, stateStart, p);
  if (stateIndex < 0) {
    // udp rows without a state column end here; anything else (ss spellings, lower case, a
    // PID column, the word UNKNOWN) is for the full parser, which knows every spelling.
    if (isTcp || stateStart !== p) return -1;
    stateIndex = UNKNOWN_INDEX;
  }
  lastKey[0] = value * 256 + octet;
  return stateIndex;
}

export class NetstatLinuxSummaryScanner implements SummaryScanner {
  readonly diagnostics: ParseDiagnostic[] = [];
  diagnosticCount = 0;
  lines = 0;
  private slow: LineParser | null = null;
  /** Lines waiting for the parser (workers attach it on demand). */
  private pending: { text: string; line: number }[] = [];

  constructor(private readonly file: string, readonly table: CountTable = new CountTable(LARGE_TABLE_CAPACITY), slowParser?: SlowParserFactory) {
    if (slowParser) this.attachSlowParser(slowParser);
  }

  get pendingLines(): number {
    return this.pending.length;
  }

  attachSlowParser(factory: SlowParserFactory): void {
    this.slow = factory(this.file, this.table, (diagnostic) => keepDiagnostic(this, diagnostic));
    for (const { text, line } of this.pending) this.slow.line(text, line);
    this.pending = [];
  }

  byteLine(buffer: Uint8Array, start: number, end: number): void {
    const lineNumber = ++this.lines;
    const stateIndex = fastRow(buffer, start, end);
    if (stateIndex >= 0) {
      this.table.addIpv4(lastKey[0]!, stateIndex);
      return;
    }
    const text = lineText(buffer, start, end);
    if (this.slow) this.slow.line(text, lineNumber);
    else this.pending.push({ text, line: lineNumber });
  }

  finish(): void {
    if (this.pending.length > 0) throw new Error('NetstatLinuxSummaryScanner: lines pending without a parser');
    this.slow?.end();
  }
}
