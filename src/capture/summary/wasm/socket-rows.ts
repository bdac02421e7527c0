// AssemblyScript, compiled to dist/wasm/socket-rows.wasm by `npm run build` (not by tsc).
// Two hot loops for Linux `netstat` and iproute2 `ss` captures: the report's tallies (tally mode,
// at the end of this file) and `parse --summary`'s counts. For the summary it scans whole
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
  // Eight bytes of slack: the newline search reads a word at a time. Not zeroed: every byte
  // scanned was written by the caller first (zeroing 4 MiB made each instance cost ~40 ms).
  return heap.alloc(inputBytes + 8);
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
  if (lastColon <= localStart || !readPort(lastColon + 1, p)) return 0;
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
  if (!readPort(start, portEnd)) return 0;
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
  if (load<u8>(p) != SPACE || !readPort(portStart, p)) return 0;
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

// ---------------------------------------------------------------------------------------------
// Tally mode: the report's reader (src/capture/socket-row-wasm-tally.ts). Rows are folded into the
// groups of model/tally.ts — (remote, local port, state, flags, program) with a count and how many
// had both queues empty — for the snapshot being read; the caller copies them out at each snapshot's
// end. The rows taken mirror src/capture/socket-row-tally.ts exactly (test/capture/socket-row-tally.test.ts
// checks all three against the parsers); rows without a peer (LISTEN, `0.0.0.0:*`) and anything
// else go back to the caller, which reads them the JavaScript way into the same snapshot.

// Names are numbered by the caller's intern tables (one per input, shared by its snapshots).
@external("env", "internRemote") declare function internRemote(address: u32): i32;
@external("env", "internProgram") declare function internProgram(start: usize, end: usize): i32;

/** u32 fields per group as handed out: remote, key, program, connections, idle, hash (the JavaScript builder's layout). */
const GROUP_FIELDS: u32 = 6;
/**
 * The groups live densely in first-seen order, in the layout they are handed out in; an index of
 * 8-byte slots [hash, entry + 1 (0 = empty)] finds them. On a million rows over half a million
 * groups a table holding the groups in its slots (24 bytes each, at most 5/8 full, rebuilt at
 * every doubling) touched ~100 MB of fresh memory, which this VM faults in at ~4 ms a MB; this
 * touches about a third of that, and growing re-places only the slots, by their stored hash.
 */
const GROUP_SLOT_BYTES: usize = 8;
const GROUP_ENTRY_BYTES: usize = GROUP_FIELDS << 2;
const TALLY_FLAG_IPV6: u32 = 1;
const TALLY_FLAG_PEER_SERVICE: u32 = 2;
const PROGRAM_CACHE_ENTRIES: u32 = 64;
const PROGRAM_CACHE_NAME_BYTES: u32 = 120;
/** [length u32, index i32, name bytes] per cached program name. */
const PROGRAM_CACHE_STRIDE: usize = 128;

let listenStateIndex: u32 = 0;
/** netstat: a PID/Program column is read (the header said so); rows are read at all (no User/Inode/Timer columns). */
let programColumn: bool = true;
let fastNetstat: bool = true;

// Groups of the current snapshot: the index (open addressing, linear probing, at most 5/8 full)
// and the entries, GROUP_FIELDS u32 each in first-seen order.
let groupSlotCapacity: u32 = 0;
let groupShift: u32 = 0;
let groupSlots: usize = 0;
let groupCount: u32 = 0;
let groupEntries: usize = 0;
let groupEntryCapacity: u32 = 0;
/** Rows the module counted into the groups, per state, since the last resetGroups(). */
let groupStates: usize = 0;

// IPv4 remote -> the caller's remote index: slots [address, index + 1].
let remoteSlotCapacity: u32 = 0;
let remoteShift: u32 = 0;
let remoteSlots: usize = 0;
let remoteCount: u32 = 0;

let programCache: usize = 0;
let programCacheCount: u32 = 0;

/** Set up the tally tables (after init()); initialGroupSlots a power of two. */
export function initTally(listenIndex: u32, initialGroupSlots: u32): void {
  listenStateIndex = listenIndex;
  groupSlotCapacity = max<u32>(16, initialGroupSlots);
  groupShift = 32 - (31 - clz<u32>(groupSlotCapacity));
  groupSlots = zeroed(<usize>groupSlotCapacity * GROUP_SLOT_BYTES);
  groupEntryCapacity = groupSlotCapacity >> 1;
  groupEntries = heap.alloc(<usize>groupEntryCapacity * GROUP_ENTRY_BYTES);
  groupStates = zeroed(<usize>stateCount << 2);
  remoteSlotCapacity = 1 << 12;
  remoteShift = 32 - 12;
  remoteSlots = zeroed(<usize>remoteSlotCapacity << 3);
  programCache = heap.alloc(<usize>PROGRAM_CACHE_ENTRIES * PROGRAM_CACHE_STRIDE);
  tallyBatch = heap.alloc(<usize>TALLY_BATCH_ROWS * TALLY_BATCH_BYTES);
}

