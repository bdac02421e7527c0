// Reverse DNS for a batch of addresses: cache first, then our own resolver
// (dns-packet over UDP, TCP on truncation) with bounded concurrency, an
// optional rate limit, progress, and optional forward confirmation.
import { SKIPPED_RDNS, type RdnsResult } from '../../model/attribution.js';
import type { ReverseDnsBatch, ReverseDnsOptions } from '../../model/services.js';
import { parseIpAddress, type ParsedIp } from '../../net/ip.js';
import { UserError } from '../../errors.js';
import { DnsClient, type DnsClientStats } from './dns-client.js';
import { progressAt } from './progress.js';
import { createRateLimiter } from './rate-limiter.js';
import { RdnsCache } from './rdns-cache.js';
import { readResolvConf, RESOLV_CONF_PATH } from './resolv-conf.js';
import { resolvePtr } from './resolve-ptr.js';
import { DNS_SERVER_ENV, formatServer, parseServerAddress, serversFromEnv, type DnsServer } from './server-address.js';
import { forEachConcurrently } from '../../pool.js';

export { DNS_SERVER_ENV } from './server-address.js';

export { createStderrProgress } from './progress.js';
export type { DnsClientStats } from './dns-client.js';

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_CONCURRENCY = 100;
const PROGRESS_INTERVAL_MS = 100;

export interface BatchEnvironment {
  resolvConfPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the resolver's counters (dropped spoofed/malformed answers...) after each batch. */
  onStats?: (stats: DnsClientStats) => void;
}

/** The batch with its edges injectable: resolv.conf path and environment. */
export function createReverseDnsBatch(environment: BatchEnvironment = {}): ReverseDnsBatch {
  return async (ips, options) => {
    const now = options.now ?? (() => new Date());
    const results = new Map<string, RdnsResult>();
    const cache = options.cacheDir ? await RdnsCache.load(options.cacheDir) : null;
    // Offline, the cache is the only source: a file that is not one would make every answer 'skipped'.
    if (options.cacheOnly && cache?.problem) throw new UserError(`${cache.problem}: --dns-cache-only has nothing to read (remove it or choose another --dns-cache-dir)`);
    // One question per address however it was spelled (203.0.113.1, ::ffff:203.0.113.1).
    const queued = new Map<string, { parsed: ParsedIp; ips: string[] }>();
    // A cached answer is evidence from one server: an online run reuses it only when
    // that server is one of those in use now (a different resolver may know better).
    let settings: ResolverSettings | null = null;
    const settingsNow = async () => (settings ??= await resolverSettings(options, environment));
    const answeredByServerInUse = async (result: RdnsResult) => {
      if (result.server === null) return true;
      return (await settingsNow()).servers.some((server) => formatServer(server) === result.server);
    };
    for (const ip of ips) {
      if (results.has(ip)) continue;
      const parsed = parseIpAddress(ip);
      if (!parsed) {
        results.set(ip, { status: 'error', names: [], ttl: null, server: null, detail: 'not an IP address' });
        continue;
      }
      const cached = cache?.get(parsed.text);
      if (options.cacheOnly) {
        results.set(ip, cached ? cached.result : { ...SKIPPED_RDNS, names: [], detail: 'not in cache' });
      } else if (cached && cache?.isFresh(cached, now()) && !lacksForwardCheck(cached.result, options) && (await answeredByServerInUse(cached.result))) {
        results.set(ip, cached.result);
      } else {
        const entry = queued.get(parsed.text);
        if (!entry) queued.set(parsed.text, { parsed, ips: [ip] });
        else if (!entry.ips.includes(ip)) entry.ips.push(ip);
      }
    }
    const toQuery = [...queued.values()];
    if (toQuery.length > 0) {
      const settings = await settingsNow();
      if (settings.servers.length === 0) {
        for (const { ips: spellings } of toQuery) {
          for (const ip of spellings) results.set(ip, { status: 'error', names: [], ttl: null, server: null, detail: `no DNS server configured (${settings.source})` });
        }
      } else {
        const client = new DnsClient({ servers: settings.servers, timeoutMs: settings.timeoutMs, retries: settings.retries });
        const signal = options.signal;
        const abandon = () => void client.close();
        signal?.addEventListener('abort', abandon, { once: true });
        try {
          await runPool(toQuery, options, async ({ ips: spellings, parsed }) => {
            const result = await resolvePtr(client, parsed, { forwardConfirm: options.forwardConfirm ?? false, now }).catch(
              (error: unknown): RdnsResult => ({ status: 'error', names: [], ttl: null, server: null, detail: `internal error: ${(error as Error).message}` }),
            );
            // An answer cut short by cancellation is no evidence: neither reported nor cached.
            if (signal?.aborted) return;
            for (const ip of spellings) results.set(ip, result);
            cache?.set(parsed.text, result, now());
          });
        } finally {
          signal?.removeEventListener('abort', abandon);
          await client.close();
          environment.onStats?.({ ...client.stats });
        }
        for (const { ips: spellings } of toQuery) {
          for (const ip of spellings) if (!results.has(ip)) results.set(ip, { ...SKIPPED_RDNS, names: [], detail: 'cancelled' });
        }
      }
    }
    await cache?.save();
    return new Map(ips.map((ip) => [ip, results.get(ip) as RdnsResult]));
  };
}

