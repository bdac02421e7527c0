// Registration data for a set of addresses, one RDAP question per network: addresses are
// asked one registry at a time, in order, and an address inside a range already answered
// (this run or the cache) costs nothing. Redirects are followed (at most 5, never twice to
// one URL), 429 waits for Retry-After (and slows that registry down), timeouts and 5xx
// are retried; every failure becomes a status on that network, never an exception.
import type { NationalRegistration, NetworkRegistration, RegistryName } from '../../model/network.js';
import { createRateLimiter, type AcquireSlot } from '../rdns/rate-limiter.js';
import { addressToBigInt, rangeToCidrs, type IpRange } from '../../net/ip-range.js';
import { addressText } from '../../net/prefix.js';
import { sanitizeText } from '../../net/sanitize.js';
import { httpGet, retryAfterSeconds, type HttpGetResult } from './http-get.js';
import { nationalRegistryFor } from './national-registries.js';
import { DEFAULT_NETWORK_TTL_MS, NetworkCache } from './network-cache.js';
import { DEFAULT_RDAP_RATE, DEFAULT_RDAP_TIMEOUT_MS } from './option-defaults.js';
import { registryFromHost, type RdapBootstrap } from './rdap-bootstrap.js';
import { parseRdapNetwork } from './rdap-network.js';
import { parseWhoisServer, whoisQuery, type WhoisResult } from './whois-client.js';
import { parseRirWhois, whoisReferral, type RirWhoisNetwork } from './whois-rir.js';

export interface NetworkLookupOptions {
  bootstrap: RdapBootstrap;
  /** --rdap-server: one base URL for every address (tests, a local mirror). */
  server?: string | null;
  /** --whois-server host:port: asked instead of every whois server (RIRs, IANA, national registries). */
  whoisServer?: string | null;
  /** Port-43 whois allowed (default true; --no-whois): national registries and the RIR fallback. */
  whois?: boolean;
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

export const DEFAULT_RDAP_RETRIES = 2;
export const DEFAULT_RDAP_MAX_BYTES = 2 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** The RIRs' port-43 servers, and IANA's, which refers to the right one. */
export const RIR_WHOIS: Partial<Record<RegistryName, string>> = {
  ARIN: 'whois.arin.net',
  'RIPE NCC': 'whois.ripe.net',
  APNIC: 'whois.apnic.net',
  LACNIC: 'whois.lacnic.net',
  AFRINIC: 'whois.afrinic.net',
};
export const IANA_WHOIS = 'whois.iana.org';

/** ARIN answers 'n + ADDRESS' with the network and its contacts; the others take the address. */
export function rirWhoisQuery(registry: RegistryName, ip: string): string {
  return registry === 'ARIN' ? `n + ${ip}` : ip;
}

function rangeHolds(range: IpRange, ip: string): boolean {
  const address = addressToBigInt(ip);
  return Boolean(address && range.version === address.version && range.start <= address.value && address.value <= range.end);
}

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
  const whoisAllowed = options.whois !== false && options.cacheOnly !== true;
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

  /** One port-43 question (through the rate limit of that server, with the retries). */
  const askWhois = async (host: string, query: string): Promise<{ ok: true; text: string; server: string } | { ok: false; status: 'timeout' | 'error' | 'bad-answer'; detail: string; server: string }> => {
    const serverText = options.whoisServer ?? `${host}:43`;
    const server = parseWhoisServer(serverText);
    if (!server) return { ok: false, status: 'error', detail: `bad whois server '${sanitizeText(serverText, 100)}'`, server: serverText };
    const limiter = limiterFor(`whois:${server.host}:${server.port}`);
    const ask = async (): Promise<WhoisResult> => {
      await limiter.acquire();
      stats.whois++;
      return whoisQuery(server, query, { timeoutMs, maxBytes });
    };
    let answer = await ask();
    for (let attempt = 0; attempt < retries && (answer.kind === 'timeout' || answer.kind === 'error'); attempt++) answer = await ask();
    if (answer.kind === 'timeout') return { ok: false, status: 'timeout', detail: `no whois answer from ${serverText} within ${timeoutMs} ms`, server: serverText };
    if (answer.kind === 'error') return { ok: false, status: 'error', detail: `whois ${serverText}: ${sanitizeText(answer.message, 200)}`, server: serverText };
    if (answer.kind === 'too-large') return { ok: false, status: 'bad-answer', detail: `whois answer from ${serverText} larger than ${answer.limitBytes} bytes`, server: serverText };
    return { ok: true, text: answer.text, server: serverText };
  };

