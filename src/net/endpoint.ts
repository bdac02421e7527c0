// Endpoints in every OS spelling -> address text + port text (+ zone).
//   Linux netstat / ss / Windows: split at the LAST ':'  (`1.2.3.4:22`, `:::22`, `::1:1028`,
//     `[::]:135`, `[fe80::1%9]:1900`, `127.0.0.53%lo:domain`, `*:*`)
//   BSD / macOS / Solaris: split at the LAST '.'          (`1.2.3.4.22`, `*.22`, `*.*`, `::1.6012`,
//     macOS-truncated `fe80::aede:48ff:.5`)
// Pure: no canonicalisation here beyond brackets and zones; see normaliseAddress.
import { parseIpAddress } from './ip.js';

export type EndpointStyle = 'colon' | 'dot';

export interface SplitEndpoint {
  /** Address without brackets or zone, otherwise as printed. */
  address: string;
  /** Port text as printed ('80', 'ssh', '*'). */
  port: string;
  /** Zone/interface after '%' when printed. */
  scope?: string;
}

/** Split `ADDR<sep>PORT`. Returns null when there is no separator or either side is empty. */
export function splitEndpoint(text: string, style: EndpointStyle): SplitEndpoint | null {
  const separator = style === 'colon' ? ':' : '.';
  const at = text.lastIndexOf(separator);
  if (at <= 0 || at === text.length - 1) return null;
  let address = text.slice(0, at);
  const port = text.slice(at + 1);
  let scope: string | undefined;
  // ss prints the zone after the bracket (`[fe80::1]%eth0:546`), Windows inside it (`[fe80::1%9]:1900`).
  const zoneAt = address.indexOf('%');
  if (zoneAt >= 0) {
    scope = address.slice(zoneAt + 1).replace(/\]$/, '');
    address = address.slice(0, zoneAt) + (address.startsWith('[') && address.endsWith(']') ? ']' : '');
  }
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  if (address.length === 0) return null;
  return scope === undefined || scope.length === 0 ? { address, port } : { address, port, scope };
}

/** Which spelling an endpoint token uses: in BSD spelling the last '.' comes after the last ':'. */
export function endpointStyleOf(text: string): EndpointStyle {
  return text.lastIndexOf('.') > text.lastIndexOf(':') ? 'dot' : 'colon';
}

const PRINTED_WILDCARDS = new Set(['*', '0.0.0.0', '::']);

export interface NormalisedAddress {
  /** Canonical IP text, a printed wildcard, or the name exactly as printed. */
  address: string;
  /** True when the text is an IP address or a wildcard (not a host name). */
  isIp: boolean;
  /** Family of the canonical address (IPv4-mapped IPv6 counts as 4), null for names and '*'. */
  version: 4 | 6 | null;
}

/**
 * Canonicalise an address with parseIpAddress (IPv4-mapped `::ffff:1.2.3.4` becomes `1.2.3.4`);
 * wildcards stay as printed; names are returned untouched (callers sanitize them).
 */
export function normaliseAddress(address: string): NormalisedAddress {
  if (address === '*') return { address, isIp: true, version: null };
  if (PRINTED_WILDCARDS.has(address)) return { address, isIp: true, version: address === '::' ? 6 : 4 };
  const parsed = parseIpAddress(address);
  if (parsed) return { address: parsed.text, isIp: true, version: parsed.version };
  return { address, isIp: false, version: null };
}
