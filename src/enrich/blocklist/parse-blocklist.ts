// One blocklist text -> entries. Pure. Formats are told apart per line, so a list may mix them:
//   FireHOL .netset/.ipset       '1.10.16.0/20' / '1.2.3.4' after '#' header lines
//   Spamhaus DROP/EDROP          '1.4.0.0/17 ; SBL256893' after ';' header lines (intelmq drop.txt)
//   Spamhaus ASN-DROP            'AS4766 ; KR | KORNET'   (matched by the remote's ASN)
//   IPsum / plain                '1.2.3.4' one per line (ipsum levels/N.txt)
//   counted lists                '1.2.3.4<TAB>7'         (ipsum.txt: address and hit count)
//   DShield block.txt            '61.240.144.0<TAB>61.240.144.255<TAB>24<TAB>1234<TAB>name...' (start end netmask ...)
//   ranges                       '10.0.0.1-10.0.0.9' or '10.0.0.1 - 10.0.0.9'
// Bad lines are skipped and counted with their line number; a list without one entry is refused.
import type { IpRange } from '../../net/ip-range.js';
import { parseCidr, parseRangeText, parseRegistryAddress } from '../../net/ip-range.js';
import { sanitizeText } from '../../net/sanitize.js';

export interface BlocklistEntry {
  /** The address range, or null for an ASN entry. */
  range: IpRange | null;
  asn: number | null;
  /** The line as the list gives it (sanitised, bounded): what the report shows as evidence. */
  text: string;
  line: number;
}

export interface ParsedBlocklist {
  entries: BlocklistEntry[];
  skipped: { line: number; text: string }[];
}

const MAX_ENTRY_TEXT = 120;

export function parseBlocklist(text: string): ParsedBlocklist {
  const entries: BlocklistEntry[] = [];
  const skipped: { line: number; text: string }[] = [];
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const raw = text.slice(start, end);
    start = end + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('//')) continue;
    const entry = parseIpv4Line(line) ?? parseLine(line);
    if (entry) entries.push({ range: entry.range, asn: entry.asn, text: PLAIN_TEXT.test(line) && line.length <= MAX_ENTRY_TEXT ? line : sanitizeText(line.replace(/\s+/g, ' '), MAX_ENTRY_TEXT), line: lineNumber });
    else if (skipped.length < 1000) skipped.push({ line: lineNumber, text: sanitizeText(line, 80) });
    if (end === text.length) break;
  }
  return { entries, skipped };
}

/** Printable ASCII words with single spaces: nothing for sanitizeText to remove or fold. */
const PLAIN_TEXT = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/**
 * The common line shapes without a regular expression or a string per field: 'a.b.c.d',
 * 'a.b.c.d/n', either followed by a ';'/'#' comment or a count ('1.2.3.4<TAB>7').
 * Anything else (IPv6, ranges, DShield rows, leading zeros) is left to parseLine.
 */
export function parseIpv4Line(line: string): { range: IpRange; asn: null } | null {
  let index = 0;
  let value = 0;
  for (let octet = 0; octet < 4; octet++) {
    const first = index;
    let number = 0;
    for (let code = line.charCodeAt(index); code >= 48 && code <= 57; code = line.charCodeAt(++index)) number = number * 10 + code - 48;
    const digits = index - first;
    if (digits === 0 || digits > 3 || number > 255 || (digits > 1 && line.charCodeAt(first) === 48)) return null;
    value = value * 256 + number;
    if (octet < 3) {
      if (line.charCodeAt(index) !== 46) return null;
      index++;
    }
  }
  let length = 32;
  if (line.charCodeAt(index) === 47) {
    const first = ++index;
    length = 0;
    for (let code = line.charCodeAt(index); code >= 48 && code <= 57; code = line.charCodeAt(++index)) length = length * 10 + code - 48;
    if (index === first || index - first > 2 || length > 32) return null;
  }
  // What follows: nothing, or blanks then a comment or a count.
  if (index < line.length) {
    const code = line.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 59 && code !== 35) return null;
    let rest = index;
    while (line.charCodeAt(rest) === 32 || line.charCodeAt(rest) === 9) rest++;
    const next = line.charCodeAt(rest);
    if (rest < line.length && next !== 59 && next !== 35) {
      for (let code = next; rest < line.length; code = line.charCodeAt(++rest)) if (code < 48 || code > 57) return null;
    }
  }
  const size = 2 ** (32 - length);
  const start = value - (value % size);
  return { range: { version: 4, start: BigInt(start), end: BigInt(start + size - 1) }, asn: null };
}

export function parseLine(line: string): { range: IpRange | null; asn: number | null } | null {
  // The part before a comment (';' or '#') holds the entry.
  const head = line.split(/\s*[;#]/)[0] ?? '';
  const asn = /^AS(\d{1,10})$/i.exec(head.trim());
  if (asn?.[1]) {
    const number = Number(asn[1]);
    return number <= 4294967295 ? { range: null, asn: number } : null;
  }
  const fields = head.trim().split(/\s+/);
  const first = fields[0] ?? '';
  // DShield block.txt: start and end addresses in the first two columns.
  const second = fields[1];
  if (second !== undefined && parseRegistryAddress(first) && parseRegistryAddress(second) && !first.includes('/')) {
    const range = parseRangeText(`${first} - ${second}`);
    return range ? { range, asn: null } : null;
  }
  const spacedRange = /^(\S+)\s*-\s*(\S+)$/.exec(head.trim());
  if (spacedRange) {
    const range = parseRangeText(head.trim());
    return range ? { range, asn: null } : null;
  }
  // 'ip<TAB>count' and 'cidr' (what follows the first field is a count or a note).
  if (second !== undefined && !/^\d+$/.test(second)) return null;
  const range = parseCidr(first);
  return range ? { range, asn: null } : null;
}