  const askNationalRegistry = async (ip: string, network: { registry: RegistryName; country: string | null }, answer: unknown): Promise<NationalRegistration | null> => {
    const nir = nationalRegistryFor(network, answer);
    if (!nir) return null;
    const answered = await askWhois(nir.whoisHost, nir.query(ip));
    const base: NationalRegistration = { registry: nir.registry, server: answered.server, range: null, org: null, name: null, registered: null, emails: [], phones: [], status: 'error' };
    if (!answered.ok) return { ...base, status: answered.status, detail: answered.detail };
    const contact = nir.parse(answered.text, ip);
    if (!contact) return { ...base, status: 'not-found', detail: `${nir.registry} whois has no network block for ${ip}` };
    return { ...base, ...contact, status: 'ok' };
  };

  /**
   * The RIR's own whois: the registry the bootstrap named, else IANA's whois and the RIR it
   * refers to (only the five RIRs' servers are followed, never a host an answer makes up).
   */
  const askRirWhois = async (ip: string, registry: RegistryName): Promise<{ ok: true; parsed: RirWhoisNetwork; server: string; registry: RegistryName } | { ok: false; detail: string }> => {
    let host = RIR_WHOIS[registry] ?? IANA_WHOIS;
    let asked = registry;
    for (let hop = 0; hop < 2; hop++) {
      const answered = await askWhois(host, rirWhoisQuery(asked, ip));
      if (!answered.ok) return { ok: false, detail: answered.detail };
      // IANA's answer names the whole /8 and the registry that holds it: that registry is asked next.
      const referral = host === IANA_WHOIS ? registryFromHost(whoisReferral(answered.text)) : null;
      const next = referral ? RIR_WHOIS[referral] : undefined;
      if (referral && next) {
        host = next;
        asked = referral;
        continue;
      }
      const parsed = parseRirWhois(answered.text, ip);
      if (parsed?.ipRange && rangeHolds(parsed.ipRange, ip)) return { ok: true, parsed, server: answered.server, registry: parsed.registry ?? asked };
      return { ok: false, detail: `whois ${answered.server} names no network containing ${ip}` };
    }
    return { ok: false, detail: 'whois referral went nowhere' };
  };

