// The fast path from bytes to tallies for Linux `netstat` and iproute2 `ss` captures: the common
// row shapes are read straight from the bytes into tally groups (no string, token or Connection per
// row); every other line (headers, time lines, names, zones, service names, odd spacing, garbage)
// goes through the format's own parser into the same sink, so the tallies always equal the
// parser's (test/capture/socket-row-tally.test.ts checks both on real captures and fuzzed lines).
// Rows taken here:
//   netstat: tcp|tcp6|udp|udp6 RECVQ SENDQ LOCAL REMOTE [STATE] [PID/Program]
//   ss:      [tcp|udp] STATE RECVQ SENDQ LOCAL PEER [users:(("name",pid=N,...))]
// with spaces between columns, a remote that is a dotted quad or ::ffff: + dotted quad, a numeric
// or '*' port, and only printable ASCII on the line.
import { sanitizeText } from '../net/sanitize.js';
import { CONNECTION_STATES, stateIndex } from '../model/connection.js';
import { TALLY_FLAG_IPV6, TALLY_FLAG_PEER_SERVICE } from '../model/tally.js';
import { createLineParser } from './line-parser.js';
import type { CaptureFormat, LineParser } from './parser-types.js';
import type { TallyScanner } from './read-tallies.js';
import { SS_STATE_WORDS, lookupState } from './states.js';
import { LineAssembler } from './summary/line-assembler.js';
import { lineText } from './summary/summary-scanners.js';
import { LISTEN_STATE, rowHasPeer } from './tally-builder.js';
import type { TallySink } from './tally-sink.js';

const SPACE = 32;
const COLON = 58;

export type SocketRowTallyFormat = 'netstat-linux' | 'ss';

export function hasSocketRowTally(format: string): format is SocketRowTallyFormat {
  return format === 'netstat-linux' || format === 'ss';
}

interface StateWord {
  bytes: Uint8Array;
  state: number;
}

function stateWords(words: readonly string[]): StateWord[][] {
  const byLength: StateWord[][] = [];
  for (const word of words) {
    const state = lookupState(word);
    (byLength[word.length] ??= []).push({ bytes: Buffer.from(word, 'latin1'), state: stateIndex(state ?? 'UNKNOWN') });
  }
  return byLength;
}

// netstat prints these exactly (the parser upper-cases first; other spellings go the slow way).
const NETSTAT_STATES = stateWords(CONNECTION_STATES.filter((state) => state !== 'UNKNOWN'));
const SS_STATES = stateWords(SS_STATE_WORDS);

/** State index of the word [start, end), or -1. */
function findState(words: StateWord[][], line: Uint8Array, start: number, end: number): number {
  const candidates = words[end - start];
  if (!candidates) return -1;
  for (const { bytes, state } of candidates) {
    let i = 0;
    while (i < bytes.length && line[start + i] === bytes[i]) i++;
    if (i === bytes.length) return state;
  }
  return -1;
}

const PROGRAM_CACHE_LIMIT = 64;

export class SocketRowTallyScanner implements TallyScanner {
  lines = 0;
  /** Lines the fast path took (the rest went through the parser). */
  fastRows = 0;
  readonly #parser: LineParser;
  readonly #assembler = new LineAssembler(this);
  readonly #ss: boolean;
  /** netstat: read a PID/Program column (the header says so; without a header the parser assumes it). */
  #programColumn = true;
  /** netstat with User, Inode or Timer columns: the parser reads those rows. */
  #fastNetstat = true;
  /** IPv4 address (unsigned) -> interned remote index, open addressing: no Map of boxed numbers per row. */
  #remoteKeys = new Uint32Array(1 << 12);
  #remoteValues = new Int32Array(1 << 12);
  #remoteCount = 0;
  readonly #programNames: { bytes: Buffer; index: number }[] = [];
  /** Remote id of the row just read, -1 when it had no peer (the drill-down index takes it). */
  #rowRemote = -1;
  // The row being read.
  #p = 0;
  #value = 0;
  #port = -1;

  constructor(format: CaptureFormat, file: string, private readonly sink: TallySink) {
    this.#ss = format.name === 'ss';
    this.#parser = createLineParser(format, file, sink);
  }

  write(chunk: Uint8Array): void {
    this.#assembler.write(chunk);
  }

