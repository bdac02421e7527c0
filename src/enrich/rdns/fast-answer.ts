// The common answer read straight from the wire: our question repeated, then only
// records of the asked type for the asked name (or none, with an SOA for the negative
// TTL; or a bare SERVFAIL/REFUSED). It reads the header, checks the question and walks the records once, without
// building dns-packet's objects. Whatever it is not sure of (a CNAME, TC, another
// rcode, a record type it does not know, a name dns-packet would refuse) it leaves to
// the full decoder: it returns null, and checkAnswer + interpretAnswer decide as before.
// So what it accepts is a subset of what the full path accepts, read the same way
// (test/enrich/rdns/fast-answer.test.ts checks that on real and mutated answers).

// The pointer bound and the presentation form's plain bytes are decodeNamePresentation's (wire-records.ts).
import { MAX_POINTERS, PLAIN_BYTE } from './wire-records.js';

export const TYPE_A = 1;
export const TYPE_PTR = 12;
export const TYPE_AAAA = 28;
const TYPE_NS = 2;
const TYPE_SOA = 6;
const TYPE_OPT = 41;
const CLASS_IN = 1;
const RCODE_NOERROR = 0;
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const RCODE_REFUSED = 5;
/** dns-packet's limit: the labels with their length bytes, without the root byte. */
const MAX_LABEL_OCTETS = 254;

export type FastAnswer =
  | { kind: 'records'; data: string[]; ttl: number; rcode: 'NOERROR' }
  | { kind: 'nodata'; ttl: number | null; rcode: 'NOERROR' }
  | { kind: 'nxdomain'; ttl: number | null; rcode: 'NXDOMAIN' }
  /** The server would not or could not answer: the client may ask another. */
  | { kind: 'failed'; rcode: 'SERVFAIL' | 'REFUSED' };


/** Set by walkName: where the walked name ends in its record (after the first pointer or the root byte). */
let nameEnd = 0;

/**
 * Walks the name at `offset` under dns-packet's rules (pointers only to earlier data,
 * at most 254 label octets, no reserved label types) and our pointer bound; sets
 * `nameEnd`. Returns false when any rule fails.
 */
function walkName(message: Uint8Array, offset: number): boolean {
  let position = offset;
  let runStart = offset;
  let octets = 0;
  let pointers = 0;
  let end = -1;
  for (;;) {
    if (position >= message.length) return false;
    const length = message[position]!;
    if (length === 0) {
      if (end < 0) end = position + 1;
      break;
    }
    const kind = length & 0xc0;
    if (kind === 0) {
      if (position + 1 + length > message.length) return false;
      octets += length + 1;
      if (octets > MAX_LABEL_OCTETS) return false;
      position += 1 + length;
      continue;
    }
    if (kind !== 0xc0 || position + 1 >= message.length || ++pointers > MAX_POINTERS) return false;
    const target = ((length & 0x3f) << 8) | message[position + 1]!;
    if (target >= runStart) return false;
    if (end < 0) end = position + 2;
    position = target;
    runStart = target;
  }
  nameEnd = end;
  return true;
}

/** True when the (already walked) name at `offset` is `expected` (lower-case ASCII, no trailing dot), ignoring ASCII case. */
function nameIs(message: Uint8Array, offset: number, expected: string): boolean {
  let position = offset;
  let at = 0;
  for (;;) {
    const length = message[position]!;
    if (length === 0) return at === expected.length;
    if ((length & 0xc0) === 0xc0) {
      position = ((length & 0x3f) << 8) | message[position + 1]!;
      continue;
    }
    if (at > 0) {
      if (expected.charCodeAt(at) !== 0x2e) return false;
      at++;
    }
    if (at + length > expected.length) return false;
    for (let index = 0; index < length; index++) {
      let byte = message[position + 1 + index]!;
      if (byte >= 0x41 && byte <= 0x5a) byte += 0x20;
      // A '.' byte inside a label never equals a label boundary of `expected`.
      if (byte !== expected.charCodeAt(at + index) || byte === 0x2e) return false;
    }
    at += length;
    position += 1 + length;
  }
}

/** One name's presentation form: at most 254 label octets, each at most 4 characters (\\DDD). */
const PRESENTED = Buffer.allocUnsafe(1024);

/** The walked name at `offset` in presentation form, byte for byte (decodeNamePresentation's output), as one flat string. */
function presentName(message: Uint8Array, offset: number): string {
  let length = 0;
  let position = offset;
  for (;;) {
    const labelLength = message[position]!;
    if (labelLength === 0) break;
    if ((labelLength & 0xc0) === 0xc0) {
      position = ((labelLength & 0x3f) << 8) | message[position + 1]!;
      continue;
    }
    if (length > 0) PRESENTED[length++] = 0x2e;
    const stop = position + 1 + labelLength;
    for (let index = position + 1; index < stop; index++) {
      const byte = message[index]!;
      if (PLAIN_BYTE[byte]) {
        PRESENTED[length++] = byte;
        continue;
      }
      PRESENTED[length] = 0x5c;
      PRESENTED[length + 1] = 0x30 + ((byte / 100) | 0);
      PRESENTED[length + 2] = 0x30 + (((byte / 10) | 0) % 10);
      PRESENTED[length + 3] = 0x30 + (byte % 10);
      length += 4;
    }
    position = stop;
  }
  return length === 0 ? '.' : PRESENTED.toString('latin1', 0, length);
}

