// DNS server addresses as users write them: 127.0.0.1, 127.0.0.1:5353, ::1, [::1]:5353.
// An IPv6 server with a port needs brackets: '::1:5353' is itself a valid IPv6 address.
import { parseIpAddress } from '../../net/ip.js';

export interface DnsServer {
  host: string;
  port: number;
  family: 4 | 6;
}

export const DNS_PORT = 53;

/** null when the text is not an IP address with an optional port (host names are refused: no bootstrap resolver). */
export function parseServerAddress(text: string): DnsServer | null {
  const value = text.trim();
  let host = value;
  let portText: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? null;
  } else if ((value.match(/:/g) ?? []).length === 1) {
    const colon = value.indexOf(':');
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
  }
  if (host.includes('%')) return null;
  const parsed = parseIpAddress(host);
  if (!parsed) return null;
  let port = DNS_PORT;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port < 1 || port > 65535) return null;
  }
  return { host: parsed.text, port, family: parsed.version };
}

export function formatServer(server: DnsServer): string {
  return server.family === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** Servers to use instead of /etc/resolv.conf when no --dns-server is given (comma or space separated). The test setup points it at knot. */
export const DNS_SERVER_ENV = 'NETSLEUTH_DNS_SERVER';

export function serversFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env[DNS_SERVER_ENV] ?? '').split(/[\s,]+/).filter((text) => text.length > 0);
}
