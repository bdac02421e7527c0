// AssemblyScript, compiled to dist/wasm/socket-rows.wasm by `npm run build` (not by tsc).
// The `parse --summary` hot loop for Linux `netstat` and iproute2 `ss` captures: it scans whole
// lines in its own memory and counts rows with an IPv4 remote and a plain state word straight into
// an integer-keyed table. At the first line it does not take (headers, IPv6, names, garbage) it
// stops and returns that line's start; the caller hands the line to the format's real parser and
// resumes after it, so the counts always equal those of `parse`.
// Why WebAssembly: a JavaScript byte scan here cost ~250 ns a line on the 2-core target machine
// (bounds-checked loads, a native indexOf per line, mispredicted loop exits); this module takes
// ~85-140 ns with the file read. A 16-byte SIMD path for rows repeating the previous row's prefix
// was removed: on realistic captures (ports interleaved, tcp6 peers, queues) prefixes rarely repeat
// and it scanned 1M rows no faster than this scalar loop.
// The accepted rows mirror src/capture/parsers/netstat-linux.ts and ss.ts exactly;
// test/capture/summary.test.ts checks that against the parsers on real captures and fuzzed lines.

const SPACE: u32 = 32;
const TAB: u32 = 9;
const NEWLINE: u32 = 10;
const CARRIAGE_RETURN: u32 = 13;
/** Lines longer than this are cut by the line reader (MAX_LINE_BYTES): such rows go the slow way. */
const MAX_LINE_BYTES: usize = 65536;

// Byte classes of the local address: one load per byte instead of a chain of compares.
const CLASS_BAD: u8 = 0;
const CLASS_OK: u8 = 1;
const CLASS_SPACE: u8 = 2;
const CLASS_COLON: u8 = 3;

/** State words, written by the caller: 16 bytes each, [length, state index, word bytes...]. */
const STATE_WORD_BYTES: usize = 16;
const MAX_STATE_WORDS: u32 = 16;

let byteClass: usize = 0;
let stateWords: usize = 0;
let stateWordCount: u32 = 0;
/** The same for ss's spellings (ESTAB, SYN-RECV, UNCONN...). */
let ssStateWords: usize = 0;
let ssStateWordCount: u32 = 0;
let unknownStateIndex: u32 = 0;
let stateCount: u32 = 0;

// Open addressing with Fibonacci hashing. A slot is [key u32, entry + 1 u32] (0 = empty); counts
// live densely by entry, stateCount u32 each, in insertion order.
let slotCapacity: u32 = 0;
let hashShift: u32 = 0;
let slots: usize = 0;
let entryCapacity: u32 = 0;
let entryKeys: usize = 0;
let entryCounts: usize = 0;
let entryCount: u32 = 0;

let fastLineCount: u32 = 0;

/** Set up tables; returns the input region (inputBytes long) the caller writes lines into. */
export function init(inputBytes: u32, states: u32, unknownIndex: u32, initialSlots: u32): usize {
  stateCount = states;
  unknownStateIndex = unknownIndex;
  byteClass = heap.alloc(256);
  for (let b: u32 = 0; b < 256; b++) store<u8>(byteClass + b, b >= 0x21 && b <= 0x7e ? CLASS_OK : CLASS_BAD);
  store<u8>(byteClass + SPACE, CLASS_SPACE);
  store<u8>(byteClass + 58, CLASS_COLON); // ':'
  // Brackets and zones ([::1], fe80::1%eth0) are rare: the full parser decides those.
  store<u8>(byteClass + 91, CLASS_BAD);
  store<u8>(byteClass + 37, CLASS_BAD);
  stateWords = heap.alloc(STATE_WORD_BYTES * MAX_STATE_WORDS);
  ssStateWords = heap.alloc(STATE_WORD_BYTES * MAX_STATE_WORDS);
  slotCapacity = max<u32>(16, initialSlots);
  hashShift = 32 - (31 - clz<u32>(slotCapacity));
  slots = zeroed(<usize>slotCapacity << 3);
  entryCapacity = slotCapacity >> 1;
  entryKeys = heap.alloc(<usize>entryCapacity << 2);
  entryCounts = zeroed((<usize>entryCapacity * stateCount) << 2);
  batch = heap.alloc(BATCH_ROWS << 3);
  return zeroed(inputBytes + 1);
}

