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
import { finishPtrResult, ptrEvidence } from './resolve-ptr.js';
import { chainEnd, resolveChain, type ChainResult } from './resolve-chain.js';
import { forwardConfirmFast } from './forward-confirm.js';
import { reverseNameFor } from './reverse-name.js';
import { DNS_SERVER_ENV, formatServer, parseServerAddress, serversFromEnv, type DnsServer } from './server-address.js';

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
    // Keyed in input order from the start (a later set keeps a key's place): it is the answer as returned.
    const results = new Map<string, RdnsResult>();
    const cache = options.cacheDir ? await RdnsCache.load(options.cacheDir) : null;
    // Offline, the cache is the only source: a file that is not one would make every answer 'skipped'.
    if (options.cacheOnly && cache?.problem) throw new UserError(`${cache.problem}: --dns-cache-only has nothing to read (remove it or choose another --dns-cache-dir)`);
    // One question per address however it was spelled (203.0.113.1, ::ffff:203.0.113.1).
    const queued = new Map<string, QueuedAddress>();
    // A cached answer is evidence from one server: an online run reuses it only when
    // that server is one of those in use now (a different resolver may know better).
    let settings: ResolverSettings | null = null;
    const settingsNow = async () => (settings ??= await resolverSettings(options, environment));
    const answeredByServerInUse = (result: RdnsResult, inUse: ResolverSettings) => result.server === null || inUse.serverTexts.has(result.server);
    const nowMs = options.now ? null : Date.now();
    for (let index = 0; index < ips.length; index++) {
      const ip = ips[index] as string;
      if (results.has(ip)) continue;
      const parsed = parseIpAddress(ip);
      if (!parsed) {
        results.set(ip, { status: 'error', names: [], ttl: null, server: null, detail: 'not an IP address' });
        continue;
      }
      const cached = cache?.get(parsed.text);
      if (options.cacheOnly) {
        results.set(ip, cached ? cached.result : { ...SKIPPED_RDNS, names: [], detail: 'not in cache' });
      } else if (cached && (nowMs === null ? cache?.isFresh(cached, now()) : cached.expiresAtMs > nowMs) && !lacksForwardCheck(cached.result, options) && answeredByServerInUse(cached.result, settings ?? (await settingsNow()))) {
        results.set(ip, cached.result);
      } else {
        results.set(ip, NOT_ANSWERED);
        const entry = queued.get(parsed.text);
        if (!entry) queued.set(parsed.text, { parsed, ips: [ip] });
        else entry.ips.push(ip);
      }
    }
    const toQuery = [...queued.values()];
    queued.clear();
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
        // Answers are recorded as they come and written to the cache once, at the end.
        const answeredKeys: string[] = [];
        const answeredResults: RdnsResult[] = [];
        try {
          await resolveAll(client, toQuery, options, now, (entry, result) => {
            // An answer cut short by cancellation is no evidence: neither reported nor cached.
            if (signal?.aborted) return;
            const spellings = entry.ips;
            for (let index = 0; index < spellings.length; index++) results.set(spellings[index] as string, result);
            if (cache) {
              answeredKeys.push(entry.parsed.text);
              answeredResults.push(result);
            }
          });
        } finally {
          signal?.removeEventListener('abort', abandon);
          await client.close();
          environment.onStats?.({ ...client.stats });
        }
        if (cache && answeredKeys.length > 0) {
          const savedAt = now();
          for (let index = 0; index < answeredKeys.length; index++) cache.set(answeredKeys[index] as string, answeredResults[index] as RdnsResult, savedAt);
        }
      }
    }
    await cache?.save();
    results.forEach((result, ip) => {
      if (result === NOT_ANSWERED) results.set(ip, { ...SKIPPED_RDNS, names: [], detail: 'cancelled' });
    });
    return results;
  };
}

/** Holds a queued address's place in the results until its answer comes (or the batch is cancelled). */
const NOT_ANSWERED: RdnsResult = Object.freeze({ ...SKIPPED_RDNS, detail: 'not answered' });

export const reverseDnsBatch: ReverseDnsBatch = createReverseDnsBatch();

/** A cached name saved without forward confirmation does not answer a run that wants it. */
function lacksForwardCheck(result: RdnsResult, options: ReverseDnsOptions): boolean {
  return options.forwardConfirm === true && result.status === 'ok' && result.names.length > 0 && result.fcrdns === undefined;
}

