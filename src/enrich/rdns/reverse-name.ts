// The owner name of an address's PTR record: RFC 1035 in-addr.arpa for IPv4,
// RFC 3596 ip6.arpa nibbles for IPv6.
import { ipToBytes, ipv4ToInt, type ParsedIp } from '../../net/ip.js';

export function reverseNameFor(parsed: ParsedIp): string {
  if (parsed.version === 4) {
    // A parsed IPv4 text is a strict dotted quad (no leading zeros): its octets reversed as written.
    const value = ipv4ToInt(parsed.text);
    return `${value & 255}.${(value >>> 8) & 255}.${(value >>> 16) & 255}.${value >>> 24}.in-addr.arpa`;
  }
  const bytes = ipToBytes(parsed);
  const nibbles: string[] = [];
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i] ?? 0;
    nibbles.push((byte & 0x0f).toString(16), (byte >> 4).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa`;
}
