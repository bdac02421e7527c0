// `lookup`'s input list: distinct items in first-seen order, invalid text kept (sanitized) to
// be reported. A list read from stdin is scanned as bytes: a dotted quad becomes its number
// and its text without a token string, an array entry or a set entry of its own, since a bulk
// list is mostly those.
import { isAscii } from 'node:buffer';
import { ipv4ToInt, ipv4ToIntBytes, parseIpAddress } from '../net/ip.js';
import { formatIpv6Words, parseIpv6Words } from '../net/ipv6-words.js';
import { sanitizeText } from '../net/sanitize.js';

/** values[i] of an item that is not an address. */
export const NOT_AN_ADDRESS = -2;
/** values[i] of an IPv6 address. */
export const IPV6_ITEM = -1;

export interface InputItems {
  /** Canonical address text, or the sanitized text of an item that is not an address. */
  texts: string[];
  /** Per item: the IPv4 address as an unsigned integer (ipv4ToInt of its text), IPV6_ITEM or NOT_AN_ADDRESS. */
  values: Float64Array;
}

/** The canonical text of an address, or null. Plain dotted quads and plain IPv6 skip ipaddr.js (a list is mostly those). */
function canonicalAddress(token: string): string | null {
  if (ipv4ToInt(token) >= 0) return token;
  if (token.includes(':') && !token.includes('.') && !token.includes('[') && !token.includes('%')) {
    const words = parseIpv6Words(token);
    // IPv4-mapped addresses are unmapped by parseIpAddress below.
    if (words && !(words[0] === 0 && words[1] === 0 && words[2] === 0xffff)) return formatIpv6Words(words);
  }
  return parseIpAddress(token)?.text ?? null;
}

/** A set of unsigned 32-bit integers: open addressing over a typed array, no entry objects. */
class Uint32Set {
  private slots: Float64Array;
  /** 32 - log2(slots.length). */
  private shift: number;
  private size = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Float64Array(capacity).fill(-1);
    this.shift = 32 - Math.log2(capacity);
  }

  /** True when the value was not in the set (and now is). */
  add(value: number): boolean {
    if (this.size * 2 >= this.slots.length) this.grow();
    const slots = this.slots;
    const mask = slots.length - 1;
    // Fibonacci hashing: the product's high bits, which every bit of the address stirs.
    let slot = Math.imul(value | 0, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const held = slots[slot] as number;
      if (held === value) return false;
      if (held === -1) break;
      slot = (slot + 1) & mask;
    }
    slots[slot] = value;
    this.size++;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(-1);
    this.shift--;
    this.size = 0;
    for (let slot = 0; slot < old.length; slot++) if (old[slot] !== -1) this.add(old[slot] as number);
  }
}

/** Collects distinct items in first-seen order. */
class ItemCollector {
  private readonly texts: string[] = [];
  private values: Float64Array;
  private readonly seenV4: Uint32Set;
  private readonly seenOther = new Set<string>();

  constructor(expectedItems = 0) {
    this.seenV4 = new Uint32Set(expectedItems);
    this.values = new Float64Array(Math.max(16, Math.ceil(expectedItems)));
  }

  finish(): InputItems {
    return { texts: this.texts, values: this.values.slice(0, this.texts.length) };
  }

  private push(text: string, value: number): void {
    const count = this.texts.length;
    if (count === this.values.length) {
      const grown = new Float64Array(count * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[count] = value;
    this.texts.push(text);
  }

  addV4(text: string, value: number): void {
    if (this.seenV4.add(value)) this.pushV4(text, value);
  }

  /** True when the address (ipv4ToInt of its text) was not seen before: then pushV4 it. */
  isNewV4(value: number): boolean {
    return this.seenV4.add(value);
  }

  pushV4(text: string, value: number): void {
    this.push(text, value);
  }

  addToken(token: string): void {
    const ip = canonicalAddress(token);
    if (ip !== null) {
      const value = ipv4ToInt(ip);
      if (value >= 0) return this.addV4(ip, value);
    }
    const key = ip ?? `\u0000${token}`;
    if (this.seenOther.has(key)) return;
    this.seenOther.add(key);
    this.push(ip ?? sanitizeText(token, 100), ip === null ? NOT_AN_ADDRESS : IPV6_ITEM);
  }
}

/** Distinct items of the tokens, in first-seen order. */
export function itemsFromList(tokens: readonly string[]): InputItems {
  const collector = new ItemCollector();
  for (const token of tokens) collector.addToken(token);
  return collector.finish();
}

/** Addresses found already (canonical and distinct), as items. */
export function itemsOfAddresses(addresses: readonly string[]): InputItems {
  return { texts: [...addresses], values: Float64Array.from(addresses, (ip) => (ipv4ToInt(ip) >= 0 ? ipv4ToInt(ip) : IPV6_ITEM)) };
}

const SEPARATORS = /[\s,;]/;

/** Tokens of a list: one address per line or separated by spaces/commas/semicolons; '#' lines skipped. */
export function tokensFromListText(text: string): string[] {
  const tokens: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // One address per line is the common list: no second split.
    if (!SEPARATORS.test(trimmed)) tokens.push(trimmed);
    else for (const token of trimmed.split(/[\s,;]+/)) if (token !== '') tokens.push(token);
  }
  return tokens;
}

/** Byte classes of an ASCII list: part of a token, a blank (what trim() and \\s remove, but the line feed), ',' or ';', the line feed. */
const TOKEN = 0;
const BLANK = 1;
const COMMA = 2;
const LINE_FEED = 3;
const BYTE_CLASS = new Uint8Array(128);
for (const code of [9, 11, 12, 13, 32]) BYTE_CLASS[code] = BLANK;
BYTE_CLASS[44] = COMMA;
BYTE_CLASS[59] = COMMA;
BYTE_CLASS[10] = LINE_FEED;

/** itemsFromList(tokensFromListText(text)) of a list as bytes. */
export function itemsFromListBytes(bytes: Buffer): InputItems {
  // Unicode whitespace and invalid UTF-8 are the text path's to judge.
  if (!isAscii(bytes)) return itemsFromList(tokensFromListText(bytes.toString('utf8')));
  // A dotted quad and its line end take 8 to 16 bytes.
  const collector = new ItemCollector(bytes.length / 12);
  const length = bytes.length;
  // Only blanks so far on this line: a '#' here starts a comment.
  let lineStart = true;
  let at = 0;
  while (at < length) {
    const code = bytes[at] as number;
    const kind = BYTE_CLASS[code] as number;
    if (kind !== TOKEN) {
      if (kind === LINE_FEED) lineStart = true;
      else if (kind === COMMA) lineStart = false;
      at++;
      continue;
    }
    if (lineStart && code === 35) {
      while (at < length && bytes[at] !== 10) at++;
      continue;
    }
    lineStart = false;
    const start = at;
    at++;
    while (at < length && BYTE_CLASS[bytes[at] as number] === TOKEN) at++;
    const value = ipv4ToIntBytes(bytes, start, at);
    if (value < 0) collector.addToken(bytes.toString('latin1', start, at));
    else if (collector.isNewV4(value)) collector.pushV4(bytes.toString('latin1', start, at), value);
  }
  return collector.finish();
}
