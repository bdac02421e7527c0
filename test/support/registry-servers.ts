// Loopback stand-ins for the registries: an RDAP server replaying recorded ip-network
// objects (answered for any address inside their range, as a registry does) and a
// port-43 whois server replaying recorded text. Misbehaviour can be chosen per address.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { addressToBigInt, parseRegistryAddress } from '../../src/net/ip-range.js';
import { FIXTURES } from '../helpers/run-cli.js';

export type RdapBehaviour = 'ok' | '404' | '429' | '429-long' | '500' | 'loop' | 'invalid-json' | 'huge' | 'hang' | 'redirect';

export interface RdapReplay {
  url: string;
  /** Every path asked, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** The recorded RDAP answers of ipwhois' rdap.json: {ip: {response}}. */
export function recordedRdapAnswers(): unknown[] {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/rdap.json'), 'utf8')) as Record<string, { response: unknown }>;
  return Object.values(data).map((entry) => entry.response);
}

export function recordedWhoisAnswers(): Map<string, string> {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/whois.json'), 'utf8')) as Record<string, { response: string }>;
  return new Map(Object.entries(data).map(([ip, entry]) => [ip, entry.response]));
}

function contains(answer: unknown, ip: string): boolean {
  const object = answer as { startAddress?: string; endAddress?: string };
  const address = addressToBigInt(ip);
  const start = object.startAddress ? parseRegistryAddress(object.startAddress) : null;
  const end = object.endAddress ? parseRegistryAddress(object.endAddress) : null;
  return Boolean(address && start && end && start.version === address.version && start.value <= address.value && address.value <= end.value);
}

export async function startRdapReplay(answers: unknown[], behaviour: (ip: string, attempt: number) => RdapBehaviour = () => 'ok'): Promise<RdapReplay> {
  const requests: string[] = [];
  const attempts = new Map<string, number>();
  const hung: ServerResponse[] = [];
  const server: Server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    requests.push(path);
    const match = /^\/(?:redirected\/)?ip\/([^/?]+)/.exec(path);
    if (!match?.[1]) {
      response.writeHead(400).end();
      return;
    }
    const ip = decodeURIComponent(match[1]);
    const attempt = (attempts.get(ip) ?? 0) + 1;
    attempts.set(ip, attempt);
    const mode = path.startsWith('/redirected/') ? 'ok' : behaviour(ip, attempt);
    switch (mode) {
      case '404':
        response.writeHead(404, { 'content-type': 'application/rdap+json' }).end('{"errorCode":404}');
        return;
      case '429':
        response.writeHead(429, { 'retry-after': '1' }).end();
        return;
      case '429-long':
        response.writeHead(429, { 'retry-after': '3600' }).end();
        return;
      case '500':
        response.writeHead(500).end('oops');
        return;
      case 'loop':
        response.writeHead(302, { location: `/ip/${ip}` }).end();
        return;
      case 'redirect':
        response.writeHead(301, { location: `/redirected/ip/${ip}` }).end();
        return;
      case 'invalid-json':
        response.writeHead(200, { 'content-type': 'application/rdap+json' }).end('{"objectClassName": "ip network", ');
        return;
      case 'huge': {
        // 50 MB of JSON-looking bytes, streamed without a Content-Length.
        response.writeHead(200, { 'content-type': 'application/rdap+json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50) {
            sent++;
            if (!response.write(chunk)) {
              response.once('drain', pump);
              return;
            }
          }
          response.end();
        };
        response.on('error', () => undefined);
        pump();
        return;
      }
      case 'hang':
        hung.push(response);
        response.writeHead(200, { 'content-type': 'application/rdap+json' });
        response.write('{');
        return;
      default: {
        const answer = answers.find((candidate) => contains(candidate, ip));
        if (!answer) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/rdap+json' }).end(JSON.stringify(answer));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hung) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WhoisReplay {
  server: string;
  queries: string[];
  close(): Promise<void>;
}

/** Answers each query line with answer(query); null closes without a word; 'hang' never answers. */
export async function startWhoisReplay(answer: (query: string) => string | null | 'hang'): Promise<WhoisReplay> {
  const queries: string[] = [];
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((socket) => {
    sockets.push(socket);
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const query = buffered.slice(0, end).replace(/\r$/, '');
      queries.push(query);
      const text = answer(query);
      if (text === 'hang') return;
      socket.end(text ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
