// Registration data for a set of addresses, one RDAP question per network: addresses are
// asked one registry at a time, in order, and an address inside a range already answered
// (this run or the cache) costs nothing. Redirects are followed (at most 5, never twice to
// one URL), 429 waits for Retry-After (and slows that registry down), timeouts and 5xx
// are retried; every failure becomes a status on that network, never an exception.
import type { NationalRegistration, NetworkRegistration, RegistryName } from '../../model/network.js';
import { createRateLimiter, type AcquireSlot } from '../rdns/rate-limiter.js';
import { addressToBigInt } from '../../net/ip-range.js';
import { sanitizeText } from '../../net/sanitize.js';
import { httpGet, retryAfterSeconds, type HttpGetResult } from './http-get.js';
import { nationalRegistryFor } from './national-registries.js';
import { DEFAULT_NETWORK_TTL_MS, NetworkCache } from './network-cache.js';
import { registryFromHost, type RdapBootstrap } from './rdap-bootstrap.js';
import { parseRdapNetwork, type ParsedNetwork } from './rdap-network.js';
import { parseWhoisServer, whoisQuery } from './whois-client.js';

export interface NetworkLookupOptions {
  bootstrap: RdapBootstrap;
  /** --rdap-server: one base URL for every address (tests, a local mirror). */
  server?: string | null;
  /** --whois-server host:port: asked instead of every national registry's whois. */
  whoisServer?: string | null;
  cacheDir: string | null;
  cacheOnly?: boolean;
  timeoutMs?: number;
  retries?: number;
  /** Questions per second to one registry (default 2). 0 = unlimited. */
  ratePerSecond?: number;
  maxBytes?: number;
  /** The longest Retry-After we wait for; longer ones leave the network 'rate-limited'. */
  maxRetryAfterSeconds?: number;
  ttlMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
}

export interface NetworkLookupStats {
  rdap: number;
  whois: number;
  cached: number;
}

export const DEFAULT_RDAP_TIMEOUT_MS = 10_000;
export const DEFAULT_RDAP_RETRIES = 2;
export const DEFAULT_RDAP_RATE = 2;
export const DEFAULT_RDAP_MAX_BYTES = 2 * 1024 * 1024;
const MAX_REDIRECTS = 5;

type Fetched = { ok: true; json: unknown; url: string } | { ok: false; status: NetworkRegistration['status']; detail: string };

function emptyNetwork(status: NetworkRegistration['status'], detail: string, registry: RegistryName, url: string | null): NetworkRegistration {
  return { status, detail: sanitizeText(detail, 300), handle: null, name: null, range: null, startAddress: null, endAddress: null, country: null, registry, registered: null, lastChanged: null, org: null, abuse: null, source: 'none', url, fetchedAt: null };
}

