// The reverse-DNS flags every command that enriches shares (parseArgs descriptors with their help).
import { join } from 'node:path';
import { defaultCacheDir } from '../../cache-dir.js';
import { UserError } from '../../errors.js';
import type { ReverseDnsOptions } from '../../model/services.js';
import type { OptionTable } from '../../option-table.js';
import { DNS_SERVER_ENV, parseServerAddress, serversFromEnv } from './server-address.js';

export const RDNS_ARG_OPTIONS = {
  'no-dns': { type: 'boolean', help: 'skip reverse DNS' },
  'dns-server': { type: 'string', multiple: true, arg: 'HOST[:PORT]', help: `resolver to ask (repeatable; IPv6 as [::1]:5353);
default $NETSLEUTH_DNS_SERVER, else /etc/resolv.conf` },
  'dns-timeout': { type: 'string', arg: 'MS', help: "first attempt's timeout, doubled on each retry (default 2000)" },
  'dns-retries': { type: 'string', arg: 'N', help: 'extra attempts per query (default 2)' },
  'dns-rate': { type: 'string', arg: 'QPS', help: 'at most QPS reverse-DNS queries per second (default: unlimited, 100 in flight)' },
  'dns-cache-only': { type: 'boolean', help: 'answer from the reverse-DNS cache only, never touch the network' },
  'dns-cache-dir': { type: 'string', arg: 'DIR', help: `keep the reverse-DNS cache there (a case folder, say);
default $NETSLEUTH_CACHE_DIR/rdns or ~/.cache/netsleuth/rdns` },
} as const satisfies OptionTable;

export interface RdnsArgValues {
  'no-dns'?: boolean | undefined;
  'dns-server'?: string[] | undefined;
  'dns-timeout'?: string | undefined;
  'dns-retries'?: string | undefined;
  'dns-cache-only'?: boolean | undefined;
  'dns-cache-dir'?: string | undefined;
  'dns-rate'?: string | undefined;
}

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
