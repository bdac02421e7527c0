// The owner name of an address's PTR record: RFC 1035 in-addr.arpa for IPv4,
// RFC 3596 ip6.arpa nibbles for IPv6.
import { ipToBytes, type ParsedIp } from '../../net/ip.js';

export function reverseNameFor(parsed: ParsedIp): string {
  const bytes = ipToBytes(parsed);
  if (parsed.version === 4) return `${bytes.slice(12).reverse().join('.')}.in-addr.arpa`;
  const nibbles: string[] = [];
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i] ?? 0;
    nibbles.push((byte & 0x0f).toString(16), (byte >> 4).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa`;
}
