// http: GET a URL (http or https) with a timeout; expected status (default 200) and an optional
// body substring. Value: response time. Wrong status, missing text, refused or timeout: failure.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { defineCheck } from '../check-definition.js';
import { setLongTimeout } from '../../time/long-timeout.js';

interface HttpSpec {
  url: URL;
  expectStatus: number[];
  expectBody: string | null;
  headers: Record<string, string>;
  insecure: boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;

interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
}

export function httpGet(spec: HttpSpec, timeoutMs: number): Promise<HttpAnswer | { error: string }> {
  const started = performance.now();
  const request = spec.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: HttpAnswer | { error: string }): void => {
      if (settled) return;
      settled = true;
      timer.clear();
      resolve(value);
    };
    const req = request(spec.url, { method: 'GET', headers: { 'user-agent': 'netsleuth-health', ...spec.headers }, rejectUnauthorized: !spec.insecure }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        // Keep the first MiB: enough to find the expected text without trusting the server's size.
        if (size < MAX_BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => finish({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      response.on('error', (error) => finish({ error: error.message }));
    });
    const timer = setLongTimeout(() => {
      req.destroy();
      finish({ error: `timed out after ${timeoutMs}ms` });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message) }));
    req.end();
  });
}

export const httpCheck = defineCheck<HttpSpec>({
  type: 'http',
  summary: 'HTTP(S) GET; expectStatus (default 200), expectBody text; value: response time',
  unit: 'ms',
  thresholdKind: 'duration',
  fields: ['url', 'expectStatus', 'expectBody', 'headers', 'insecure'],
  parse(config) {
    const text = config.requiredString('url');
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return config.fail('url', `must be an http:// or https:// URL (got ${JSON.stringify(text)})`);
    let expectStatus = [200];
    const rawStatus = config.value.expectStatus;
    if (Array.isArray(rawStatus)) {
      expectStatus = rawStatus.map((status) => {
        if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) config.fail('expectStatus', 'must be an HTTP status (100-599) or a list of them');
        return status;
      });
    } else if (rawStatus !== undefined && rawStatus !== null) {
      expectStatus = [config.number('expectStatus', { min: 100, max: 599, integer: true }) ?? 200];
    }
    return {
      url,
      expectStatus,
      expectBody: config.string('expectBody') ?? null,
      headers: config.stringMap('headers') ?? {},
      insecure: config.boolean('insecure') ?? false,
    };
  },
  async run(spec, context) {
    const target = `${spec.url.origin}${spec.url.pathname}`;
    const answer = await httpGet(spec, context.timeoutMs);
    if ('error' in answer) return { value: null, summary: `${target} ${answer.error}`, failure: answer.error };
    const ms = Math.round(answer.ms);
    if (!spec.expectStatus.includes(answer.status)) {
      return { value: answer.ms, summary: `${target} status ${answer.status} (expected ${spec.expectStatus.join(' or ')})`, failure: `status ${answer.status}` };
    }
    if (spec.expectBody !== null && !answer.body.includes(spec.expectBody)) {
      return { value: answer.ms, summary: `${target} status ${answer.status} but the body lacks ${JSON.stringify(spec.expectBody)}`, failure: 'expected text missing' };
    }
    return { value: answer.ms, summary: `${target} status ${answer.status} in ${ms}ms` };
  },
});