export function setNetstatColumns(programs: bool, fast: bool): void {
  programColumn = programs;
  fastNetstat = fast;
}

export function groupsLength(): u32 {
  return groupCount;
}
export function groupStatesPointer(): usize {
  return groupStates;
}

/** The JavaScript builder's hash of a group (it indexes the handed-out rows with it if it must). */
// @ts-ignore: decorator
@inline function builderHash(remote: i32, key: i32, program: i32): u32 {
  const hash = (<u32>remote * 0x9e3779b1) ^ (<u32>key * 0x85ebca77) ^ (<u32>(program + 1) * 0xc2b2ae3d);
  return hash ^ (hash >> 15);
}

/** A group's index hash (its top bits are where its probe starts). */
// @ts-ignore: decorator
@inline function groupHash(remote: i32, key: i32, program: i32): u32 {
  let hash = (<u32>remote * 0x9e3779b1) ^ (<u32>key * 0x85ebca77) ^ (<u32>(program + 1) * 0xc2b2ae3d);
  hash ^= hash >> 16;
  hash *= 0x85ebca6b;
  hash ^= hash >> 13;
  return hash * 0xc2b2ae35;
}

/** The groups, first-seen order, GROUP_FIELDS u32 each: a pointer valid until the next call into the module. */
export function groupsOut(): usize {
  return groupEntries;
}

/** Start the next snapshot's groups (the remote and program tables stay: they number the whole input). */
export function resetGroups(): void {
  memory.fill(groupSlots, 0, <usize>groupSlotCapacity * GROUP_SLOT_BYTES);
  memory.fill(groupStates, 0, <usize>stateCount << 2);
  groupCount = 0;
}

