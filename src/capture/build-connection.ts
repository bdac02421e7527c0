// Shared helpers that turn printed columns into Connection fields, so every parser
// canonicalises addresses, ports, wildcards, names and truncation the same way.
import type { Connection, IpVersion, Protocol } from '../model/connection.js';
import { normaliseAddress, splitEndpoint, type EndpointStyle } from '../net/endpoint.js';
import { sanitizeText } from '../net/sanitize.js';
import { servicePort } from './service-ports.js';

export interface EndpointFields {
  address: string;
  port: number | null;
  /** Set when the port was a service name this table does not know. */
  unknownPortName?: string;
  scope?: string;
  isIp: boolean;
  version: 4 | 6 | null;
}

/** Port text -> number. '*' is a wildcard (null); names go through the service table. */
export function parsePortText(text: string): { port: number | null; unknownName?: string } | null {
  if (text === '*') return { port: null };
  if (/^\d{1,5}$/.test(text)) {
    const port = Number(text);
    return port <= 65535 ? { port } : null;
  }
  if (/^[A-Za-z][\w.+-]*$/.test(text)) {
    const port = servicePort(text);
    return port === null ? { port: null, unknownName: text } : { port };
  }
  return null;
}

/** Split and canonicalise one printed endpoint; null when it cannot be an endpoint at all. */
export function parseEndpoint(text: string, style: EndpointStyle): EndpointFields | null {
  // `*.*` (BSD) and `*:*` (Linux, Windows, ss) are the all-wildcard endpoint.
  if (text === '*.*' || text === '*:*') return { address: '*', port: null, isIp: true, version: null };
  const split = splitEndpoint(text, style);
  if (!split) return null;
  const port = parsePortText(split.port);
  if (!port) return null;
  const address = normaliseAddress(split.address);
  const name = address.isIp ? address.address : sanitizeText(address.address);
  if (name.length === 0) return null;
  const fields: EndpointFields = { address: name, port: port.port, isIp: address.isIp, version: address.version };
  if (port.unknownName !== undefined) fields.unknownPortName = sanitizeText(port.unknownName);
  if (split.scope !== undefined) fields.scope = sanitizeText(split.scope);
  return fields;
}

export interface ConnectionParts {
  protocol: Protocol;
  ipVersion: IpVersion;
  local: EndpointFields;
  remote: EndpointFields;
  state: Connection['state'];
  rawState: string;
  recvQ?: number | null;
  sendQ?: number | null;
  pid?: number | null;
  program?: string | null;
  user?: string | null;
  fd?: string | null;
  truncated?: Connection['truncated'];
  file: string;
  line: number;
}

export function buildConnection(parts: ConnectionParts): Connection {
  const connection: Connection = {
    protocol: parts.protocol,
    ipVersion: parts.ipVersion,
    localAddress: parts.local.address,
    localPort: parts.local.port,
    remoteAddress: parts.remote.address,
    remotePort: parts.remote.port,
    state: parts.state,
    rawState: sanitizeText(parts.rawState),
    recvQ: parts.recvQ ?? null,
    sendQ: parts.sendQ ?? null,
    pid: parts.pid ?? null,
    program: parts.program === undefined || parts.program === null ? null : sanitizeText(parts.program),
    source: { file: parts.file, line: parts.line },
  };
  if (parts.user !== undefined && parts.user !== null && parts.user !== '') connection.user = sanitizeText(parts.user);
  if (parts.fd !== undefined && parts.fd !== null && parts.fd !== '') connection.fd = sanitizeText(parts.fd);
  const scope = parts.local.scope ?? parts.remote.scope;
  if (scope !== undefined) connection.scope = scope;
  if (parts.truncated && parts.truncated.length > 0) connection.truncated = parts.truncated;
  if (parts.local.unknownPortName !== undefined || parts.remote.unknownPortName !== undefined) {
    connection.unknownServices = {
      ...(parts.local.unknownPortName === undefined ? {} : { local: parts.local.unknownPortName }),
      ...(parts.remote.unknownPortName === undefined ? {} : { remote: parts.remote.unknownPortName }),
    };
  }
  return connection;
}

/** Family from the address when the protocol column does not say (Windows, ss, CSV). */
export function versionFromAddresses(local: EndpointFields, remote: EndpointFields, printedLocal: string): IpVersion {
  // ss prints IPv4-mapped sockets as [::ffff:1.2.3.4]: the socket is IPv6 even though the address is 4.
  if (printedLocal.startsWith('[') || printedLocal.includes('::')) return 6;
  if (local.version !== null) return local.version;
  if (remote.version !== null) return remote.version;
  return printedLocal.includes(':') && printedLocal.indexOf(':') !== printedLocal.lastIndexOf(':') ? 6 : 4;
}

export function toCount(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

export interface Token {
  text: string;
  start: number;
}

/** Whitespace-separated tokens with their start offsets (program names keep their inner spaces). */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\S+/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(line)) !== null) tokens.push({ text: match[0], start: match.index });
  return tokens;
}

export function diagnosticFor(file: string, line: number, raw: string, reason: string) {
  return { file, line, raw: sanitizeText(raw, 200), reason };
}

/** Fraction of candidate lines that a row pattern matches, 0 when none are candidates. */
export function rowMatchRatio(sample: string, isCandidate: (line: string) => boolean, isRow: (line: string) => boolean, maxLines = 200): { ratio: number; rows: number } {
  let candidates = 0;
  let rows = 0;
  const lines = sample.split('\n', maxLines);
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (!isCandidate(line)) continue;
    candidates++;
    if (isRow(line)) rows++;
  }
  return { ratio: candidates === 0 ? 0 : rows / candidates, rows };
}