const u16 = (message: Uint8Array, offset: number) => (message[offset]! << 8) | message[offset + 1]!;
const u32 = (message: Uint8Array, offset: number) => u16(message, offset) * 65536 + u16(message, offset + 2);

/**
 * The answer to `qname`/`qtype` when it is one of the plain shapes, else null. The caller
 * has already matched the ID and the sender; `qname` is lower-case ASCII without the final dot.
 */
export function readFastAnswer(message: Uint8Array, qname: string, qtype: number): FastAnswer | null {
  if (message.length < 12) return null;
  const flags = u16(message, 2);
  // QR set, opcode QUERY, TC clear.
  if ((flags & 0xfa00) !== 0x8000) return null;
  const rcode = flags & 0x0f;
  const failed = rcode === RCODE_SERVFAIL || rcode === RCODE_REFUSED;
  if (rcode !== RCODE_NOERROR && rcode !== RCODE_NXDOMAIN && !failed) return null;
  if (u16(message, 4) !== 1) return null;
  const answerCount = u16(message, 6);
  const authorityCount = u16(message, 8);
  const additionalCount = u16(message, 10);
  if (rcode !== RCODE_NOERROR && answerCount > 0) return null;
  if (failed && authorityCount > 0) return null;

  if (!walkName(message, 12) || !nameIs(message, 12, qname)) return null;
  let offset = nameEnd;
  if (offset + 4 > message.length || u16(message, offset) !== qtype || u16(message, offset + 2) !== CLASS_IN) return null;
  offset += 4;

  let data: string[] | null = null;
  let ttl = Number.POSITIVE_INFINITY;
  for (let index = 0; index < answerCount; index++) {
    if (!walkName(message, offset) || !nameIs(message, offset, qname)) return null;
    const fixed = nameEnd;
    if (fixed + 10 > message.length || u16(message, fixed) !== qtype || u16(message, fixed + 2) !== CLASS_IN) return null;
    const rdataLength = u16(message, fixed + 8);
    const rdata = fixed + 10;
    if (rdata + rdataLength > message.length) return null;
    const value = recordData(message, qtype, rdata, rdataLength);
    if (value === null) return null;
    (data ??= []).push(value);
    ttl = Math.min(ttl, u32(message, fixed + 4));
    offset = rdata + rdataLength;
  }

  let negativeTtl: number | null = null;
  for (let index = 0; index < authorityCount; index++) {
    if (!walkName(message, offset)) return null;
    const fixed = nameEnd;
    if (fixed + 10 > message.length) return null;
    const type = u16(message, fixed);
    const rdataLength = u16(message, fixed + 8);
    const rdata = fixed + 10;
    if (u16(message, fixed + 2) !== CLASS_IN || rdata + rdataLength > message.length) return null;
    if (type === TYPE_SOA) {
      // MNAME, RNAME, then SERIAL REFRESH RETRY EXPIRE MINIMUM, filling the data exactly.
      if (!walkName(message, rdata) || !walkName(message, nameEnd) || nameEnd + 20 !== rdata + rdataLength) return null;
      if (negativeTtl === null) negativeTtl = Math.min(u32(message, fixed + 4), u32(message, nameEnd + 16));
    } else if (type === TYPE_NS) {
      if (!walkName(message, rdata) || nameEnd > rdata + rdataLength) return null;
    } else {
      return null;
    }
    offset = rdata + rdataLength;
  }

  for (let index = 0; index < additionalCount; index++) {
    // Only the EDNS0 OPT record: the root name, 10 fixed bytes, then options that fill its data exactly.
    if (offset + 11 > message.length || message[offset] !== 0 || u16(message, offset + 1) !== TYPE_OPT) return null;
    const end = offset + 11 + u16(message, offset + 9);
    if (end > message.length) return null;
    for (let option = offset + 11; option < end; ) {
      // dns-packet decodes ECS, keepalive and key-tag options field by field: leave those to it.
      const code = option + 4 <= end ? u16(message, option) : -1;
      if (code < 0 || code === 8 || code === 11 || code === 14) return null;
      option += 4 + u16(message, option + 2);
      if (option > end) return null;
    }
    offset = end;
  }

  if (failed) return { kind: 'failed', rcode: rcode === RCODE_SERVFAIL ? 'SERVFAIL' : 'REFUSED' };
  if (data !== null) return { kind: 'records', data, ttl, rcode: 'NOERROR' };
  if (rcode === RCODE_NXDOMAIN) return { kind: 'nxdomain', ttl: negativeTtl, rcode: 'NXDOMAIN' };
  return { kind: 'nodata', ttl: negativeTtl, rcode: 'NOERROR' };
}

/** One record's data as the full path shows it, or null when its length is not what the type says. */
function recordData(message: Uint8Array, type: number, rdata: number, rdataLength: number): string | null {
  if (type === TYPE_PTR) {
    // dns-packet steps over a PTR by its name's length, not RDLENGTH: they must agree.
    if (!walkName(message, rdata) || nameEnd !== rdata + rdataLength) return null;
    return presentName(message, rdata);
  }
  if (type === TYPE_A) {
    if (rdataLength !== 4) return null;
    return `${message[rdata]}.${message[rdata + 1]}.${message[rdata + 2]}.${message[rdata + 3]}`;
  }
  if (type === TYPE_AAAA) {
    if (rdataLength !== 16) return null;
    const groups: string[] = [];
    for (let index = 0; index < 16; index += 2) groups.push(u16(message, rdata + index).toString(16));
    return groups.join(':');
  }
  return null;
}
