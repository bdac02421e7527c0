// A loopback HTTP server serving fixed bodies by path (blocklists, bootstrap files); anything else is 404.
import { createServer, type Server } from 'node:http';

export interface StaticServer {
  url: string;
  requests: string[];
  /** Replace or add a path's body (null = 500). */
  set(path: string, body: Buffer | string | null): void;
  close(): Promise<void>;
}

export async function startStaticServer(files: Record<string, Buffer | string | null>): Promise<StaticServer> {
  const bodies = new Map(Object.entries(files));
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    if (!bodies.has(path)) {
      response.writeHead(404).end('not found');
      return;
    }
    const body = bodies.get(path);
    if (body === null || body === undefined) response.writeHead(500).end('broken');
    else response.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set: (path, body) => void bodies.set(path, body),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
