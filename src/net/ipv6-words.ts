// IPv6 addresses as four unsigned 32-bit words (most significant first): the form the
// range index, the special-range table and the mmdb tree walk compare. Hand-written
// because ipaddr.js's parse + RFC 5952 formatting is the slowest step of an IPv6 lookup;
// test/net/ipv6-words.test.ts checks both directions against ipaddr.js.
import { ipv4ToInt } from './ip.js';

/** Hex group (1-4 digits) at text[start, end), or -1. */
function hexGroup(text: string, start: number, end: number): number {
  if (end <= start || end - start > 4) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code >= 65 && code <= 70 ? code - 55 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Groups of one side of '::' (or the whole address), an IPv4 tail allowed at the very end. */
function groupsOf(text: string, start: number, end: number, allowIpv4Tail: boolean, out: number[]): boolean {
  if (start === end) return true;
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 58) continue;
    const group = hexGroup(text, from, i);
    if (group < 0) {
      if (!(allowIpv4Tail && i === end)) return false;
      const tail = ipv4ToInt(text.slice(from, end));
      if (tail < 0) return false;
      out.push(tail >>> 16, tail & 0xffff);
      return true;
    }
    out.push(group);
    from = i + 1;
  }
  return true;
}

/** IPv6 text (no brackets or zone) as four unsigned 32-bit words, most significant first; null if invalid. */
export function parseIpv6Words(text: string): [number, number, number, number] | null {
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return null;
  const head: number[] = [];
  const tail: number[] = [];
  if (gap < 0) {
    if (!groupsOf(text, 0, text.length, true, head) || head.length !== 8) return null;
  } else {
    if (!groupsOf(text, 0, gap, false, head) || !groupsOf(text, gap + 2, text.length, true, tail)) return null;
    if (head.length + tail.length > 7) return null;
    while (head.length + tail.length < 8) head.push(0);
  }
  const g = head.concat(tail);
  return [
    (((g[0] as number) << 16) | (g[1] as number)) >>> 0,
    (((g[2] as number) << 16) | (g[3] as number)) >>> 0,
    (((g[4] as number) << 16) | (g[5] as number)) >>> 0,
    (((g[6] as number) << 16) | (g[7] as number)) >>> 0,
  ];
}

/** IPv6 text (already valid) as four unsigned 32-bit words; throws on invalid text. */
export function ipv6ToWords(text: string): [number, number, number, number] {
  const words = parseIpv6Words(text);
  if (!words) throw new Error(`not an IPv6 address: '${text}'`);
  return words;
}

/** RFC 5952 text of four words: lower case, no leading zeros, the longest run (>= 2) of zero groups as '::'. */
export function formatIpv6Words(words: readonly number[]): string {
  const groups: number[] = [];
  for (const word of words) groups.push((word >>> 16) & 0xffff, word & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