interface ResolverSettings {
  servers: DnsServer[];
  /** The servers as a cached answer names them. */
  serverTexts: ReadonlySet<string>;
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
    return { servers, serverTexts: new Set(servers.map(formatServer)), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, retries: options.retries ?? DEFAULT_RETRIES, source };
  }
  const path = environment.resolvConfPath ?? RESOLV_CONF_PATH;
  const conf = await readResolvConf(path);
  return {
    servers: conf.servers,
    serverTexts: new Set(conf.servers.map(formatServer)),
    timeoutMs: options.timeoutMs ?? conf.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? (conf.attempts !== null ? conf.attempts - 1 : DEFAULT_RETRIES),
    source: path,
  };
}

interface QueuedAddress {
  parsed: ParsedIp;
  ips: string[];
}

/**
 * Every queued address through the client, `concurrency` at a time, without a promise per
 * address: a plain answer becomes its result in the socket's message callback, and the next
 * address starts there. CNAME chains, failures and forward checks take the promise path.
 * Progress is throttled and always ends with done === total.
 */
function resolveAll(client: DnsClient, items: readonly QueuedAddress[], options: ReverseDnsOptions, now: () => Date, record: (item: QueuedAddress, result: RdnsResult) => void): Promise<void> {
  const acquire = (options.rateLimit ?? 0) > 0 ? createRateLimiter(options.rateLimit ?? 0) : null;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const forward = options.forwardConfirm ?? false;
  const startedMs = performance.now();
  let done = 0;
  let next = 0;
  let inFlight = 0;
  let pumping = false;
  let lastReportMs = Number.NEGATIVE_INFINITY;
  const report = (force: boolean) => {
    if (!options.onProgress) return;
    const nowMs = performance.now();
    if (!force && nowMs - lastReportMs < PROGRESS_INTERVAL_MS) return;
    lastReportMs = nowMs;
    options.onProgress(progressAt(done, items.length, nowMs - startedMs));
  };
  report(true);
  // Answers arrive many per millisecond, from a few servers: their timestamp and server texts are shared, not one string each.
  let stampMs = Number.NaN;
  let stampText = '';
  const clockMs = options.now ? () => now().getTime() : Date.now;
  const stamp = () => {
    const atMs = clockMs();
    if (atMs !== stampMs) {
      stampMs = atMs;
      stampText = new Date(atMs).toISOString();
    }
    return stampText;
  };
  const serverTexts = new Map<DnsServer, string>();
  const serverText = (server: DnsServer) => {
    let text = serverTexts.get(server);
    if (text === undefined) serverTexts.set(server, (text = formatServer(server)));
    return text;
  };
  return new Promise((resolve) => {
    const stopped = () => options.signal?.aborted === true;
    const finishOne = (item: QueuedAddress, result: RdnsResult) => {
      record(item, result);
      done++;
      inFlight--;
      report(done === items.length);
      pump();
    };
    const fail = (item: QueuedAddress) => (error: unknown) => finishOne(item, { status: 'error', names: [], ttl: null, server: null, detail: `internal error: ${(error as Error).message}` });
    const withEvidence = (item: QueuedAddress, chain: ChainResult) => {
      const evidence = ptrEvidence(chain, stamp());
      if (!forward || chain.status !== 'ok') return finishOne(item, finishPtrResult(evidence));
      forwardConfirmFast(client, item.parsed, evidence.hostnames, (verdict) => finishOne(item, finishPtrResult(evidence, verdict)), fail(item));
    };
    const ask = (item: QueuedAddress) => {
      const name = reverseNameFor(item.parsed);
      client.queryFast(name, 'PTR', (outcome) => {
        if (outcome.kind === 'fast') {
          // Inside the socket's message callback: nothing may throw out of it.
          try {
            withEvidence(item, chainEnd(outcome.answer, serverText(outcome.server)));
          } catch (error) {
            fail(item)(error);
          }
          return;
        }
        resolveChain(client, name, 'PTR', outcome).then((chain) => withEvidence(item, chain), fail(item));
      });
    };
    // Re-entered from callbacks that run inside ask() (a dead server fails at once): the flag keeps it one loop.
    function pump(): void {
      if (pumping) return;
      pumping = true;
      while (inFlight < concurrency && next < items.length && !stopped()) {
        const item = items[next++] as QueuedAddress;
        inFlight++;
        if (acquire) acquire().then(() => ask(item), fail(item));
        else ask(item);
      }
      pumping = false;
      if (inFlight === 0 && (next >= items.length || stopped())) resolve();
    }
    pump();
  });
}
