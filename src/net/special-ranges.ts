// IANA special-purpose address blocks (private, loopback, documentation, ...),
// labelled without any database lookup. The table is curated in
// geo-data/special-ranges.json with the registry as its source; the most
// specific (longest) prefix wins, e.g. 2001::/32 is 'teredo' inside 2001::/23.
import { readFileSync } from 'node:fs';
import type { SpecialRange } from '../model/attribution.js';
import { ipv4ToInt, parseIpAddress } from './ip.js';
import { ipv6ToWords, parseIpv6Words } from './ipv6-words.js';
import { v4Mask } from './prefix.js';

export { ipv6ToWords, parseIpv6Words } from './ipv6-words.js';

export interface SpecialRangeEntry {
  prefix: string;
  kind: string;
  name: string;
  rfc: string;
}

export interface SpecialRangeFile {
  ipv4: SpecialRangeEntry[];
  ipv6: SpecialRangeEntry[];
}

interface CompiledV4 {
  network: number;
  mask: number;
  range: SpecialRange;
}

interface CompiledV6 {
  words: readonly number[];
  masks: readonly number[];
  range: SpecialRange;
}

export interface SpecialRangeTable {
  v4: readonly CompiledV4[];
  v6: readonly CompiledV6[];
}

const SPECIAL_RANGES_URL = new URL('../../geo-data/special-ranges.json', import.meta.url);

/** The mask of a 32-bit word that `bits` leading bits of a prefix cover (none, some or all of it). */
function maskOf(bits: number): number {
  return v4Mask(Math.min(32, Math.max(0, bits)));
}

function splitPrefix(prefix: string): { address: string; length: number } {
  const slash = prefix.lastIndexOf('/');
  const length = Number(prefix.slice(slash + 1));
  if (slash < 0 || !Number.isInteger(length)) throw new Error(`special-ranges: bad prefix '${prefix}'`);
  return { address: prefix.slice(0, slash), length };
}

/** Pure: compile the curated JSON into lookup tables ordered longest prefix first. */
export function compileSpecialRanges(file: SpecialRangeFile): SpecialRangeTable {
  const v4 = file.ipv4.map((entry) => {
    const { address, length } = splitPrefix(entry.prefix);
    const network = ipv4ToInt(address);
    if (network < 0 || length > 32) throw new Error(`special-ranges: bad IPv4 prefix '${entry.prefix}'`);
    const mask = maskOf(length);
    return { length, compiled: { network: (network & mask) >>> 0, mask, range: freezeRange(entry) } };
  });
  const v6 = file.ipv6.map((entry) => {
    const { address, length } = splitPrefix(entry.prefix);
    // Our own parser, not ipaddr.js: an IPv4 lookup then never loads ipaddr.js (about 10 ms).
    const parsed = parseIpv6Words(address);
    if (!parsed || length > 128) throw new Error(`special-ranges: bad IPv6 prefix '${entry.prefix}'`);
    const masks = [0, 1, 2, 3].map((word) => maskOf(length - word * 32));
    const words = parsed.map((word, index) => (word & (masks[index] ?? 0)) >>> 0);
    return { length, compiled: { words, masks, range: freezeRange(entry) } };
  });
  // Longest prefix first; equal lengths keep file order (stable sort) as the tie-breaker.
  v4.sort((a, b) => b.length - a.length);
  v6.sort((a, b) => b.length - a.length);
  return { v4: v4.map((item) => item.compiled), v6: v6.map((item) => item.compiled) };
}

function freezeRange(entry: SpecialRangeEntry): SpecialRange {
  return Object.freeze({ kind: entry.kind, prefix: entry.prefix, name: entry.name, rfc: entry.rfc });
}

let defaultTable: SpecialRangeTable | null = null;

export function defaultSpecialRangeTable(): SpecialRangeTable {
  defaultTable ??= compileSpecialRanges(JSON.parse(readFileSync(SPECIAL_RANGES_URL, 'utf8')) as SpecialRangeFile);
  return defaultTable;
}

/** Special block of an IPv4 address given as an unsigned 32-bit integer. */
export function specialRangeV4(value: number, table: SpecialRangeTable = defaultSpecialRangeTable()): SpecialRange | null {
  for (const entry of table.v4) if (((value & entry.mask) >>> 0) === entry.network) return entry.range;
  return null;
}

/** Special block of an IPv6 address given as four 32-bit words. */
export function specialRangeV6(words: readonly number[], table: SpecialRangeTable = defaultSpecialRangeTable()): SpecialRange | null {
  for (const entry of table.v6) {
    let inside = true;
    for (let i = 0; i < 4 && inside; i++) inside = (((words[i] ?? 0) & (entry.masks[i] ?? 0)) >>> 0) === entry.words[i];
    if (inside) return entry.range;
  }
  return null;
}

/** The IANA special-purpose block an address falls in, or null (also null for text that is not an address). */
export function specialRange(ip: string, table: SpecialRangeTable = defaultSpecialRangeTable()): SpecialRange | null {
  const parsed = parseIpAddress(ip);
  if (!parsed) return null;
  if (parsed.version === 4) return specialRangeV4(ipv4ToInt(parsed.text), table);
  return specialRangeV6(ipv6ToWords(parsed.text), table);
}
