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
for (const state of ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'UNKNOWN'] as const) {
  (STATE_WORDS[state.length] ??= []).push({ bytes: Buffer.from(state, 'latin1'), index: STATE_INDEX[state] });
}
const UNKNOWN_INDEX = STATE_INDEX.UNKNOWN;
const SPACE = 32;
const TAB = 9;
const COLON = 58;
const DOT = 46;
const STAR = 42;

function stateIndexAt(buffer: Uint8Array, start: number, end: number): number {
  const candidates = STATE_WORDS[end - start];
  if (candidates === undefined) return -1;
  outer: for (const candidate of candidates) {
    for (let i = 0; i < candidate.bytes.length; i++) if (buffer[start + i] !== candidate.bytes[i]) continue outer;
    return candidate.index;
  }
  return -1;
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
    if (this.fastLine(buffer, start, end)) return;
    const text = lineText(buffer, start, end);
    if (this.slow) this.slow.line(text, lineNumber);
    else this.pending.push({ text, line: lineNumber });
  }

  finish(): void {
    if (this.pending.length > 0) throw new Error('NetstatLinuxSummaryScanner: lines pending without a parser');
    this.slow?.end();
  }

  /** True when the row was counted; false hands the line to the full parser. */
  private fastLine(b: Uint8Array, start: number, end: number): boolean {
    let p = start;
    // proto: tcp | tcp6 | udp | udp6
    const c0 = b[p];
    let isTcp: boolean;
    if (c0 === 116 && b[p + 1] === 99 && b[p + 2] === 112) isTcp = true;
    else if (c0 === 117 && b[p + 1] === 100 && b[p + 2] === 112) isTcp = false;
    else return false;
    p += 3;
    if (b[p] === 54) p++;
    if (b[p] !== SPACE) return false;
    // Recv-Q, Send-Q
    for (let column = 0; column < 2; column++) {
      while (p < end && b[p] === SPACE) p++;
      const digitsStart = p;
      while (p < end && b[p]! >= 48 && b[p]! <= 57) p++;
      if (p === digitsStart || p - digitsStart > 15 || b[p] !== SPACE) return false;
    }
    // Local address: printable, with ADDR:PORT where PORT is digits or '*'.
    while (p < end && b[p] === SPACE) p++;
    const localStart = p;
    let lastColon = -1;
    while (p < end && b[p] !== SPACE) {
      const c = b[p]!;
      // Brackets, zones and non-ASCII names are rare: the full parser decides those.
      if (c < 0x21 || c > 0x7e || c === 91 || c === 37) return false;
      if (c === COLON) lastColon = p;
      p++;
    }
    if (lastColon <= localStart || !this.portOk(b, lastColon + 1, p)) return false;
    // Foreign address: strict dotted quad, no leading zeros, then ':' PORT.
    while (p < end && b[p] === SPACE) p++;
    let value = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    for (;;) {
      const c = b[p];
      if (c !== undefined && c >= 48 && c <= 57 && p < end) {
        if (digits > 0 && octet === 0) return false;
        octet = octet * 10 + (c - 48);
        if (octet > 255 || ++digits > 3) return false;
      } else if (c === DOT && p < end) {
        if (digits === 0 || ++dots > 3) return false;
        value = value * 256 + octet;
        octet = 0;
        digits = 0;
      } else if (c === COLON && p < end) {
        break;
      } else {
        return false;
      }
      p++;
    }
    if (dots !== 3 || digits === 0) return false;
    value = value * 256 + octet;
    const portStart = ++p;
    while (p < end && b[p] !== SPACE && b[p] !== TAB) p++;
    if (!this.portOk(b, portStart, p)) return false;
    // State word (tcp always has one; udp may have one, or the next column / nothing).
    while (p < end && b[p] === SPACE) p++;
    const stateStart = p;
    while (p < end && b[p] !== SPACE) p++;
    let stateIndex = stateStart === p ? -1 : stateIndexAt(b, stateStart, p);
    if (stateIndex === UNKNOWN_INDEX) return false;
    if (stateIndex < 0) {
      // udp rows without a state column end here; anything else (ss spellings, lower case, a
      // PID column) is for the full parser, which knows every spelling.
      if (isTcp || stateStart !== p) return false;
      stateIndex = UNKNOWN_INDEX;
    }
    this.table.addIpv4(value, stateIndex);
    return true;
  }

  private portOk(b: Uint8Array, start: number, end: number): boolean {
    if (end - start === 1 && b[start] === STAR) return true;
    if (end === start || end - start > 5) return false;
    let port = 0;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c < 48 || c > 57) return false;
      port = port * 10 + (c - 48);
    }
    return port <= 65535;
  }
}