  /** netstat: whether rows have a PID/Program column and are read here at all (the header decides). */
  get netstatColumns(): { programs: boolean; fast: boolean } {
    return { programs: this.#programColumn, fast: this.#fastNetstat };
  }

  finish(): void {
    this.#assembler.end();
    this.sink.rowIndex?.parserEnd();
    this.#parser.end();
  }

  /** `offset`: where the line starts in the stream (the WebAssembly reader, which feeds lines itself, says). */
  byteLine(buffer: Uint8Array, start: number, end: number, offset: number = this.#assembler.lineOffset): void {
    this.lines++;
    // Trailing blanks are not part of the row (the parsers trimEnd; diagnostics keep the line whole).
    let rowEnd = end;
    while (rowEnd > start && (buffer[rowEnd - 1] === SPACE || buffer[rowEnd - 1] === 9)) rowEnd--;
    if (this.#ss ? this.#ssRow(buffer, start, rowEnd) : this.#netstatRow(buffer, start, rowEnd)) {
      this.fastRows++;
      if (this.#rowRemote >= 0) this.sink.rowIndex?.fastRow(this.#rowRemote, this.lines, offset, buffer, start, end);
      return;
    }
    if (this.lines === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    const text = lineText(buffer, start, end);
    if (!this.#ss && text.startsWith('Proto ') && /Foreign Address/.test(text)) {
      this.#programColumn = /PID\/Program/.test(text);
      this.#fastNetstat = !/\bUser\b/.test(text) && !/\bInode\b/.test(text) && !/\bTimer\b/.test(text);
    }
    this.sink.rowIndex?.parserLine(this.lines, offset, buffer, start, end);
    this.#parser.line(text, this.lines);
  }

  /** Spaces from #p; false when there is none (columns need at least one). */
  #spaces(line: Uint8Array, end: number): boolean {
    const from = this.#p;
    while (this.#p < end && line[this.#p] === SPACE) this.#p++;
    return this.#p > from;
  }

  /** 1 to 15 digits at #p into #value, ended by a space. */
  #count(line: Uint8Array, end: number): boolean {
    const from = this.#p;
    let value = 0;
    let p = from;
    while (p < end) {
      const digit = line[p]! - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      p++;
    }
    if (p === from || p - from > 15 || p >= end || line[p] !== SPACE) return false;
    this.#p = p;
    this.#value = value;
    return true;
  }

  /** A port (1-5 digits up to 65535, -1 for '*') in [from, to) into #port. */
  #portAt(line: Uint8Array, from: number, to: number): boolean {
    if (to - from === 1 && line[from] === 42) {
      this.#port = -1;
      return true;
    }
    if (to === from || to - from > 5) return false;
    let port = 0;
    for (let p = from; p < to; p++) {
      const digit = line[p]! - 48;
      if (digit < 0 || digit > 9) return false;
      port = port * 10 + digit;
    }
    if (port > 65535) return false;
    this.#port = port;
    return true;
  }

  /** A local endpoint ADDR:PORT of printable ASCII (no brackets or zones) at #p; its port in #port. */
  #local(line: Uint8Array, end: number): boolean {
    const from = this.#p;
    let p = from;
    let lastColon = -1;
    while (p < end) {
      const c = line[p]!;
      if (c === SPACE) break;
      if (c < 0x21 || c > 0x7e || c === 91 || c === 93 || c === 37) return false;
      if (c === COLON) lastColon = p;
      p++;
    }
    if (lastColon <= from || p >= end || !this.#portAt(line, lastColon + 1, p)) return false;
    this.#p = p;
    return true;
  }

  /** A strict dotted quad (no leading zeros) at #p up to ':' into #value (unsigned). */
  #quad(line: Uint8Array, end: number): boolean {
    let p = this.#p;
    let value = 0;
    for (let octetIndex = 0; octetIndex < 4; octetIndex++) {
      const from = p;
      let octet = 0;
      while (p < end) {
        const digit = line[p]! - 48;
        if (digit < 0 || digit > 9) break;
        octet = octet * 10 + digit;
        p++;
      }
      const digits = p - from;
      if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && line[from] === 48)) return false;
      value = value * 256 + octet;
      if (octetIndex < 3) {
        if (line[p] !== 46) return false;
        p++;
      }
    }
    this.#p = p;
    this.#value = value;
    return true;
  }

  /** `::ffff:` at #p (netstat prints it in lower case): skipped. */
  #mappedPrefix(line: Uint8Array): boolean {
    const p = this.#p;
    if (line[p] === COLON && line[p + 1] === COLON && line[p + 2] === 102 && line[p + 3] === 102 && line[p + 4] === 102 && line[p + 5] === 102 && line[p + 6] === COLON) {
      this.#p = p + 7;
      return true;
    }
    return false;
  }

  /** The remote IPv4 (or ::ffff:IPv4) and port at #p, ended by a space or the line's end: #value, #port. */
  #remote(line: Uint8Array, end: number): boolean {
    this.#mappedPrefix(line);
    if (!this.#quad(line, end) || line[this.#p] !== COLON) return false;
    const address = this.#value;
    const portFrom = ++this.#p;
    while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
    if (!this.#portAt(line, portFrom, this.#p)) return false;
    this.#value = address;
    return true;
  }

  #remoteIndex(address: number): number {
    const keys = this.#remoteKeys;
    const mask = keys.length - 1;
    // Keys hold the address itself (every 32-bit value is one), values the index + 1 (0 = empty).
    let slot = (Math.imul(address, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const value = this.#remoteValues[slot]!;
      if (value === 0) break;
      if (keys[slot] === address) return value - 1;
      slot = (slot + 1) & mask;
    }
    const index = this.sink.remotes.intern(`${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`);
    keys[slot] = address;
    this.#remoteValues[slot] = index + 1;
    if (++this.#remoteCount * 2 > keys.length) this.#growRemotes();
    return index;
  }

  #growRemotes(): void {
    const oldKeys = this.#remoteKeys;
    const oldValues = this.#remoteValues;
    const keys = new Uint32Array(oldKeys.length * 2);
    const values = new Int32Array(oldKeys.length * 2);
    const mask = keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] === 0) continue;
      let slot = (Math.imul(oldKeys[i]!, 0x9e3779b1) >>> 0) & mask;
      while (values[slot] !== 0) slot = (slot + 1) & mask;
      keys[slot] = oldKeys[i]!;
      values[slot] = oldValues[i]!;
    }
    this.#remoteKeys = keys;
    this.#remoteValues = values;
  }

  /** A program name [from, to) of printable ASCII: its interned index (-1 when empty after sanitizing). */
  #program(line: Uint8Array, from: number, to: number): number {
    const length = to - from;
    for (const known of this.#programNames) {
      if (known.bytes.length !== length) continue;
      let i = 0;
      while (i < length && known.bytes[i] === line[from + i]) i++;
      if (i === length) return known.index;
    }
    const bytes = Buffer.from(line.subarray(from, to));
    const name = sanitizeText(bytes.toString('latin1'));
    const index = name === '' ? -1 : this.sink.programs.intern(name);
    if (this.#programNames.length < PROGRAM_CACHE_LIMIT) this.#programNames.push({ bytes, index });
    return index;
  }

  /** Counts the row; `localPort` -1 for none. */
  #add(state: number, localPort: number, remote: number, remotePort: number, ipv6: boolean, program: number, recvQ: number, sendQ: number): void {
    const sink = this.sink;
    sink.rowsInSnapshot++;
    const builder = sink.current;
    const port = remotePort < 0 ? null : remotePort;
    if (state === LISTEN_STATE || ((port === null || port === 0) && !rowHasPeer(state, remote === 0 ? '0.0.0.0' : '-', port))) {
      builder.addListening(state, localPort < 0 ? null : localPort);
      this.#rowRemote = -1;
      return;
    }
    let flags = ipv6 ? TALLY_FLAG_IPV6 : 0;
    if (localPort >= 1024 && port !== null && port < 1024) flags |= TALLY_FLAG_PEER_SERVICE;
    const remoteIndex = this.#remoteIndex(remote);
    this.#rowRemote = remoteIndex;
    builder.addGroup(remoteIndex, state, localPort, program, flags, 1, recvQ === 0 && sendQ === 0 ? 1 : 0);
  }

  #netstatRow(line: Uint8Array, start: number, end: number): boolean {
    if (!this.#fastNetstat) return false;
    let p = start;
    const c0 = line[p];
    if (!((c0 === 116 && line[p + 1] === 99) || (c0 === 117 && line[p + 1] === 100)) || line[p + 2] !== 112) return false;
    p += 3;
    const ipv6 = line[p] === 54;
    if (ipv6) p++;
    this.#p = p;
    if (!this.#spaces(line, end) || !this.#count(line, end)) return false;
    const recvQ = this.#value;
    if (!this.#spaces(line, end) || !this.#count(line, end)) return false;
    const sendQ = this.#value;
    if (!this.#spaces(line, end) || !this.#local(line, end)) return false;
    const localPort = this.#port;
    if (!this.#spaces(line, end) || !this.#remote(line, end)) return false;
    const remote = this.#value;
    const remotePort = this.#port;
    let state: number;
    if (this.#p >= end) {
      // udp rows may have no state column; tcp rows must.
      if (c0 === 116) return false;
      state = stateIndex('UNKNOWN');
    } else {
      this.#spaces(line, end);
      const stateStart = this.#p;
      while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
      state = findState(NETSTAT_STATES, line, stateStart, this.#p);
      if (state < 0) return false;
    }
    let program = -1;
    if (this.#p < end) {
      this.#spaces(line, end);
      const from = this.#p;
      for (let i = from; i < end; i++) if (line[i]! < 0x20 || line[i]! > 0x7e) return false;
      if (this.#programColumn) {
        let q = from;
        while (q < end && line[q]! >= 48 && line[q]! <= 57) q++;
        if (q > from && line[q] === 47) program = this.#program(line, q + 1, end);
      }
    }
    this.#add(state, localPort, remote, remotePort, ipv6, program, recvQ, sendQ);
    return true;
  }

  #ssRow(line: Uint8Array, start: number, end: number): boolean {
    this.#p = start;
    while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
    let state = findState(SS_STATES, line, start, this.#p);
    if (state < 0) {
      // A Netid column: only tcp and udp rows are taken here.
      const c0 = line[start];
      if (this.#p - start !== 3 || !((c0 === 116 && line[start + 1] === 99) || (c0 === 117 && line[start + 1] === 100)) || line[start + 2] !== 112) return false;
      if (!this.#spaces(line, end)) return false;
      const stateStart = this.#p;
      while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
      state = findState(SS_STATES, line, stateStart, this.#p);
      if (state < 0) return false;
    }
    if (!this.#spaces(line, end) || !this.#count(line, end)) return false;
    const recvQ = this.#value;
    if (!this.#spaces(line, end) || !this.#count(line, end)) return false;
    const sendQ = this.#value;
    if (!this.#spaces(line, end)) return false;
    // Local: a dotted quad (IPv4 socket) or [::ffff:quad] / [::] (IPv6 socket), then :PORT.
    let ipv6 = false;
    if (line[this.#p] === 91) {
      ipv6 = true;
      this.#p++;
      if (line[this.#p] === COLON && line[this.#p + 1] === COLON && line[this.#p + 2] === 93) this.#p += 2;
      else if (!this.#mappedPrefix(line) || !this.#quad(line, end)) return false;
      if (line[this.#p] !== 93) return false;
      this.#p++;
    } else if (!this.#quad(line, end)) {
      return false;
    }
    if (line[this.#p] !== COLON) return false;
    const portFrom = ++this.#p;
    while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
    if (this.#p >= end || !this.#portAt(line, portFrom, this.#p)) return false;
    const localPort = this.#port;
    if (!this.#spaces(line, end)) return false;
    // Peer: quad or [::ffff:quad], then :PORT.
    const bracket = line[this.#p] === 91;
    if (bracket) {
      this.#p++;
      if (!this.#mappedPrefix(line)) return false;
    }
    if (!this.#quad(line, end)) return false;
    const remote = this.#value;
    if (bracket) {
      if (line[this.#p] !== 93) return false;
      this.#p++;
    }
    if (line[this.#p] !== COLON) return false;
    const peerPortFrom = ++this.#p;
    while (this.#p < end && line[this.#p] !== SPACE) this.#p++;
    if (!this.#portAt(line, peerPortFrom, this.#p)) return false;
    const remotePort = this.#port;
    let program = -1;
    if (this.#p < end) {
      this.#spaces(line, end);
      const from = this.#p;
      for (let i = from; i < end; i++) if (line[i]! < 0x20 || line[i]! > 0x7e) return false;
      program = this.#ssUsers(line, from, end);
      if (program === -2) return false;
    }
    this.#add(state, localPort, remote, remotePort, ipv6, program, recvQ, sendQ);
    return true;
  }

  /** `users:(("name",pid=N` at `from`: the name's index; -1 when there is no users column; -2: the parser decides. */
  #ssUsers(line: Uint8Array, from: number, end: number): number {
    const prefix = USERS_PREFIX;
    let i = 0;
    while (i < prefix.length && line[from + i] === prefix[i]) i++;
    if (i < prefix.length) {
      // Anything else that names users somewhere is for the parser's pattern.
      return Buffer.from(line.buffer, line.byteOffset + from, end - from).includes(USERS_WORD) ? -2 : -1;
    }
    const nameFrom = from + prefix.length;
    let q = nameFrom;
    while (q < end && line[q] !== 34 && line[q] !== 92) q++;
    if (q >= end || line[q] !== 34 || line[q + 1] !== 44) return -2;
    let r = q + 2;
    if (line[r] === 112 && line[r + 1] === 105 && line[r + 2] === 100 && line[r + 3] === 61) r += 4;
    if (!(line[r]! >= 48 && line[r]! <= 57)) return -2;
    return this.#program(line, nameFrom, q);
  }
}

const USERS_PREFIX = Buffer.from('users:(("', 'latin1');
const USERS_WORD = Buffer.from('users:((', 'latin1');
