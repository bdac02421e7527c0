// Pure address toolkit shared by every layer: validate, canonicalise, compare.
// ipaddr.js does the IPv6 maths; IPv4 has a hand-written fast path because
// parsers call it once per line.
import { ipaddr } from './ipaddr-lazy.js';
import type { IpVersion } from '../model/connection.js';

export interface ParsedIp {
  version: IpVersion;
  /** Canonical text: dotted quad, or RFC 5952 lower-case compressed IPv6. IPv4-mapped IPv6 is unmapped to IPv4. */
  text: string;
}

/** Dotted quad to an unsigned 32-bit integer, or -1 when it is not a strict IPv4 address. */
export function ipv4ToInt(text: string): number {
  return dottedQuadValue(text, 0, text.length);
}

/** ipv4ToInt of the ASCII bytes [start, end), without making a string of them. */
export function ipv4ToIntBytes(bytes: Uint8Array, start: number, end: number): number {
  return dottedQuadValue(bytes, start, end);
}

/** The one strict dotted-quad reader behind both: character codes from a string or bytes. */
function dottedQuadValue(source: string | Uint8Array, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const code = typeof source === 'string' ? source.charCodeAt(i) : (source[i] as number);
    if (code >= 48 && code <= 57) {
      // Leading zeros ("010") are ambiguous (octal in some tools): refuse them.
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (code - 48);
      if (octet > 255 || ++digits > 3) return -1;
    } else if (code === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

export function intToIpv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Parse an address as printed anywhere: strips `[...]` brackets and a `%zone`.
 * Returns null for anything that is not an IP address (names, wildcards, garbage).
 */
export function parseIpAddress(input: string): ParsedIp | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.length === 0 || text.length > 45) return null;
  if (ipv4ToInt(text) >= 0) return { version: 4, text };
  if (!text.includes(':') || !ipaddr().IPv6.isValid(text)) return null;
  try {
    const address = ipaddr().IPv6.parse(text);
    if (address.isIPv4MappedAddress()) return { version: 4, text: address.toIPv4Address().toString() };
    return { version: 6, text: address.toRFC5952String() };
  } catch {
    return null;
  }
}

const WILDCARDS = new Set(['*', '0.0.0.0', '::', '[::]', '*.*', '']);

/** A listening or unconnected endpoint's address ('*', 0.0.0.0, ::). */
export function isWildcardAddress(address: string): boolean {
  return WILDCARDS.has(address);
}

/** Address as a 16-byte array (IPv4 mapped into ::ffff:0:0/96) for ordering and prefix maths. */
export function ipToBytes(parsed: ParsedIp): number[] {
  if (parsed.version === 4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...ipaddr().IPv4.parse(parsed.text).toByteArray()];
  return ipaddr().IPv6.parse(parsed.text).toByteArray();
}

/** Total order over address strings: IPv4 before IPv6, numeric within a family, invalid text last (lexical). */
export function compareIps(a: string, b: string): number {
  const ia = ipv4ToInt(a);
  const ib = ipv4ToInt(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  const pa = parseIpAddress(a);
  const pb = parseIpAddress(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  if (pa.version !== pb.version) return pa.version - pb.version;
  const ba = ipToBytes(pa);
  const bb = ipToBytes(pb);
  for (let i = 0; i < 16; i++) {
    const diff = (ba[i] ?? 0) - (bb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
