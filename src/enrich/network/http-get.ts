// One HTTP(S) GET that cannot hang or flood memory: a deadline for the whole exchange
// (a server that sends headers and then nothing is cut too), a body cap, no automatic
// redirects (the caller follows them, counting and remembering where it has been).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpGetOptions {
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

export type HttpGetResult =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'too-large'; status: number; limitBytes: number }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'error'; message: string };

export function httpGet(url: URL, options: HttpGetOptions): Promise<HttpGetResult> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve({ kind: 'error', message: `unsupported URL scheme ${url.protocol}` });
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: HttpGetResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'netsleuth', ...options.headers } }, (response) => {
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        finish({ kind: 'too-large', status, limitBytes: options.maxBytes });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          finish({ kind: 'too-large', status, limitBytes: options.maxBytes });
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish({ kind: 'response', status, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', (error) => finish({ kind: 'error', message: error.message }));
    });
    const timer = setTimeout(() => finish({ kind: 'timeout', timeoutMs: options.timeoutMs }), options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'error', message: error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message) }));
    req.end();
  });
}

/** Retry-After as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | string[] | undefined, nowMs: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
