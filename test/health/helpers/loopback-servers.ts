// Real servers on 127.0.0.1 with random ports, for the health tests.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

export interface Closable {
  close(): Promise<void>;
}

/** An HTTP server whose status can be switched (the web server that starts failing). */
export async function startHttpServer(): Promise<{ url: string; setStatus(status: number): void; setBody(body: string): void; requests: number } & Closable> {
  let status = 200;
  let body = '<html>ok</html>';
  const state = { requests: 0 };
  const server: HttpServer = createHttpServer((_request, response) => {
    state.requests += 1;
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    setStatus: (value) => { status = value; },
    setBody: (value) => { body = value; },
    get requests() { return state.requests; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A JSON webhook receiver. */
export async function startWebhookReceiver(): Promise<{ url: string; received: { headers: Record<string, string | string[] | undefined>; body: unknown }[] } & Closable> {
  const received: { headers: Record<string, string | string[] | undefined>; body: unknown }[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** An authoritative-only UDP DNS server answering from a table: name -> data, in the type asked (A address or PTR name). */
export async function startDnsServer(records: Record<string, string>): Promise<{ server: string } & Closable> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const address = question ? records[question.name] : undefined;
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (address ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: query.questions,
      answers: address && question ? [{ type: question.type === 'PTR' ? 'PTR' : 'A', name: question.name, ttl: 60, data: address } as dnsPacket.Answer] : [],
    });
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A TCP server that accepts and holds connections (the flooded httpd). */
export async function startTcpSink(): Promise<{ port: number; sockets: Set<Socket> } & Closable> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    sockets,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * The load generator: `perSource` connections from each of `sources` addresses 127.10.0.1.. to the
 * sink, each client socket bound to its 127.x source before connecting. Bounded count and time.
 */
export async function openFlood(port: number, sources: number, perSource: number, timeoutMs = 10_000): Promise<{ sourceAddresses: string[] } & Closable> {
  const sockets: Socket[] = [];
  const sourceAddresses = Array.from({ length: sources }, (_, index) => `127.10.${Math.floor((index + 1) / 256)}.${(index + 1) % 256}`);
  const deadline = Date.now() + timeoutMs;
  await Promise.all(sourceAddresses.flatMap((localAddress) => Array.from({ length: perSource }, () => new Promise<void>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    sockets.push(socket);
    const timer = setTimeout(() => reject(new Error('flood connect timed out')), Math.max(1, deadline - Date.now()));
    socket.once('connect', () => { clearTimeout(timer); resolve(); });
    socket.once('error', (error) => { clearTimeout(timer); reject(error); });
  }))));
  return {
    sourceAddresses,
    close: async () => {
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.destroy();
      })));
    },
  };
}