export const reverseDnsBatch: ReverseDnsBatch = createReverseDnsBatch();

/** A cached name saved without forward confirmation does not answer a run that wants it. */
function lacksForwardCheck(result: RdnsResult, options: ReverseDnsOptions): boolean {
  return options.forwardConfirm === true && result.status === 'ok' && result.names.length > 0 && result.fcrdns === undefined;
}

interface ResolverSettings {
  servers: DnsServer[];
  timeoutMs: number;
  retries: number;
  source: string;
}

async function resolverSettings(options: ReverseDnsOptions, environment: BatchEnvironment): Promise<ResolverSettings> {
  const env = environment.env ?? process.env;
  const fromEnv = serversFromEnv(env);
  const explicit = options.servers.length > 0 ? options.servers : fromEnv;
  if (explicit.length > 0) {
    const servers = explicit.map((text) => {
      const server = parseServerAddress(text);
      if (!server) throw new UserError(`invalid DNS server '${text}': expected an IP address with an optional port (127.0.0.1:5353, [::1]:5353)`);
      return server;
    });
    const source = options.servers.length > 0 ? '--dns-server' : DNS_SERVER_ENV;
    return { servers, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, retries: options.retries ?? DEFAULT_RETRIES, source };
  }
  const path = environment.resolvConfPath ?? RESOLV_CONF_PATH;
  const conf = await readResolvConf(path);
  return {
    servers: conf.servers,
    timeoutMs: options.timeoutMs ?? conf.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? (conf.attempts !== null ? conf.attempts - 1 : DEFAULT_RETRIES),
    source: path,
  };
}

/** `concurrency` workers pull from one queue; progress is throttled and always ends with done === total. */
async function runPool<T>(items: readonly T[], options: ReverseDnsOptions, work: (item: T) => Promise<void>): Promise<void> {
  const acquire = (options.rateLimit ?? 0) > 0 ? createRateLimiter(options.rateLimit ?? 0) : null;
  const startedMs = performance.now();
  let done = 0;
  let lastReportMs = Number.NEGATIVE_INFINITY;
  const report = (force: boolean) => {
    if (!options.onProgress) return;
    const nowMs = performance.now();
    if (!force && nowMs - lastReportMs < PROGRESS_INTERVAL_MS) return;
    lastReportMs = nowMs;
    options.onProgress(progressAt(done, items.length, nowMs - startedMs));
  };
  report(true);
  const one = async (item: T): Promise<void> => {
    if (acquire) await acquire();
    await work(item);
    done++;
    report(done === items.length);
  };
  await forEachConcurrently(items, options.concurrency ?? DEFAULT_CONCURRENCY, one, () => options.signal?.aborted === true);
}
