// The flags of registration data (RDAP, whois), blocklists and --offline, shared by
// report, lookup and tui (parseArgs descriptors with their help, validation). Only types come
// from the RDAP/whois clients: a run without --rdap never loads them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../cache-dir.js';
import { UserError } from '../../errors.js';
import { sanitizeText } from '../../net/sanitize.js';
import type { OptionTable } from '../../option-table.js';
import type { LoadedBlocklist } from '../blocklist/blocklist-store.js';
import type { NetworkFindingOptions } from './enrich-report.js';
import type { NetworkLookupOptions } from './lookup-networks.js';
import { BLOCKLIST_DIR, DEFAULT_RDAP_LIMIT, DEFAULT_RDAP_RATE, DEFAULT_RDAP_TIMEOUT_MS, DEFAULT_RDAP_TOP } from './option-defaults.js';
import { loadBootstrap } from './rdap-bootstrap.js';
import { parseWhoisServer } from './whois-client.js';

export const NETWORK_ARG_OPTIONS = {
  rdap: { type: 'boolean', help: `ask the registries who holds each network that matters (the heaviest
remotes and cluster members; one RDAP question per network) and, for
Korean/Japanese networks, the national registry's whois: the abuse contact;
where RDAP fails or names no abuse mailbox, the RIR's whois (port 43)` },
  'rdap-cache-only': { type: 'boolean', help: 'answer from the RDAP cache only (implies --rdap; no question leaves)' },
  'rdap-server': { type: 'string', arg: 'URL', help: 'one RDAP base URL for every address instead of the IANA bootstrap' },
  'whois-server': { type: 'string', arg: 'HOST:PORT', help: 'asked instead of every whois server (RIRs, IANA, national registries)' },
  'no-whois': { type: 'boolean', help: 'no port-43 whois at all: RDAP answers alone' },
  'rdap-timeout': { type: 'string', arg: 'MS', help: `per question (default ${DEFAULT_RDAP_TIMEOUT_MS}); 2 retries` },
  'rdap-rate': { type: 'string', arg: 'QPS', help: `questions per second to one registry (default ${DEFAULT_RDAP_RATE}; 0 = no limit)` },
  'rdap-top': { type: 'string', arg: 'N', help: `heaviest remotes asked about besides cluster members (default ${DEFAULT_RDAP_TOP})` },
  blocklist: { type: 'string', multiple: true, arg: 'FILE|URL', help: `also match against this list for this run (repeatable); the lists
'netsleuth update' fetched are always matched, offline` },
  'no-blocklists': { type: 'boolean', help: 'match no list' },
  offline: { type: 'boolean', help: `nothing leaves the machine: no reverse DNS, no RDAP/whois (the cache
still answers with --rdap-cache-only), no traces, no list downloads` },
} as const satisfies OptionTable;

export interface NetworkArgValues {
  rdap?: boolean | undefined;
  'rdap-server'?: string | undefined;
  'whois-server'?: string | undefined;
  'no-whois'?: boolean | undefined;
  'rdap-cache-only'?: boolean | undefined;
  'rdap-timeout'?: string | undefined;
  'rdap-rate'?: string | undefined;
  'rdap-top'?: string | undefined;
  blocklist?: string[] | undefined;
  'no-blocklists'?: boolean | undefined;
  offline?: boolean | undefined;
}

function integer(flag: string, text: string | undefined, min: number, max: number): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new UserError(`${flag} '${sanitizeText(text, 40)}': expected a whole number from ${min} to ${max}`);
  return Number(text);
}

/** RDAP options, or null when not asked. Validates every flag (UserError). */
export function rdapOptionsFromValues(values: NetworkArgValues, env: NodeJS.ProcessEnv): NetworkLookupOptions | null {
  const cacheOnly = values['rdap-cache-only'] === true || values.offline === true;
  const wanted = values.rdap === true || values['rdap-cache-only'] === true;
  const server = values['rdap-server'];
  if (server !== undefined && !/^https?:\/\/[^\s]+$/i.test(server)) throw new UserError(`--rdap-server '${sanitizeText(server, 200)}': expected an http(s) URL (http://127.0.0.1:8080/)`);
  const whoisServer = values['whois-server'];
  if (whoisServer !== undefined && !parseWhoisServer(whoisServer)) throw new UserError(`--whois-server '${sanitizeText(whoisServer, 200)}': expected HOST or HOST:PORT`);
  const timeoutMs = integer('--rdap-timeout', values['rdap-timeout'], 1, 600_000);
  const rate = integer('--rdap-rate', values['rdap-rate'], 0, 1_000_000);
  if (!wanted) return null;
  const cacheDir = defaultCacheDir(env);
  return {
    bootstrap: loadBootstrap(cacheDir),
    server: server ?? null,
    whoisServer: whoisServer ?? null,
    whois: values['no-whois'] !== true,
    cacheDir: join(cacheDir, 'rdap'),
    cacheOnly,
    ...(timeoutMs !== null ? { timeoutMs } : {}),
    ...(rate !== null ? { ratePerSecond: rate } : {}),
  };
}

/** The cached lists plus --blocklist ones; none with --no-blocklists. */
export async function blocklistsFromValues(values: NetworkArgValues, io: { env: NodeJS.ProcessEnv; cwd: string; warn: (message: string) => void }): Promise<LoadedBlocklist[]> {
  if (values['no-blocklists']) {
    if ((values.blocklist ?? []).length > 0) throw new UserError('--blocklist and --no-blocklists contradict each other');
    return [];
  }
  const cacheDir = defaultCacheDir(io.env);
  const extra = values.blocklist ?? [];
  // No list fetched and none given: the list reader and parser never load.
  if (extra.length === 0 && !existsSync(join(cacheDir, BLOCKLIST_DIR))) return [];
  const { isUrl, loadCachedBlocklists, loadExtraBlocklist } = await import('../blocklist/blocklist-store.js');
  const lists = loadCachedBlocklists(cacheDir, io.warn);
  for (const source of extra) {
    if (values.offline && isUrl(source)) throw new UserError(`--blocklist ${sanitizeText(source, 200)}: a URL is a download, and --offline forbids it (give a file)`);
    try {
      lists.push(await loadExtraBlocklist(source, { cwd: io.cwd, timeoutMs: 60_000, now: () => new Date() }));
    } catch (error) {
      throw new UserError((error as Error).message);
    }
  }
  return lists;
}

export async function networkFindingOptionsFromValues(values: NetworkArgValues, io: { env: NodeJS.ProcessEnv; cwd: string; warn: (message: string) => void }): Promise<NetworkFindingOptions> {
  const rdapTop = integer('--rdap-top', values['rdap-top'], 0, 1_000_000) ?? DEFAULT_RDAP_TOP;
  return { rdap: rdapOptionsFromValues(values, io.env), rdapTop, rdapLimit: Math.max(DEFAULT_RDAP_LIMIT, rdapTop), blocklists: await blocklistsFromValues(values, io) };
}