export function stateWordsPointer(): usize {
  return stateWords;
}
export function setStateWordCount(count: u32): void {
  stateWordCount = min<u32>(count, MAX_STATE_WORDS);
}
export function ssStateWordsPointer(): usize {
  return ssStateWords;
}
export function setSsStateWordCount(count: u32): void {
  ssStateWordCount = min<u32>(count, MAX_STATE_WORDS);
}
/** Lines taken by scan() so far. */
export function fastLines(): u32 {
  return fastLineCount;
}
export function entries(): u32 {
  return entryCount;
}
export function entryKeysPointer(): usize {
  return entryKeys;
}
export function entryCountsPointer(): usize {
  return entryCounts;
}

function zeroed(bytes: usize): usize {
  const pointer = heap.alloc(bytes);
  memory.fill(pointer, 0, bytes);
  return pointer;
}

function grow(): void {
  const oldEntryCounts = entryCounts;
  const oldEntryKeys = entryKeys;
  heap.free(slots);
  slotCapacity <<= 1;
  hashShift--;
  slots = zeroed(<usize>slotCapacity << 3);
  entryCapacity = slotCapacity >> 1;
  entryKeys = heap.alloc(<usize>entryCapacity << 2);
  memory.copy(entryKeys, oldEntryKeys, <usize>entryCount << 2);
  entryCounts = zeroed((<usize>entryCapacity * stateCount) << 2);
  memory.copy(entryCounts, oldEntryCounts, (<usize>entryCount * stateCount) << 2);
  heap.free(oldEntryKeys);
  heap.free(oldEntryCounts);
  const mask = slotCapacity - 1;
  for (let entry: u32 = 0; entry < entryCount; entry++) {
    const key = load<u32>(entryKeys + (<usize>entry << 2));
    let slot = (key * 0x9e3779b1) >> hashShift;
    while (load<u32>(slots + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & mask;
    store<u32>(slots + (<usize>slot << 3), key);
    store<u32>(slots + (<usize>slot << 3), entry + 1, 4);
  }
}

/** Memory for the caller to write into (another table's keys and counts); give it back with release(). */
export function allocate(bytes: u32): usize {
  return heap.alloc(bytes);
}

export function release(pointer: usize): void {
  heap.free(pointer);
}

/** Add `entries` keys (u32 each) with their counts (stateCount u32 each), e.g. a worker's table. */
export function mergeCounts(keys: usize, counts: usize, entries: u32): void {
  for (let entry: u32 = 0; entry < entries; entry++) {
    const key = load<u32>(keys + (<usize>entry << 2));
    const source = counts + ((<usize>entry * stateCount) << 2);
    for (let state: u32 = 0; state < stateCount; state++) {
      const add = load<u32>(source + (<usize>state << 2));
      if (add != 0) count(key, state, add);
    }
  }
}

// @ts-ignore: decorator
@inline function count(key: u32, stateIndex: u32, add: u32 = 1): void {
  const mask = slotCapacity - 1;
  let slot = (key * 0x9e3779b1) >> hashShift;
  let entry: u32 = 0;
  for (;;) {
    const at = slots + (<usize>slot << 3);
    const stored = load<u32>(at, 4);
    if (stored == 0) {
      entry = entryCount++;
      store<u32>(entryKeys + (<usize>entry << 2), key);
      store<u32>(at, key);
      store<u32>(at, entry + 1, 4);
      break;
    }
    if (load<u32>(at) == key) {
      entry = stored - 1;
      break;
    }
    slot = (slot + 1) & mask;
  }
  const counter = entryCounts + ((<usize>entry * stateCount + stateIndex) << 2);
  store<u32>(counter, load<u32>(counter) + add);
  // Grow at half full: entryCount then never passes entryCapacity (= slotCapacity / 2).
  if (entryCount * 2 >= slotCapacity) grow();
}

/** Digits of a port (at most 65535) or '*'. */
// @ts-ignore: decorator
@inline function portOk(start: usize, end: usize): bool {
  const length = end - start;
  if (length == 1 && load<u8>(start) == 42) return true;
  if (length == 0 || length > 5) return false;
  let port: u32 = 0;
  for (let at = start; at < end; at++) {
    const digit = <u32>load<u8>(at) - 48;
    if (digit > 9) return false;
    port = port * 10 + digit;
  }
  return port <= 65535;
}

function stateIndexAt(words: usize, wordCount: u32, start: usize, end: usize): i32 {
  const length = <u32>(end - start);
  for (let word: u32 = 0; word < wordCount; word++) {
    const at = words + <usize>word * STATE_WORD_BYTES;
    if (<u32>load<u8>(at) != length) continue;
    let i: u32 = 0;
    while (i < length && load<u8>(start + i) == load<u8>(at + 2 + i)) i++;
    if (i == length) return <i32>load<u8>(at, 1);
  }
  return -1;
}

/** Spaces, then 1 to 15 digits followed by a space (Recv-Q, Send-Q): that space, or 0. */
// @ts-ignore: decorator
@inline function countColumnEnd(p: usize): usize {
  while (load<u8>(p) == SPACE) p++;
  const digitsStart = p;
  while (<u32>load<u8>(p) - 48 <= 9) p++;
  if (p == digitsStart || p - digitsStart > 15 || load<u8>(p) != SPACE) return 0;
  return p;
}

/** A local endpoint at p: printable ADDR:PORT, PORT digits or '*', then a space: that space, or 0. */
// @ts-ignore: decorator
@inline function localEndpointEnd(localStart: usize): usize {
  let p = localStart;
  let lastColon: usize = 0;
  for (;; p++) {
    const byteClassOf = load<u8>(byteClass + <usize>load<u8>(p));
    if (byteClassOf == CLASS_SPACE) break;
    if (byteClassOf == CLASS_BAD) return 0;
    if (byteClassOf == CLASS_COLON) lastColon = p;
  }
  if (lastColon <= localStart || !portOk(lastColon + 1, p)) return 0;
  return p;
}

/**
 * From the space before Recv-Q: Recv-Q, Send-Q and the local endpoint (the columns netstat and ss
 * share, in that order), then spaces. Where the remote endpoint starts, or 0.
 */
// @ts-ignore: decorator
@inline function remoteColumnStart(p: usize): usize {
  p = countColumnEnd(p);
  if (p == 0) return 0;
  p = countColumnEnd(p);
  if (p == 0) return 0;
  while (load<u8>(p) == SPACE) p++;
  p = localEndpointEnd(p);
  if (p == 0) return 0;
  while (load<u8>(p) == SPACE) p++;
  return p;
}

/** `::ff` and `ff` as little-endian loads (the `::ffff:` prefix of a v4-mapped address). */
const MAPPED_HEAD: u32 = 0x66663a3a;
const MAPPED_TAIL: u16 = 0x6666;

/** The key of the last ipv4EndpointEnd() that succeeded. */
let endpointKey: u32 = 0;

/** The address of the last quadEnd() that succeeded. */
let quadValue: u32 = 0;

/** A strict dotted quad (no leading zeros) at start, ended by the byte `stop`: where that byte is, or 0. Sets quadValue. */
// @ts-ignore: decorator
@inline function quadEnd(start: usize, stop: u32): usize {
  let p = start;
  let value: u32 = 0;
  let octet: u32 = 0;
  let digits: u32 = 0;
  let dots: u32 = 0;
  for (;;) {
    const c = <u32>load<u8>(p);
    if (c == stop) break;
    if (c == 46) {
      if (digits == 0 || ++dots > 3) return 0;
      value = (value << 8) | octet;
      octet = 0;
      digits = 0;
    } else {
      const digit = c - 48;
      if (digit > 9 || (digits > 0 && octet == 0)) return 0;
      octet = octet * 10 + digit;
      if (octet > 255 || ++digits > 3) return 0;
    }
    p++;
  }
  if (dots != 3 || digits == 0) return 0;
  quadValue = (value << 8) | octet;
  return p;
}

/** PORT digits or '*' at start, ended by a space, a tab or the newline: that end, or 0. */
// @ts-ignore: decorator
@inline function remotePortEnd(start: usize): usize {
  let p = start;
  let c = <u32>load<u8>(p);
  while (c != SPACE && c != TAB && c != NEWLINE) c = load<u8>(++p);
  // The line reader drops a '\r' before the '\n'.
  const portEnd = c == NEWLINE && load<u8>(p - 1) == CARRIAGE_RETURN ? p - 1 : p;
  if (!portOk(start, portEnd)) return 0;
  return p;
}

// @ts-ignore: decorator
@inline function isMappedPrefix(p: usize): bool {
  return load<u32>(p) == MAPPED_HEAD && load<u16>(p, 4) == MAPPED_TAIL && load<u8>(p, 6) == 58;
}

/**
 * A remote endpoint at p: a strict dotted quad (no leading zeros), ':', PORT digits or '*', ended
 * by a space, a tab or the newline. Sets endpointKey; returns where the port ends, or 0.
 */
// @ts-ignore: decorator
@inline function ipv4EndpointEnd(start: usize): usize {
  let p = start;
  // An IPv6 socket prints its IPv4 peers as `::ffff:1.2.3.4` (lower case); the parser reads 1.2.3.4.
  if (isMappedPrefix(p)) p += 7;
  p = quadEnd(p, 58);
  if (p == 0) return 0;
  p = remotePortEnd(p + 1);
  if (p == 0) return 0;
  endpointKey = quadValue;
  return p;
}

/** ss's peer: as ipv4EndpointEnd, or an IPv6 socket's `[::ffff:1.2.3.4]:PORT`. */
// @ts-ignore: decorator
@inline function ssPeerEnd(start: usize): usize {
  if (load<u8>(start) != 91) return ipv4EndpointEnd(start);
  if (!isMappedPrefix(start + 1)) return 0;
  let p = quadEnd(start + 8, 93);
  if (p == 0 || load<u8>(p, 1) != 58) return 0;
  p = remotePortEnd(p + 2);
  if (p == 0) return 0;
  endpointKey = quadValue;
  return p;
}

/** ss's local endpoint at p: as localEndpointEnd, or an IPv6 socket's `[::]:PORT` / `[::ffff:1.2.3.4]:PORT`, then a space. */
// @ts-ignore: decorator
@inline function ssLocalEnd(start: usize): usize {
  if (load<u8>(start) != 91) return localEndpointEnd(start);
  let p = start + 1;
  if (load<u8>(p) == 58 && load<u8>(p, 1) == 58 && load<u8>(p, 2) == 93) p += 2;
  else {
    if (!isMappedPrefix(p)) return 0;
    p = quadEnd(p + 7, 93);
    if (p == 0) return 0;
  }
  if (load<u8>(p, 1) != 58) return 0;
  const portStart = p + 2;
  p = portStart;
  while (load<u8>(p) != SPACE && load<u8>(p) != NEWLINE) p++;
  if (load<u8>(p) != SPACE || !portOk(portStart, p)) return 0;
  return p;
}

/** From p to the line's newline (a PID/Program or users:(...) column, padding): the next line's start. */
// @ts-ignore: decorator
@inline function nextLineStart(p: usize): usize {
  while (load<u8>(p) != NEWLINE) p++;
  return p + 1;
}

/**
 * One `netstat` row starting at lineStart (a '\n' follows somewhere before the block ends):
 * counts it and returns the next line's start, or 0 when the full parser must decide.
 */
function fastRow(lineStart: usize): usize {
  let p = lineStart;
  // proto: tcp | tcp6 | udp | udp6
  let isTcp: bool;
  const first = <u32>load<u8>(p);
  if (first == 116 && load<u8>(p, 1) == 99 && load<u8>(p, 2) == 112) isTcp = true;
  else if (first == 117 && load<u8>(p, 1) == 100 && load<u8>(p, 2) == 112) isTcp = false;
  else return 0;
  p += 3;
  if (load<u8>(p) == 54) p++;
  if (load<u8>(p) != SPACE) return 0;
  p = remoteColumnStart(p);
  if (p == 0) return 0;
  p = ipv4EndpointEnd(p);
  if (p == 0) return 0;
  // State word (tcp always has one; udp may have one, or nothing).
  while (load<u8>(p) == SPACE) p++;
  const stateStart = p;
  let c = <u32>load<u8>(p);
  while (c != SPACE && c != NEWLINE) c = load<u8>(++p);
  const stateEnd = c == NEWLINE && p > stateStart && load<u8>(p - 1) == CARRIAGE_RETURN ? p - 1 : p;
  let stateIndex = stateEnd == stateStart ? -1 : stateIndexAt(stateWords, stateWordCount, stateStart, stateEnd);
  if (stateIndex < 0) {
    // udp rows without a state column end here; anything else (ss spellings, lower case, a PID
    // column, the word UNKNOWN) is for the full parser, which knows every spelling.
    if (isTcp || stateStart != stateEnd) return 0;
    stateIndex = <i32>unknownStateIndex;
  }
  if (p - lineStart > MAX_LINE_BYTES) return 0;
  queueRow(endpointKey, <u32>stateIndex);
  return nextLineStart(p);
}

/**
 * One `ss` row: [tcp|udp] STATE Recv-Q Send-Q LOCAL PEER [...], the peer an IPv4 address.
 * Mirrors src/capture/parsers/ss.ts for the rows it accepts, as fastRow does netstat-linux.ts.
 */
function ssRow(lineStart: usize): usize {
  let p = lineStart;
  // A first word that is no ss state is the Netid column; only tcp and udp are sockets we count.
  let wordEnd = p;
  while (load<u8>(wordEnd) != SPACE && load<u8>(wordEnd) != NEWLINE) wordEnd++;
  if (load<u8>(wordEnd) != SPACE) return 0;
  let stateIndex = stateIndexAt(ssStateWords, ssStateWordCount, p, wordEnd);
  if (stateIndex < 0) {
    const length = wordEnd - p;
    const first = <u32>load<u8>(p);
    if (length != 3 || !((first == 116 && load<u8>(p, 1) == 99) || (first == 117 && load<u8>(p, 1) == 100)) || load<u8>(p, 2) != 112) return 0;
    p = wordEnd;
    while (load<u8>(p) == SPACE) p++;
    wordEnd = p;
    while (load<u8>(wordEnd) != SPACE && load<u8>(wordEnd) != NEWLINE) wordEnd++;
    if (load<u8>(wordEnd) != SPACE) return 0;
    stateIndex = stateIndexAt(ssStateWords, ssStateWordCount, p, wordEnd);
    if (stateIndex < 0) return 0;
  }
  p = countColumnEnd(wordEnd);
  if (p == 0) return 0;
  p = countColumnEnd(p);
  if (p == 0) return 0;
  while (load<u8>(p) == SPACE) p++;
  p = ssLocalEnd(p);
  if (p == 0) return 0;
  while (load<u8>(p) == SPACE) p++;
  p = ssPeerEnd(p);
  if (p == 0 || p - lineStart > MAX_LINE_BYTES) return 0;
  queueRow(endpointKey, <u32>stateIndex);
  return nextLineStart(p);
}

/** Lines taken by scanSs(), as scan() for `ss` captures. */
export function scanSs(start: usize, end: usize): usize {
  let p = start;
  while (p < end) {
    const next = ssRow(p);
    if (next == 0) break;
    fastLineCount++;
    p = next;
  }
  flushBatch();
  return p;
}

/**
 * Count the rows of the whole lines in [start, end) (end - 1 holds a '\n'). Returns end, or the
 * start of the first line the full parser must take.
 */
export function scan(start: usize, end: usize): usize {
  let p = start;
  while (p < end) {
    const next = fastRow(p);
    if (next == 0) break;
    fastLineCount++;
    p = next;
  }
  flushBatch();
  return p;
}

/**
 * Rows parsed but not yet counted: counting them back to back lets the CPU overlap the table's
 * cache misses, which the parse's unpredictable branches otherwise serialise.
 */
const BATCH_ROWS: u32 = 64;
let batch: usize = 0;
let batchSize: u32 = 0;

// @ts-ignore: decorator
@inline function queueRow(key: u32, stateIndex: u32): void {
  store<u32>(batch + (<usize>batchSize << 3), key);
  store<u32>(batch + (<usize>batchSize << 3), stateIndex, 4);
  if (++batchSize == BATCH_ROWS) flushBatch();
}

function flushBatch(): void {
  for (let i: u32 = 0; i < batchSize; i++) count(load<u32>(batch + (<usize>i << 3)), load<u32>(batch + (<usize>i << 3), 4));
  batchSize = 0;
}