/** Twice the slots, each group re-placed by its stored hash (the entries stay where they are). */
function growGroups(): void {
  const oldSlots = groupSlots;
  const oldEnd = oldSlots + <usize>groupSlotCapacity * GROUP_SLOT_BYTES;
  groupSlotCapacity <<= 1;
  groupShift--;
  groupSlots = zeroed(<usize>groupSlotCapacity * GROUP_SLOT_BYTES);
  const mask = groupSlotCapacity - 1;
  for (let from = oldSlots; from < oldEnd; from += GROUP_SLOT_BYTES) {
    const entryPlusOne = load<u32>(from, 4);
    if (entryPlusOne == 0) continue;
    const hash = load<u32>(from);
    let slot = hash >> groupShift;
    while (load<u32>(groupSlots + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & mask;
    store<u64>(groupSlots + (<usize>slot << 3), load<u64>(from));
  }
  heap.free(oldSlots);
}

/**
 * Eight times the room while small: memory allocated and not yet written costs nothing here, only
 * the bytes copied do (they land on fresh pages); past a million groups, doubling.
 */
function growGroupEntries(): void {
  const old = groupEntries;
  groupEntryCapacity <<= groupEntryCapacity < 1 << 20 ? 3 : 1;
  groupEntries = heap.alloc(<usize>groupEntryCapacity * GROUP_ENTRY_BYTES);
  memory.copy(groupEntries, old, <usize>groupCount * GROUP_ENTRY_BYTES);
  heap.free(old);
}

/** `count` rows of one group with index hash `hash`. */
// @ts-ignore: decorator
@inline function addToGroup(hash: u32, remote: i32, key: i32, program: i32, add: u32, idle: u32): void {
  const mask = groupSlotCapacity - 1;
  let slot = hash >> groupShift;
  for (;;) {
    const at = groupSlots + (<usize>slot << 3);
    const entryPlusOne = load<u32>(at, 4);
    if (entryPlusOne == 0) {
      if (groupCount == groupEntryCapacity) growGroupEntries();
      const entry = groupEntries + <usize>groupCount * GROUP_ENTRY_BYTES;
      store<i32>(entry, remote);
      store<i32>(entry, key, 4);
      store<i32>(entry, program, 8);
      store<u32>(entry, add, 12);
      store<u32>(entry, idle, 16);
      store<u32>(entry, builderHash(remote, key, program), 20);
      store<u32>(at, hash);
      store<u32>(at, ++groupCount, 4);
      if (groupCount * 8 > groupSlotCapacity * 5) growGroups();
      return;
    }
    if (load<u32>(at) == hash) {
      const entry = groupEntries + <usize>(entryPlusOne - 1) * GROUP_ENTRY_BYTES;
      if (load<i32>(entry) == remote && load<i32>(entry, 4) == key && load<i32>(entry, 8) == program) {
        store<u32>(entry, load<u32>(entry, 12) + add, 12);
        store<u32>(entry, load<u32>(entry, 16) + idle, 16);
        return;
      }
    }
    slot = (slot + 1) & mask;
  }
}

/** `count` rows of one group (the caller's groups, merged at a snapshot's end). */
export function mergeGroup(remote: i32, key: i32, program: i32, add: u32, idle: u32): void {
  flushTallyBatch();
  addToGroup(groupHash(remote, key, program), remote, key, program, add, idle);
}

/**
 * Rows parsed but not yet counted, [remote, key, program, idle, hash] each: their index slots,
 * then the entries those point at, are read first, all together, so the CPU overlaps those cache
 * misses instead of taking them one by one.
 */
const TALLY_BATCH_ROWS: u32 = 32;
const TALLY_BATCH_BYTES: usize = 20;
let tallyBatch: usize = 0;
let tallyBatchSize: u32 = 0;
/** Sum of the memory touched ahead (kept, and exported, so the loads are not optimised away). */
let touched: u32 = 0;
export function touchedSlots(): u32 {
  return touched;
}

// @ts-ignore: decorator
@inline function queueGroupRow(remote: i32, key: i32, program: i32, idle: u32): void {
  const at = tallyBatch + <usize>tallyBatchSize * TALLY_BATCH_BYTES;
  store<i32>(at, remote);
  store<i32>(at, key, 4);
  store<i32>(at, program, 8);
  store<u32>(at, idle, 12);
  if (++tallyBatchSize == TALLY_BATCH_ROWS) flushTallyBatch();
}

function flushTallyBatch(): void {
  const size = tallyBatchSize;
  if (size == 0) return;
  tallyBatchSize = 0;
  let sum: u32 = 0;
  for (let i: u32 = 0; i < size; i++) {
    const at = tallyBatch + <usize>i * TALLY_BATCH_BYTES;
    const hash = groupHash(load<i32>(at), load<i32>(at, 4), load<i32>(at, 8));
    store<u32>(at, hash, 16);
    sum += load<u32>(groupSlots + (<usize>(hash >> groupShift) << 3), 4);
  }
  for (let i: u32 = 0; i < size; i++) {
    const at = tallyBatch + <usize>i * TALLY_BATCH_BYTES;
    const slot = groupSlots + (<usize>(load<u32>(at, 16) >> groupShift) << 3);
    const entryPlusOne = load<u32>(slot, 4);
    if (entryPlusOne != 0) sum += load<u32>(groupEntries + <usize>(entryPlusOne - 1) * GROUP_ENTRY_BYTES, 12);
  }
  touched += sum;
  for (let i: u32 = 0; i < size; i++) {
    const at = tallyBatch + <usize>i * TALLY_BATCH_BYTES;
    addToGroup(load<u32>(at, 16), load<i32>(at), load<i32>(at, 4), load<i32>(at, 8), 1, load<u32>(at, 12));
  }
}

function growRemotes(): void {
  const oldSlots = remoteSlots;
  const oldCapacity = remoteSlotCapacity;
  remoteSlotCapacity <<= 1;
  remoteShift--;
  remoteSlots = zeroed(<usize>remoteSlotCapacity << 3);
  const mask = remoteSlotCapacity - 1;
  for (let i: u32 = 0; i < oldCapacity; i++) {
    const from = oldSlots + (<usize>i << 3);
    const value = load<u32>(from, 4);
    if (value == 0) continue;
    const address = load<u32>(from);
    let slot = (address * 0x9e3779b1) >> remoteShift;
    while (load<u32>(remoteSlots + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & mask;
    store<u32>(remoteSlots + (<usize>slot << 3), address);
    store<u32>(remoteSlots + (<usize>slot << 3), value, 4);
  }
  heap.free(oldSlots);
}

// @ts-ignore: decorator
@inline function remoteIndex(address: u32): i32 {
  const mask = remoteSlotCapacity - 1;
  let slot = (address * 0x9e3779b1) >> remoteShift;
  for (;;) {
    const at = remoteSlots + (<usize>slot << 3);
    const value = load<u32>(at, 4);
    if (value == 0) break;
    if (load<u32>(at) == address) return <i32>value - 1;
    slot = (slot + 1) & mask;
  }
  const index = internRemote(address);
  const at = remoteSlots + (<usize>slot << 3);
  store<u32>(at, address);
  store<u32>(at, <u32>index + 1, 4);
  if (++remoteCount * 2 > remoteSlotCapacity) growRemotes();
  return index;
}

/** The caller's index of the program name [start, end) (-1: nothing left after sanitizing). */
function programIndex(start: usize, end: usize): i32 {
  const length = <u32>(end - start);
  for (let i: u32 = 0; i < programCacheCount; i++) {
    const entry = programCache + <usize>i * PROGRAM_CACHE_STRIDE;
    if (load<u32>(entry) != length) continue;
    let k: u32 = 0;
    while (k < length && load<u8>(start + k) == load<u8>(entry + 8 + k)) k++;
    if (k == length) return load<i32>(entry, 4);
  }
  const index = internProgram(start, end);
  if (programCacheCount < PROGRAM_CACHE_ENTRIES && length <= PROGRAM_CACHE_NAME_BYTES) {
    const entry = programCache + <usize>programCacheCount * PROGRAM_CACHE_STRIDE;
    programCacheCount++;
    store<u32>(entry, length);
    store<i32>(entry, index, 4);
    memory.copy(entry + 8, start, length);
  }
  return index;
}

/** The first '\n' at or after p (one is known to follow): eight bytes a step. */
// @ts-ignore: decorator
@inline function newlineFrom(p: usize): usize {
  let found: u64 = 0;
  for (;;) {
    const x = load<u64>(p) ^ 0x0a0a0a0a0a0a0a0a;
    found = (x - 0x0101010101010101) & ~x & 0x8080808080808080;
    if (found != 0) break;
    p += 8;
  }
  return p + <usize>(ctz<u64>(found) >> 3);
}

// The row being read: where it ends (trailing blanks cut; a NUL stands there meanwhile, which
// ends every column scan, as the input holds no NUL) and what its columns said.
let rowEnd: usize = 0;
let zeroQueues: bool = false;
let portValue: i32 = 0;

/** 1 to 15 digits at p then a space; clears zeroQueues unless all zeros. The space, or 0. */
// @ts-ignore: decorator
@inline function queueEnd(p: usize): usize {
  const from = p;
  let any: u32 = 0;
  let digit = <u32>load<u8>(p) - 48;
  while (digit <= 9) {
    any |= digit;
    digit = <u32>load<u8>(++p) - 48;
  }
  if (p == from || p - from > 15 || load<u8>(p) != SPACE) return 0;
  if (any != 0) zeroQueues = false;
  return p;
}

/** A port [start, end): digits up to 65535 into portValue, or '*' as -1. */
// @ts-ignore: decorator
@inline function readPort(start: usize, end: usize): bool {
  const length = end - start;
  if (length == 1 && load<u8>(start) == 42) {
    portValue = -1;
    return true;
  }
  if (length == 0 || length > 5) return false;
  let port: u32 = 0;
  for (let at = start; at < end; at++) {
    const digit = <u32>load<u8>(at) - 48;
    if (digit > 9) return false;
    port = port * 10 + digit;
  }
  if (port > 65535) return false;
  portValue = <i32>port;
  return true;
}

/** Spaces at p (at least one): the first byte after them, or 0. */
// @ts-ignore: decorator
@inline function afterSpaces(p: usize): usize {
  if (load<u8>(p) != SPACE) return 0;
  do p++;
  while (load<u8>(p) == SPACE);
  return p;
}

/** Folds a row with a peer into its group; false for rows without one (the caller reads those). */
// @ts-ignore: decorator
@inline function tallyRow(state: u32, localPort: i32, remote: u32, remotePort: i32, ipv6: bool, program: i32): bool {
  if (state == listenStateIndex || (remotePort <= 0 && remote == 0)) return false;
  let flags: u32 = ipv6 ? TALLY_FLAG_IPV6 : 0;
  if (localPort >= 1024 && remotePort >= 0 && remotePort < 1024) flags |= TALLY_FLAG_PEER_SERVICE;
  const key = ((localPort + 1) << 6) | <i32>(state << 2) | <i32>flags;
  rowRemote = remoteIndex(remote);
  queueGroupRow(rowRemote, key, program, zeroQueues ? 1 : 0);
  const counter = groupStates + (<usize>state << 2);
  store<u32>(counter, load<u32>(counter) + 1);
  return true;
}

/** Every byte of [start, rowEnd) printable ASCII (a program column; tabs and UTF-8 go the parser's way). */
function printableToEnd(start: usize): bool {
  for (let p = start; p < rowEnd; p++) {
    if (<u32>load<u8>(p) - 0x20 > 0x5e) return false;
  }
  return true;
}

/** Spaces, Recv-Q, spaces, Send-Q, spaces from p (sets zeroQueues): the next column's start, or 0. */
@inline function afterQueues(p: usize): usize {
  zeroQueues = true;
  p = afterSpaces(p);
  if (p == 0) return 0;
  p = queueEnd(p);
  if (p == 0) return 0;
  p = afterSpaces(p);
  if (p == 0) return 0;
  p = queueEnd(p);
  if (p == 0) return 0;
  return afterSpaces(p);
}

/** One netstat row at lineStart; see socket-row-tally.ts #netstatRow. */
function tallyNetstatRow(lineStart: usize): bool {
  let p = lineStart;
  const c0 = <u32>load<u8>(p);
  if (!((c0 == 116 && load<u8>(p, 1) == 99) || (c0 == 117 && load<u8>(p, 1) == 100)) || load<u8>(p, 2) != 112) return false;
  p += 3;
  const ipv6 = load<u8>(p) == 54;
  if (ipv6) p++;
  p = afterQueues(p);
  if (p == 0) return false;
  // Local endpoint: printable, no brackets or zones, ADDR:PORT, then a space.
  const localStart = p;
  let lastColon: usize = 0;
  for (;; p++) {
    const byteClassOf = load<u8>(byteClass + <usize>load<u8>(p));
    if (byteClassOf == CLASS_SPACE) break;
    if (byteClassOf == CLASS_BAD || load<u8>(p) == 93) return false;
    if (byteClassOf == CLASS_COLON) lastColon = p;
  }
  if (lastColon <= localStart || !readPort(lastColon + 1, p)) return false;
  const localPort = portValue;
  p = afterSpaces(p);
  if (p == 0) return false;
  // Remote: [::ffff:]QUAD:PORT, ended by a space or the row's end.
  if (isMappedPrefix(p)) p += 7;
  p = quadEnd(p, 58);
  if (p == 0) return false;
  const remote = quadValue;
  const portStart = ++p;
  while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
  if (!readPort(portStart, p)) return false;
  const remotePort = portValue;
  let state: u32;
  if (p == rowEnd) {
    // udp rows may have no state column; tcp rows must.
    if (c0 == 116) return false;
    state = unknownStateIndex;
  } else {
    p = afterSpaces(p);
    const stateStart = p;
    while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
    const index = stateIndexAt(stateWords, stateWordCount, stateStart, p);
    if (index < 0) return false;
    state = <u32>index;
  }
  let program: i32 = -1;
  if (p < rowEnd) {
    while (load<u8>(p) == SPACE) p++;
    if (!printableToEnd(p)) return false;
    if (programColumn) {
      let q = p;
      while (<u32>load<u8>(q) - 48 <= 9) q++;
      if (q > p && load<u8>(q) == 47) program = programIndex(q + 1, rowEnd);
    }
  }
  return tallyRow(state, localPort, remote, remotePort, ipv6, program);
}

const USERS_HEAD: u64 = 0x28283a7372657375; // 'users:((' little-endian
const USERS_HEAD_NAME: u32 = 34; // '"'

/** `users:(("name",pid=N` at p: the name's index; -1 without a users column; -2: the parser decides. */
function ssProgram(p: usize): i32 {
  if (load<u64>(p) != USERS_HEAD || load<u8>(p, 8) != USERS_HEAD_NAME) {
    // Anything else that names users somewhere is for the parser's pattern.
    for (let q = p; q + 8 <= rowEnd; q++) if (load<u64>(q) == USERS_HEAD) return -2;
    return -1;
  }
  const nameStart = p + 9;
  let q = nameStart;
  while (q < rowEnd && load<u8>(q) != 34 && load<u8>(q) != 92) q++;
  if (q >= rowEnd || load<u8>(q) != 34 || load<u8>(q, 1) != 44) return -2;
  let r = q + 2;
  if (load<u32>(r) == 0x3d646970) r += 4; // 'pid='
  if (<u32>load<u8>(r) - 48 > 9) return -2;
  return programIndex(nameStart, q);
}

/** One ss row at lineStart; see socket-row-tally.ts #ssRow. */
function tallySsRow(lineStart: usize): bool {
  let p = lineStart;
  while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
  let index = stateIndexAt(ssStateWords, ssStateWordCount, lineStart, p);
  if (index < 0) {
    // A Netid column: only tcp and udp rows are taken here.
    const c0 = <u32>load<u8>(lineStart);
    if (p - lineStart != 3 || !((c0 == 116 && load<u8>(lineStart, 1) == 99) || (c0 == 117 && load<u8>(lineStart, 1) == 100)) || load<u8>(lineStart, 2) != 112) return false;
    p = afterSpaces(p);
    if (p == 0) return false;
    const stateStart = p;
    while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
    index = stateIndexAt(ssStateWords, ssStateWordCount, stateStart, p);
    if (index < 0) return false;
  }
  const state = <u32>index;
  p = afterQueues(p);
  if (p == 0) return false;
  // Local: QUAD, or [::ffff:QUAD] / [::] (an IPv6 socket), then :PORT and a space.
  let ipv6 = false;
  if (load<u8>(p) == 91) {
    ipv6 = true;
    p++;
    if (load<u8>(p) == 58 && load<u8>(p, 1) == 58 && load<u8>(p, 2) == 93) p += 2;
    else {
      if (!isMappedPrefix(p)) return false;
      p = quadEnd(p + 7, 93);
      if (p == 0) return false;
    }
    if (load<u8>(p) != 93) return false;
    p++;
  } else {
    p = quadEnd(p, 58);
    if (p == 0) return false;
  }
  if (load<u8>(p) != 58) return false;
  const localPortStart = ++p;
  while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
  if (p == rowEnd || !readPort(localPortStart, p)) return false;
  const localPort = portValue;
  p = afterSpaces(p);
  if (p == 0) return false;
  // Peer: QUAD or [::ffff:QUAD], then :PORT.
  const bracket = load<u8>(p) == 91;
  if (bracket) {
    p++;
    if (!isMappedPrefix(p)) return false;
    p += 7;
  }
  p = quadEnd(p, bracket ? 93 : 58);
  if (p == 0) return false;
  const remote = quadValue;
  if (bracket) {
    p++;
    if (load<u8>(p) != 58) return false;
  }
  const peerPortStart = ++p;
  while (load<u8>(p) != SPACE && load<u8>(p) != 0) p++;
  if (!readPort(peerPortStart, p)) return false;
  const remotePort = portValue;
  let program: i32 = -1;
  if (p < rowEnd) {
    while (load<u8>(p) == SPACE) p++;
    if (!printableToEnd(p)) return false;
    program = ssProgram(p);
    if (program == -2) return false;
  }
  return tallyRow(state, localPort, remote, remotePort, ipv6, program);
}

/**
 * Fold the rows of the whole lines in [start, end) (end - 1 holds a '\n') into the snapshot's
 * groups. Returns end, or the start of the first line the caller must read.
 */
export function scanTally(start: usize, end: usize, ss: bool): usize {
  let p = start;
  while (p < end) {
    if (!ss && !fastNetstat) break;
    const newline = newlineFrom(p);
    // As the line reader: one '\r' before the '\n' is not part of the line; longer lines are cut.
    let last = newline;
    if (last > p && load<u8>(last - 1) == CARRIAGE_RETURN) last--;
    if (last - p > MAX_LINE_BYTES) break;
    // Trailing blanks are not part of the row.
    while (last > p && (load<u8>(last - 1) == SPACE || load<u8>(last - 1) == TAB)) last--;
    rowEnd = last;
    const kept = load<u8>(last);
    store<u8>(last, 0);
    const taken = ss ? tallySsRow(p) : tallyNetstatRow(p);
    store<u8>(last, kept);
    if (!taken) break;
    if (rowsPerRemote != 0) recordRow(rowRemote, p);
    fastLineCount++;
    p = newline + 1;
  }
  flushTallyBatch();
  return p;
}

// The drill-down's row index (capture/row-index.ts), when asked: per remote id its row count and
// the line number and byte offset of its first rowsPerRemote rows, in flat arrays the caller
// copies out at the end and merges with the rows it read itself.
let rowsPerRemote: u32 = 0;
let rowIndexCapacity: u32 = 0;
let rowIndexCounts: usize = 0;
let rowIndexLines: usize = 0;
let rowIndexOffsets: usize = 0;
let rowIndexRemotes: u32 = 0;
/** Lines the caller read itself so far (a row's line number is this + fastLineCount + 1). */
let rowLineBase: u32 = 0;
/** The stream offset of memory address 0 for the lines being scanned (offset = base + address). */
let rowOffsetBase: f64 = 0;
/** The remote id of the row tallyRow() last took. */
let rowRemote: i32 = 0;

export function initRowIndex(perRemote: u32): void {
  rowsPerRemote = perRemote;
  growRowIndex(1024);
}

/** Before each scanTally(): the caller's line count and where its input region is in the stream. */
export function setRowBase(lineBase: u32, offsetBase: f64): void {
  rowLineBase = lineBase;
  rowOffsetBase = offsetBase;
}

/** Remote ids 0 .. rowIndexLength() - 1 may have rows here. */
export function rowIndexLength(): u32 {
  return rowIndexRemotes;
}
export function rowIndexCountsPointer(): usize {
  return rowIndexCounts;
}
export function rowIndexLinesPointer(): usize {
  return rowIndexLines;
}
export function rowIndexOffsetsPointer(): usize {
  return rowIndexOffsets;
}

function growRowIndex(atLeast: u32): void {
  let capacity = max<u32>(rowIndexCapacity, 1024);
  while (capacity < atLeast) capacity <<= 1;
  const counts = zeroed(<usize>capacity << 2);
  const lines = zeroed((<usize>capacity * rowsPerRemote) << 2);
  const offsets = zeroed((<usize>capacity * rowsPerRemote) << 3);
  if (rowIndexCapacity != 0) {
    memory.copy(counts, rowIndexCounts, <usize>rowIndexCapacity << 2);
    memory.copy(lines, rowIndexLines, (<usize>rowIndexCapacity * rowsPerRemote) << 2);
    memory.copy(offsets, rowIndexOffsets, (<usize>rowIndexCapacity * rowsPerRemote) << 3);
    heap.free(rowIndexCounts);
    heap.free(rowIndexLines);
    heap.free(rowIndexOffsets);
  }
  rowIndexCapacity = capacity;
  rowIndexCounts = counts;
  rowIndexLines = lines;
  rowIndexOffsets = offsets;
}

/** The row starting at lineStart, of remote id `remote`: counted, and kept if among its first rowsPerRemote. */
function recordRow(remote: i32, lineStart: usize): void {
  const id = <u32>remote;
  if (id >= rowIndexCapacity) growRowIndex(id + 1);
  if (id >= rowIndexRemotes) rowIndexRemotes = id + 1;
  const counter = rowIndexCounts + (<usize>id << 2);
  const seen = load<u32>(counter);
  store<u32>(counter, seen + 1);
  if (seen >= rowsPerRemote) return;
  const slot = <usize>id * rowsPerRemote + seen;
  store<u32>(rowIndexLines + (slot << 2), rowLineBase + fastLineCount + 1);
  store<f64>(rowIndexOffsets + (slot << 3), rowOffsetBase + <f64>lineStart);
}

// ---------------------------------------------------------------------------------------------
// `parse --summary --format csv`: the IPv4 rows ordered (connections descending, then address)
// and printed here (capture/output/summary-output.ts). 50k rows cost the JavaScript writer ~120 ms
// on a cold start, most of it before its loops were optimised; here they take a few.

let csvKeys: usize = 0;
let csvCounts: usize = 0;
/** Entry numbers in row order, and each row's total (connections). */
let csvOrder: usize = 0;
let csvTotals: usize = 0;

/**
 * Order `entries` rows: keys (u32 each, distinct) and their counts (stateCount u32 each), written
 * by the caller. An LSD radix sort, 16 bits a pass, of (~total, key) with the entry alongside.
 */
export function csvPrepare(keys: usize, counts: usize, entries: u32): void {
  if (csvOrder != 0) {
    heap.free(csvOrder);
    heap.free(csvTotals);
  }
  if (smallDecimals == 0) initSmallDecimals();
  csvKeys = keys;
  csvCounts = counts;
  const n = <usize>entries;
  let sortKeys = heap.alloc(n << 3);
  let sortEntries = heap.alloc(n << 2);
  let spareKeys = heap.alloc(n << 3);
  let spareEntries = heap.alloc(n << 2);
  const buckets = heap.alloc(65536 << 2);
  for (let entry: usize = 0; entry < n; entry++) {
    let total: u32 = 0;
    const row = counts + ((entry * <usize>stateCount) << 2);
    for (let state: u32 = 0; state < stateCount; state++) total += load<u32>(row + (<usize>state << 2));
    store<u64>(sortKeys + (entry << 3), (<u64>(0xffffffff - total) << 32) | <u64>load<u32>(keys + (entry << 2)));
    store<u32>(sortEntries + (entry << 2), <u32>entry);
  }
  for (let shift: u64 = 0; shift < 64; shift += 16) {
    memory.fill(buckets, 0, 65536 << 2);
    for (let i: usize = 0; i < n; i++) {
      const bucket = buckets + (<usize>((load<u64>(sortKeys + (i << 3)) >> shift) & 0xffff) << 2);
      store<u32>(bucket, load<u32>(bucket) + 1);
    }
    // All in one bucket: this pass would not move anything.
    if (load<u32>(buckets + (<usize>((load<u64>(sortKeys) >> shift) & 0xffff) << 2)) == entries) continue;
    let position: u32 = 0;
    for (let b: usize = 0; b < 65536; b++) {
      const count = load<u32>(buckets + (b << 2));
      store<u32>(buckets + (b << 2), position);
      position += count;
    }
    for (let i: usize = 0; i < n; i++) {
      const sortKey = load<u64>(sortKeys + (i << 3));
      const bucket = buckets + (<usize>((sortKey >> shift) & 0xffff) << 2);
      const to = <usize>load<u32>(bucket);
      store<u32>(bucket, <u32>to + 1);
      store<u64>(spareKeys + (to << 3), sortKey);
      store<u32>(spareEntries + (to << 2), load<u32>(sortEntries + (i << 2)));
    }
    const keysBefore = sortKeys;
    sortKeys = spareKeys;
    spareKeys = keysBefore;
    const entriesBefore = sortEntries;
    sortEntries = spareEntries;
    spareEntries = entriesBefore;
  }
  csvOrder = sortEntries;
  csvTotals = spareEntries;
  for (let i: usize = 0; i < n; i++) store<u32>(csvTotals + (i << 2), <u32>(0xffffffff - <u32>(load<u64>(sortKeys + (i << 3)) >> 32)));
  heap.free(buckets);
  heap.free(sortKeys);
  heap.free(spareKeys);
}

/** The totals of the rows in order (valid until the next csvPrepare()). */
export function csvTotalsPointer(): usize {
  return csvTotals;
}

/** 0..999 as [digit, digit, digit, length] words: one load and one store per small number. */
let smallDecimals: usize = 0;

function initSmallDecimals(): void {
  smallDecimals = heap.alloc(1000 << 2);
  for (let value: u32 = 0; value < 1000; value++) {
    let word: u32;
    if (value < 10) word = (48 + value) | (1 << 24);
    else if (value < 100) word = (48 + value / 10) | ((48 + value % 10) << 8) | (2 << 24);
    else word = (48 + value / 100) | ((48 + (value / 10) % 10) << 8) | ((48 + value % 10) << 16) | (3 << 24);
    store<u32>(smallDecimals + (<usize>value << 2), word);
  }
}

/** Decimal digits of value at p (up to four bytes past them may be overwritten): where they end. */
// @ts-ignore: decorator
@inline function writeDecimal(p: usize, value: u32): usize {
  if (value < 1000) {
    const word = load<u32>(smallDecimals + (<usize>value << 2));
    store<u32>(p, word);
    return p + <usize>(word >>> 24);
  }
  let digits: usize = 0;
  for (let rest = value; rest != 0; rest /= 10) digits++;
  let cursor = p + digits;
  for (let rest = value; rest != 0; rest /= 10) store<u8>(--cursor, 48 + rest % 10);
  return p + digits;
}

/** Rows [from, to) of the order as CSV lines (ip,connections,counts...) at out (with four bytes to spare): where they end. Totals are u32: one remote would need 4 billion rows to pass that. */
export function csvFormat(from: u32, to: u32, out: usize): usize {
  let p = out;
  for (let rank = from; rank < to; rank++) {
    const entry = <usize>load<u32>(csvOrder + (<usize>rank << 2));
    const key = load<u32>(csvKeys + (entry << 2));
    p = writeDecimal(p, key >>> 24);
    store<u8>(p++, 46);
    p = writeDecimal(p, (key >>> 16) & 255);
    store<u8>(p++, 46);
    p = writeDecimal(p, (key >>> 8) & 255);
    store<u8>(p++, 46);
    p = writeDecimal(p, key & 255);
    store<u8>(p++, 44);
    p = writeDecimal(p, load<u32>(csvTotals + (<usize>rank << 2)));
    const row = csvCounts + ((entry * <usize>stateCount) << 2);
    for (let state: u32 = 0; state < stateCount; state++) {
      store<u8>(p++, 44);
      p = writeDecimal(p, load<u32>(row + (<usize>state << 2)));
    }
    store<u8>(p++, NEWLINE);
  }
  return p;
}
