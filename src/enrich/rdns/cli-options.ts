// The reverse-DNS flags every command that enriches shares (parseArgs descriptors).
import { join } from 'node:path';
import { defaultCacheDir } from '../../cache-dir.js';
import { UserError } from '../../errors.js';
import type { ReverseDnsOptions } from '../../model/services.js';
import { DNS_SERVER_ENV, parseServerAddress, serversFromEnv } from './server-address.js';

export const RDNS_ARG_OPTIONS = {
  'no-dns': { type: 'boolean' },
  'dns-server': { type: 'string', multiple: true },
  'dns-timeout': { type: 'string' },
  'dns-retries': { type: 'string' },
  'dns-cache-only': { type: 'boolean' },
  'dns-cache-dir': { type: 'string' },
  'dns-rate': { type: 'string' },
} as const;

export interface RdnsArgValues {
  'no-dns'?: boolean | undefined;
  'dns-server'?: string[] | undefined;
  'dns-timeout'?: string | undefined;
  'dns-retries'?: string | undefined;
  'dns-cache-only'?: boolean | undefined;
  'dns-cache-dir'?: string | undefined;
  'dns-rate'?: string | undefined;
}

/** Help text lines for the flags above, for commands' `usage`. */
export const RDNS_USAGE = `  --no-dns               skip reverse DNS
  --dns-server HOST[:PORT]  resolver to ask (repeatable; IPv6 as [::1]:5353);
                         default $NETSLEUTH_DNS_SERVER, else /etc/resolv.conf
  --dns-timeout MS       first attempt's timeout, doubled on each retry (default 2000)
  --dns-retries N        extra attempts per query (default 2)
  --dns-rate QPS         at most QPS reverse-DNS queries per second (default: unlimited, 100 in flight)
  --dns-cache-only       answer from the reverse-DNS cache only, never touch the network
  --dns-cache-dir DIR    keep the reverse-DNS cache there (a case folder, say);
                         default $NETSLEUTH_CACHE_DIR/rdns or ~/.cache/netsleuth/rdns`;

const MAX_TIMEOUT_MS = 60_000;
const MAX_RETRIES = 10;
const MAX_RATE_PER_SECOND = 1_000_000;

/** null when --no-dns; otherwise the resolver options (validated; throws UserError on bad values). */
export function rdnsOptionsFromValues(values: RdnsArgValues, env: NodeJS.ProcessEnv): ReverseDnsOptions | null {
  if (values['no-dns']) return null;
  const flagged = values['dns-server'] ?? [];
  const servers = flagged.length > 0 ? flagged : serversFromEnv(env);
  for (const server of servers) {
    const source = flagged.length > 0 ? '--dns-server' : DNS_SERVER_ENV;
    if (!parseServerAddress(server)) throw new UserError(`${source} '${server}': expected an IP address with an optional port (127.0.0.1:5353, [::1]:5353)`);
  }
  const options: ReverseDnsOptions = {
    servers,
    cacheDir: cacheDirFromValue(values['dns-cache-dir'], env),
    cacheOnly: values['dns-cache-only'] ?? false,
    forwardConfirm: true,
  };
  const timeoutMs = integerFlag('--dns-timeout', values['dns-timeout'], 1, MAX_TIMEOUT_MS);
  if (timeoutMs !== null) options.timeoutMs = timeoutMs;
  const retries = integerFlag('--dns-retries', values['dns-retries'], 0, MAX_RETRIES);
  if (retries !== null) options.retries = retries;
  const rateLimit = integerFlag('--dns-rate', values['dns-rate'], 1, MAX_RATE_PER_SECOND);
  if (rateLimit !== null) options.rateLimit = rateLimit;
  return options;
}

function integerFlag(flag: string, text: string | undefined, min: number, max: number): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text.trim())) throw new UserError(`${flag} '${text}': expected a whole number from ${min} to ${max}`);
  const value = Number(text.trim());
  if (value < min || value > max) throw new UserError(`${flag} '${text}': expected a whole number from ${min} to ${max}`);
  return value;
}

function cacheDirFromValue(text: string | undefined, env: NodeJS.ProcessEnv): string {
  if (text === undefined) return join(defaultCacheDir(env), 'rdns');
  if (text.trim() === '') throw new UserError('--dns-cache-dir: expected a directory');
  return text;
}