  const lookupOne = async (ip: string): Promise<NetworkRegistration> => {
    const cached = cache.find(ip, now().getTime());
    if (cached) {
      stats.cached++;
      // An answer of this run stays 'ok'; one from an earlier run says it came from the cache.
      return cached.fetchedAt !== null && Date.parse(cached.fetchedAt) >= runStartMs ? cached : { ...cached, status: 'cached' };
    }
    const base = baseUrlFor(ip);
    const url = base ? `${base}ip/${ip}` : null;
    const fallbackRegistry = url ? (registryFromHost(new URL(url).host) ?? 'unknown') : 'unknown';
    if (options.cacheOnly) {
      return url ? emptyNetwork('not-cached', 'not in the RDAP cache (--rdap-cache-only)', fallbackRegistry, null) : emptyNetwork('not-found', 'no RDAP server is listed for this address in the bootstrap registry', 'unknown', null);
    }
    // RDAP first; what it could not answer (no server, errors, bad answers: not a 404) goes to the RIR's whois.
    let failure: { status: NetworkRegistration['status']; detail: string; url: string | null; fallback: boolean } | null = null;
    let network: NetworkRegistration | null = null;
    let ipRange: IpRange | null = null;
    let answer: unknown = null;
    if (!url) failure = { status: 'not-found', detail: 'no RDAP server is listed for this address in the bootstrap registry', url: null, fallback: true };
    else {
      const fetched = await fetchRdap(url);
      if (!fetched.ok) failure = { status: fetched.status, detail: fetched.detail, url, fallback: fetched.status !== 'not-found' };
      else {
        const parsed = parseRdapNetwork(fetched.json, registryFromHost(new URL(fetched.url).host) ?? fallbackRegistry);
        if ('error' in parsed) failure = { status: 'bad-answer', detail: `${parsed.error} (${new URL(fetched.url).host})`, url: fetched.url, fallback: true };
        else {
          const { ipRange: range, ...fields } = parsed;
          network = { ...fields, status: 'ok', source: 'rdap', url: sanitizeText(fetched.url, 500), fetchedAt: now().toISOString() };
          ipRange = range;
          answer = fetched.json;
        }
      }
    }
    if (failure) {
      if (!whoisAllowed || !failure.fallback) return emptyNetwork(failure.status, failure.detail, fallbackRegistry, failure.url);
      const fromWhois = await askRirWhois(ip, fallbackRegistry);
      if (!fromWhois.ok) return emptyNetwork(failure.status, `${failure.detail}; ${fromWhois.detail}`, fallbackRegistry, failure.url);
      const parsed = fromWhois.parsed;
      ipRange = parsed.ipRange;
      const cidrs = ipRange ? rangeToCidrs(ipRange) : [];
      network = {
        status: 'ok',
        detail: sanitizeText(`RDAP: ${failure.detail}; answered by the whois of ${fromWhois.server}`, 300),
        handle: parsed.handle,
        name: parsed.name,
        range: cidrs.length > 0 ? cidrs.slice(0, 8).join(' ') : parsed.range,
        startAddress: ipRange ? addressText(ipRange.version, ipRange.start) : null,
        endAddress: ipRange ? addressText(ipRange.version, ipRange.end) : null,
        country: parsed.country,
        registry: fromWhois.registry,
        registered: parsed.registered,
        lastChanged: parsed.lastChanged,
        org: parsed.org,
        abuse: parsed.emails.length > 0 || parsed.abuseHandle ? { emails: parsed.emails, phones: parsed.phones, handle: parsed.abuseHandle, name: null } : null,
        source: 'whois',
        url: null,
        fetchedAt: now().toISOString(),
      };
      answer = parsed.text;
    }
    if (!network) return emptyNetwork('error', 'no answer', fallbackRegistry, url);
    const nir = whoisAllowed ? await askNationalRegistry(ip, network, answer) : null;
    if (nir) {
      network.nir = nir;
      if (nir.status === 'ok' && nir.emails.length > 0) {
        // The national registry knows the network's own contact; the RIR's abuse role was the registry's IRT.
        network.abuse = { emails: nir.emails, phones: nir.phones, handle: network.abuse?.handle ?? null, name: nir.org ?? nir.name };
        network.source = network.source === 'whois' ? 'whois+nir' : 'rdap+whois';
      }
    } else if (whoisAllowed && network.source === 'rdap' && (network.abuse?.emails.length ?? 0) === 0) {
      // RDAP without an abuse mailbox (AFRINIC gives entities without roles): the RIR's whois often has it in a remark.
      const fromWhois = await askRirWhois(ip, network.registry);
      if (fromWhois.ok && fromWhois.parsed.emails.length > 0) {
        network.abuse = { emails: fromWhois.parsed.emails, phones: fromWhois.parsed.phones, handle: network.abuse?.handle ?? fromWhois.parsed.abuseHandle, name: network.abuse?.name ?? null };
        network.source = 'rdap+rir-whois';
      }
    }
    // Only a range that contains the address is a cache key: a server answering for something else is not trusted with others.
    if (ipRange && rangeHolds(ipRange, ip)) cache.put(ipRange, network, now().getTime() + ttlMs);
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
