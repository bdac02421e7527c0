// Canonical identity of a remote peer. IPv4 goes through the integer fast path;
// the aggregation calls this once per distinct printed address, not per connection.
import { ipToBytes, ipv4ToInt, parseIpAddress } from '../net/ip.js';
import type { IpVersion } from '../model/connection.js';
import { bytesToBigInt } from '../net/prefix.js';
import { sanitizeText } from '../net/sanitize.js';

export interface RemoteIdentity {
  /** Canonical address text, or the sanitized raw text when the peer is not an IP (a name from `netstat` without -n). */
  ip: string;
  version: IpVersion;
  /** IPv4 as unsigned integer, -1 otherwise. */
  v4: number;
  /** IPv6 as a 128-bit integer, null otherwise. */
  v6: bigint | null;
}

/** Canonical identity of a printed address (called once per distinct spelling). */
export function identifyRemote(address: string, fallbackVersion: IpVersion): RemoteIdentity {
  const v4 = ipv4ToInt(address);
  if (v4 >= 0) return { ip: address, version: 4, v4, v6: null };
  const parsed = parseIpAddress(address);
  if (!parsed) return { ip: sanitizeText(address), version: fallbackVersion, v4: -1, v6: null };
  if (parsed.version === 4) return { ip: parsed.text, version: 4, v4: ipv4ToInt(parsed.text), v6: null };
  return { ip: parsed.text, version: 6, v4: -1, v6: bytesToBigInt(ipToBytes(parsed)) };
}

/** Total order equal to compareIps for canonical addresses, without re-parsing: IPv4, then IPv6, then names. */
export function compareIdentities(a: RemoteIdentity, b: RemoteIdentity): number {
  const rankA = a.v4 >= 0 ? 0 : a.v6 !== null ? 1 : 2;
  const rankB = b.v4 >= 0 ? 0 : b.v6 !== null ? 1 : 2;
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 0) return a.v4 - b.v4;
  if (rankA === 1) return a.v6! < b.v6! ? -1 : a.v6! > b.v6! ? 1 : 0;
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
}
