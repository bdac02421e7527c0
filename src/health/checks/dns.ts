// dns: ask a configured server (the project's DnsClient, as reverse DNS does) or the system resolver whether a name
// resolves; optionally expect an answer. Value: response time. NXDOMAIN, no answer or timeout: failure.
import { lookup, Resolver } from 'node:dns/promises';
import type dnsPacket from 'dns-packet';
import { DnsClient } from '../../enrich/rdns/dns-client.js';
import { parseServerAddress, type DnsServer } from '../../enrich/rdns/server-address.js';
import { sanitizeText } from '../../net/sanitize.js';
import { isSafeHost } from '../address-check.js';
import { defineCheck } from '../check-definition.js';
import type { ConfigReader } from '../config-reader.js';

const RECORD_TYPES = ['A', 'AAAA', 'PTR', 'MX', 'NS', 'TXT', 'CNAME', 'SOA'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

interface DnsSpec {
  query: string;
  recordType: RecordType;
  server: DnsServer | null;
  expect: string | null;
}

// Answers come from the network: sanitized before they reach any output.
function answerText(answer: dnsPacket.Answer): string {
  return sanitizeText(rawAnswerText(answer));
}

function rawAnswerText(answer: dnsPacket.Answer): string {
  const data = (answer as { data?: unknown }).data;
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return data.map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : String(part))).join('');
  if (data && typeof data === 'object' && 'exchange' in data) return String((data as { exchange: unknown }).exchange);
  return JSON.stringify(data);
}

/** Asked with the project's resolver: CSPRNG IDs, answers only from the server and port asked and for our question, TCP on truncation. */
export async function queryServer(server: DnsServer, name: string, type: RecordType, timeoutMs: number): Promise<{ answers: string[]; rcode: string } | { error: string }> {
  const client = new DnsClient({ servers: [server], timeoutMs, retries: 0, socketsPerServer: 1 });
  try {
    const outcome = await client.query(name, type);
    if (outcome.kind !== 'response') return { error: sanitizeText(outcome.detail) };
    const answers = (outcome.packet.answers ?? []).filter((answer) => answer.type === type).map(answerText);
    return { answers, rcode: outcome.rcode };
  } finally {
    await client.close();
  }
}

async function querySystem(name: string, type: RecordType, timeoutMs: number): Promise<{ answers: string[]; rcode: string } | { error: string }> {
  if (type === 'A' || type === 'AAAA') {
    // getaddrinfo, like every program on the box: /etc/hosts and nsswitch count.
    try {
      const found = await lookup(name, { family: type === 'A' ? 4 : 6, all: true });
      return { answers: found.map((entry) => entry.address), rcode: 'NOERROR' };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return code === 'ENOTFOUND' ? { answers: [], rcode: 'NXDOMAIN' } : { error: code };
    }
  }
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  try {
    const records = (await resolver.resolve(name, type)) as unknown;
    if (!Array.isArray(records)) return { answers: [sanitizeText(JSON.stringify(records))], rcode: 'NOERROR' };
    return { answers: records.map((record) => sanitizeText(typeof record === 'string' ? record : JSON.stringify(record))), rcode: 'NOERROR' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOTFOUND') return { answers: [], rcode: 'NXDOMAIN' };
    if (code === 'ENODATA') return { answers: [], rcode: 'NOERROR' };
    return { error: code };
  }
}

export const dnsCheck = defineCheck<DnsSpec>({
  type: 'dns',
  summary: 'a name resolves (query, recordType, server "HOST[:PORT]", expect); value: response time',
  unit: 'ms',
  thresholdKind: 'duration',
  fields: ['query', 'recordType', 'server', 'expect'],
  parse(config: ConfigReader) {
    const query = config.requiredString('query');
    if (!isSafeHost(query)) config.fail('query', `must be a domain name (got ${JSON.stringify(query)})`);
    const serverText = config.string('server');
    const server = serverText === undefined ? null : parseServerAddress(serverText);
    if (serverText !== undefined && server === null) config.fail('server', `must be an IP address with an optional port, like "127.0.0.1:5353" (got ${JSON.stringify(serverText)})`);
    return { query, recordType: config.oneOf('recordType', RECORD_TYPES) ?? 'A', server, expect: config.string('expect') ?? null };
  },
  async run(spec, context) {
    const started = performance.now();
    const result = spec.server === null
      ? await querySystem(spec.query, spec.recordType, context.timeoutMs)
      : await queryServer(spec.server, spec.query, spec.recordType, context.timeoutMs);
    const ms = performance.now() - started;
    const label = `${spec.query} ${spec.recordType}`;
    if ('error' in result) return { value: null, summary: `${label}: ${result.error}`, failure: result.error };
    if (result.rcode !== 'NOERROR') return { value: ms, summary: `${label}: ${result.rcode}`, failure: result.rcode };
    if (result.answers.length === 0) return { value: ms, summary: `${label}: no answer`, failure: 'no answer' };
    const shown = result.answers.slice(0, 3).join(', ');
    if (spec.expect !== null && !result.answers.includes(spec.expect)) {
      return { value: ms, summary: `${label}: ${shown} (expected ${spec.expect})`, failure: 'unexpected answer' };
    }
    return { value: ms, summary: `${label}: ${shown} in ${Math.round(ms)}ms` };
  },
});
