// Address ranges written as CIDR ('147.46.0.0/16', '2001:db8::/32') and membership tests, shared by
// the TUI's filter and cluster views and the gateway capture's local networks (--local-net).
import { ipToBytes, ipv4ToInt, parseIpAddress } from './ip.js';
import { v4Mask } from './prefix.js';

export interface AddressRange {
  version: 4 | 6;
  bytes: number[];
  bits: number;
}

/** '147.46.0.0/16' or '2001:db8::/32' as a range; null for anything else. */
export function parseCidr(text: string): AddressRange | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const parsed = parseIpAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!parsed || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > (parsed.version === 4 ? 32 : 128)) return null;
  return { version: parsed.version, bytes: ipToBytes(parsed), bits: parsed.version === 4 ? bits + 96 : bits };
}

export function inRange(ip: string, range: AddressRange): boolean {
  if (range.version === 4) {
    // Fast path (a CIDR filter or cluster over 100k remotes): integer compare, no byte arrays.
    const value = ipv4ToInt(ip);
    if (value >= 0) {
      const bits = range.bits - 96;
      const mask = v4Mask(bits);
      const base = (((range.bytes[12] ?? 0) << 24) | ((range.bytes[13] ?? 0) << 16) | ((range.bytes[14] ?? 0) << 8) | (range.bytes[15] ?? 0)) >>> 0;
      return ((value & mask) >>> 0) === ((base & mask) >>> 0);
    }
  }
  const parsed = parseIpAddress(ip);
  if (!parsed || parsed.version !== range.version) return false;
  const bytes = ipToBytes(parsed);
  let bits = range.bits;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
