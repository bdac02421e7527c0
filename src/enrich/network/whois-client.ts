// A port-43 whois question (RFC 3912): connect, send one line, read until the server
// closes. Bounded like the RDAP client: a deadline for the whole exchange and a size cap.
import { connect } from 'node:net';

export interface WhoisOptions {
  timeoutMs: number;
  maxBytes: number;
}

export type WhoisResult = { kind: 'answer'; text: string } | { kind: 'timeout'; timeoutMs: number } | { kind: 'error'; message: string } | { kind: 'too-large'; limitBytes: number };

/** 'host:port', '[v6]:port' or a bare host (port 43). */
export function parseWhoisServer(text: string): { host: string; port: number } | null {
  const trimmed = text.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  if (bracketed?.[1]) return withPort(bracketed[1], bracketed[2]);
  const plain = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(trimmed);
  if (plain?.[1]) return withPort(plain[1], plain[2]);
  return null;
}

function withPort(host: string, portText: string | undefined): { host: string; port: number } | null {
  const port = portText === undefined ? 43 : Number(portText);
  return port >= 1 && port <= 65535 ? { host, port } : null;
}

export function whoisQuery(server: { host: string; port: number }, query: string, options: WhoisOptions): Promise<WhoisResult> {
  // The query is an address we validated (plus a registry's fixed suffix): never a raw user string with line breaks.
  if (/[\r\n]/.test(query)) return Promise.resolve({ kind: 'error', message: 'query contains a line break' });
  return new Promise((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: WhoisResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = connect({ host: server.host, port: server.port });
    socket.on('connect', () => socket.write(`${query}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) finish({ kind: 'too-large', limitBytes: options.maxBytes });
      else chunks.push(chunk);
    });
    socket.on('end', () => finish({ kind: 'answer', text: decodeWhois(Buffer.concat(chunks)) }));
    socket.on('close', () => finish({ kind: 'answer', text: decodeWhois(Buffer.concat(chunks)) }));
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'error', message: error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message) }));
    const timer = setTimeout(() => finish({ kind: 'timeout', timeoutMs: options.timeoutMs }), options.timeoutMs);
  });
}

/** UTF-8 when it is (KISA answers in UTF-8), else latin1 so no byte is lost. */
export function decodeWhois(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? bytes.toString('latin1') : text;
}
