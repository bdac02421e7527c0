// Prefix maths on integer addresses: IPv4 as an unsigned 32-bit number, IPv6 as a
// 128-bit bigint (or four 32-bit words, the form the range tables store), and their text.
import type Ipaddr from 'ipaddr.js';
import type { IpVersion } from '../model/connection.js';
import { intToIpv4, ipToBytes, ipv4ToInt, parseIpAddress } from './ip.js';
import { ipaddr } from './ipaddr-lazy.js';

export function v4Mask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function v6Mask(length: number): bigint {
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(128 - length);
}

const ALL_V6 = (1n << 128n) - 1n;

/** Big-endian bytes (an IPv6 address's 16) as one integer. */
export function bytesToBigInt(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** An integer address as text: a dotted quad, or IPv6 in its RFC 5952 form (2001:db8::). */
export function addressText(version: IpVersion, value: number | bigint): string {
  if (version === 4) return intToIpv4(Number(value));
  let rest = BigInt(value);
  const bytes = new Array<number>(16);
  for (let i = 15; i >= 0; i--) {
    bytes[i] = Number(rest & 255n);
    rest >>= 8n;
  }
  return (ipaddr().fromByteArray(bytes) as Ipaddr.IPv6).toRFC5952String();
}

export function prefixText(version: IpVersion, network: number | bigint, length: number): string {
  return `${addressText(version, network)}/${length}`;
}

/** The prefix of `lengths[version]` bits that holds an address, as text ('147.46.1.0/24'); null for a non-address. */
export function addressPrefix(address: string, lengths: Readonly<Record<IpVersion, number>>): string | null {
  const parsed = parseIpAddress(address);
  if (!parsed) return null;
  if (parsed.version === 4) return prefixText(4, (ipv4ToInt(parsed.text) & v4Mask(lengths[4])) >>> 0, lengths[4]);
  return prefixText(6, bytesToBigInt(ipToBytes(parsed)) & v6Mask(lengths[6]), lengths[6]);
}

/** Four 32-bit words (most significant first) as one 128-bit integer. */
export function wordsToBigInt(words: ArrayLike<number>): bigint {
  return (BigInt(words[0] as number) << 96n) | (BigInt(words[1] as number) << 64n) | (BigInt(words[2] as number) << 32n) | BigInt(words[3] as number);
}

/**
 * Length of the largest aligned block that holds `address` and lies inside [start, end]:
 * the widest prefix of the address that a range (possibly not itself a CIDR block) covers.
 */
export function largestBlockV4(address: number, start: number, end: number): number {
  for (let length = 0; length < 32; length++) {
    const mask = v4Mask(length);
    const first = (address & mask) >>> 0;
    const last = (first | ~mask) >>> 0;
    if (first >= start && last <= end) return length;
  }
  return 32;
}

export function largestBlockV6(address: bigint, start: bigint, end: bigint): number {
  // A longer prefix's block lies inside a shorter one's, so "inside [start, end]" holds from some
  // length on: bisect for it (bigint masks are dear; a walk from /0 made up to 128 of them).
  let low = 0;
  let high = 128;
  while (low < high) {
    const length = (low + high) >>> 1;
    const mask = v6Mask(length);
    const first = address & mask;
    if (first >= start && (first | (ALL_V6 ^ mask)) <= end) high = length;
    else low = length + 1;
  }
  return low;
}
