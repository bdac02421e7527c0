// Address ranges as integers: registry ranges (RDAP start/end, whois 'a - b'), CIDR
// prefixes and blocklist entries. IPv4 and IPv6 are kept apart by `version`;
// values are bigint so one code path serves both families.
import type { IpVersion } from '../model/connection.js';
import { ipToBytes, ipv4ToInt, parseIpAddress } from './ip.js';
import { bytesToBigInt, largestBlockV4, largestBlockV6, prefixText } from './prefix.js';

export interface IpRange {
  version: IpVersion;
  start: bigint;
  end: bigint;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Canonical address -> integer; null when not an address. */
export function addressToBigInt(text: string): { version: IpVersion; value: bigint } | null {
  const parsed = parseIpAddress(text);
  if (!parsed) return null;
  if (parsed.version === 4) return { version: 4, value: BigInt(ipv4ToInt(parsed.text)) };
  return { version: 6, value: bytesToBigInt(ipToBytes(parsed)) };
}

/**
 * An address as registries print it: ARIN zero-pads IPv4 ('074.125.000.000'), RIPE appends
 * a prefix length to range ends ('62.239.237.0/32'), LACNIC writes '2801:10:c000:0:0:0:0:0'.
 */
export function parseRegistryAddress(text: string): { version: IpVersion; value: bigint } | null {
  let cleaned = text.trim();
  const slash = cleaned.indexOf('/');
  if (slash >= 0) cleaned = cleaned.slice(0, slash);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(cleaned)) cleaned = cleaned.split('.').map((octet) => String(Number(octet))).join('.');
  return addressToBigInt(cleaned);
}

/** '10.0.0.0/8', '2001:db8::/32', or a single address (a /32 or /128). */
export function parseCidr(text: string): IpRange | null {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = parseRegistryAddress(slash >= 0 ? trimmed.slice(0, slash) : trimmed);
  if (!address) return null;
  const bits = BITS[address.version];
  let length = bits;
  if (slash >= 0) {
    const lengthText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText)) return null;
    length = Number(lengthText);
    if (length > bits) return null;
  }
  const hostBits = BigInt(bits - length);
  const start = (address.value >> hostBits) << hostBits;
  return { version: address.version, start, end: start + (1n << hostBits) - 1n };
}

/** 'a - b' (whois inetnum), 'a-b', or a CIDR. */
export function parseRangeText(text: string): IpRange | null {
  const dash = /^\s*([0-9a-fA-F:.]+)\s*-\s*([0-9a-fA-F:.]+)/.exec(text);
  if (dash?.[1] && dash[2]) {
    const start = parseRegistryAddress(dash[1]);
    const end = parseRegistryAddress(dash[2]);
    if (!start || !end || start.version !== end.version || end.value < start.value) return null;
    return { version: start.version, start: start.value, end: end.value };
  }
  return parseCidr(text.split(/\s/)[0] ?? '');
}

/** The fewest CIDR prefixes that cover exactly [start, end]. */
export function rangeToCidrs(range: IpRange): string[] {
  const bits = BITS[range.version];
  const cidrs: string[] = [];
  let start = range.start;
  // A /0 of the family is the largest block; a loop bound keeps hostile input from spinning.
  for (let guard = 0; start <= range.end && guard < 256; guard++) {
    // The largest aligned block holding `start` inside the range starts at `start`.
    const length = range.version === 4 ? largestBlockV4(Number(start), Number(start), Number(range.end)) : largestBlockV6(start, start, range.end);
    cidrs.push(prefixText(range.version, start, length));
    start += 1n << BigInt(bits - length);
  }
  return cidrs;
}