export async function lookupNetworks(ips: readonly string[], options: NetworkLookupOptions): Promise<{ networks: Map<string, NetworkRegistration>; stats: NetworkLookupStats }> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? DEFAULT_RDAP_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RDAP_RETRIES;
  const maxBytes = options.maxBytes ?? DEFAULT_RDAP_MAX_BYTES;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
  const ttlMs = options.ttlMs ?? DEFAULT_NETWORK_TTL_MS;
  const cache = new NetworkCache(options.cacheDir);
  const stats: NetworkLookupStats = { rdap: 0, whois: 0, cached: 0 };
  const limiters = new Map<string, { acquire: AcquireSlot; pausedUntilMs: number }>();
  const networks = new Map<string, NetworkRegistration>();
  const runStartMs = now().getTime();

  const limiterFor = (host: string): { acquire: AcquireSlot; pausedUntilMs: number } => {
    let limiter = limiters.get(host);
    if (!limiter) {
      limiter = { acquire: createRateLimiter(options.ratePerSecond ?? DEFAULT_RDAP_RATE), pausedUntilMs: 0 };
      limiters.set(host, limiter);
    }
    return limiter;
  };

  const baseUrlFor = (ip: string): string | null => {
    const base = options.server ?? options.bootstrap.baseUrlFor(ip);
    if (!base) return null;
    return base.endsWith('/') ? base : `${base}/`;
  };

  /** GET with redirects, 429 and retries; a status for everything that is not a JSON answer. */
  const fetchRdap = async (startUrl: string): Promise<Fetched> => {
    const visited = new Set<string>();
    let url = new URL(startUrl);
    let attempt = 0;
    for (let step = 0; step < 50; step++) {
      if (visited.has(url.href)) return { ok: false, status: 'bad-answer', detail: `redirect loop at ${url.host}` };
      const limiter = limiterFor(url.host);
      const pauseMs = limiter.pausedUntilMs - Date.now();
      if (pauseMs > 0) await sleep(pauseMs);
      await limiter.acquire();
      stats.rdap++;
      const result: HttpGetResult = await httpGet(url, { timeoutMs, maxBytes, headers: { accept: 'application/rdap+json, application/json' } });
      if (result.kind === 'response' && result.status >= 300 && result.status < 400 && result.headers.location) {
        visited.add(url.href);
        if (visited.size > MAX_REDIRECTS) return { ok: false, status: 'bad-answer', detail: `more than ${MAX_REDIRECTS} redirects` };
        try {
          url = new URL(result.headers.location, url);
        } catch {
          return { ok: false, status: 'bad-answer', detail: `bad redirect from ${url.host}` };
        }
        continue;
      }
      const retry = async (status: NetworkRegistration['status'], detail: string, waitMs: number): Promise<Fetched | null> => {
        if (attempt >= retries) return { ok: false, status, detail };
        attempt++;
        await sleep(waitMs);
        return null;
      };
      let outcome: Fetched | null;
      if (result.kind === 'timeout') outcome = await retry('timeout', `no answer from ${url.host} within ${result.timeoutMs} ms`, 0);
      else if (result.kind === 'error') outcome = await retry('error', `${url.host}: ${result.message}`, 250 * 2 ** attempt);
      else if (result.kind === 'too-large') outcome = { ok: false, status: 'bad-answer', detail: `answer from ${url.host} larger than ${result.limitBytes} bytes` };
      else if (result.status === 429) {
        const seconds = retryAfterSeconds(result.headers['retry-after'], Date.now()) ?? 2 ** attempt;
        if (seconds > maxRetryAfter) {
          outcome = { ok: false, status: 'rate-limited', detail: `${url.host} asks to wait ${seconds} s (HTTP 429)` };
        } else {
          limiter.pausedUntilMs = Date.now() + seconds * 1000;
          outcome = await retry('rate-limited', `${url.host} kept answering HTTP 429`, seconds * 1000);
        }
      } else if (result.status === 404) outcome = { ok: false, status: 'not-found', detail: `${url.host} has no network for it (HTTP 404)` };
      else if (result.status >= 500) outcome = await retry('error', `HTTP ${result.status} from ${url.host}`, 500 * 2 ** attempt);
      else if (result.status !== 200) outcome = { ok: false, status: 'error', detail: `HTTP ${result.status} from ${url.host}` };
      else {
        try {
          outcome = { ok: true, json: JSON.parse(result.body.toString('utf8')) as unknown, url: url.href };
        } catch {
          outcome = { ok: false, status: 'bad-answer', detail: `answer from ${url.host} is not valid JSON` };
        }
      }
      if (outcome) return outcome;
    }
    return { ok: false, status: 'error', detail: 'gave up' };
  };

  const askNationalRegistry = async (ip: string, parsed: ParsedNetwork, json: unknown): Promise<NationalRegistration | null> => {
    const nir = nationalRegistryFor(parsed, json);
    if (!nir) return null;
    const serverText = options.whoisServer ?? `${nir.whoisHost}:43`;
    const server = parseWhoisServer(serverText);
    const base: NationalRegistration = { registry: nir.registry, server: serverText, range: null, org: null, name: null, registered: null, emails: [], phones: [], status: 'error' };
    if (!server) return { ...base, detail: `bad whois server '${sanitizeText(serverText, 100)}'` };
    stats.whois++;
    let answer = await whoisQuery(server, nir.query(ip), { timeoutMs, maxBytes });
    for (let attempt = 0; attempt < retries && (answer.kind === 'timeout' || answer.kind === 'error'); attempt++) answer = await whoisQuery(server, nir.query(ip), { timeoutMs, maxBytes });
    if (answer.kind === 'timeout') return { ...base, status: 'timeout', detail: `no whois answer from ${serverText} within ${timeoutMs} ms` };
    if (answer.kind === 'error') return { ...base, detail: `whois ${serverText}: ${sanitizeText(answer.message, 200)}` };
    if (answer.kind === 'too-large') return { ...base, status: 'bad-answer', detail: `whois answer larger than ${answer.limitBytes} bytes` };
    const contact = nir.parse(answer.text);
    if (!contact) return { ...base, status: 'not-found', detail: `${nir.registry} whois has no network block for ${ip}` };
    return { ...base, ...contact, status: 'ok' };
  };

  const lookupOne = async (ip: string): Promise<NetworkRegistration> => {
    const cached = cache.find(ip, now().getTime());
    if (cached) {
      stats.cached++;
      // An answer of this run stays 'ok'; one from an earlier run says it came from the cache.
      return cached.fetchedAt !== null && Date.parse(cached.fetchedAt) >= runStartMs ? cached : { ...cached, status: 'cached' };
    }
    const base = baseUrlFor(ip);
    if (!base) return emptyNetwork('not-found', 'no RDAP server is listed for this address in the bootstrap registry', 'unknown', null);
    const url = `${base}ip/${ip}`;
    const fallbackRegistry = registryFromHost(new URL(url).host) ?? 'unknown';
    if (options.cacheOnly) return emptyNetwork('not-cached', 'not in the RDAP cache (--rdap-cache-only)', fallbackRegistry, null);
    const fetched = await fetchRdap(url);
    if (!fetched.ok) return emptyNetwork(fetched.status, fetched.detail, fallbackRegistry, url);
    const parsed = parseRdapNetwork(fetched.json, registryFromHost(new URL(fetched.url).host) ?? fallbackRegistry);
    if ('error' in parsed) return emptyNetwork('bad-answer', `${parsed.error} (${new URL(fetched.url).host})`, fallbackRegistry, fetched.url);
    const { ipRange, ...fields } = parsed;
    const network: NetworkRegistration = { ...fields, status: 'ok', source: 'rdap', url: sanitizeText(fetched.url, 500), fetchedAt: now().toISOString() };
    const nir = await askNationalRegistry(ip, parsed, fetched.json);
    if (nir) {
      network.nir = nir;
      if (nir.status === 'ok' && nir.emails.length > 0) {
        // The national registry knows the network's own contact; the RIR's abuse role was the registry's IRT.
        network.abuse = { emails: nir.emails, phones: nir.phones, handle: network.abuse?.handle ?? null, name: nir.org ?? nir.name };
        network.source = 'rdap+whois';
      }
    }
    // Only a range that contains the address is a cache key: a server answering for something else is not trusted with others.
    const address = addressToBigInt(ip);
    if (ipRange && address && ipRange.version === address.version && ipRange.start <= address.value && address.value <= ipRange.end) {
      cache.put(ipRange, network, now().getTime() + ttlMs);
    }
    return network;
  };

  // One queue per registry host: questions to one registry go in order (so later addresses
  // find earlier answers' ranges), different registries are asked at the same time.
  const queues = new Map<string, string[]>();
  for (const ip of ips) {
    const base = baseUrlFor(ip);
    const key = base ? new URL(base).host : '';
    queues.set(key, [...(queues.get(key) ?? []), ip]);
  }
  let done = 0;
  await Promise.all(
    [...queues.values()].map(async (queue) => {
      for (const ip of queue) {
        let network: NetworkRegistration;
        try {
          network = await lookupOne(ip);
        } catch (error) {
          network = emptyNetwork('error', error instanceof Error ? error.message : String(error), 'unknown', null);
        }
        networks.set(ip, network);
        options.onProgress?.(++done, ips.length);
      }
    }),
  );
  cache.save(now().getTime());
  return { networks, stats };
}
