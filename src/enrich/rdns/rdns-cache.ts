// On-disk cache of reverse-DNS evidence, one JSON file per directory (the XDG
// cache dir, or a case folder). Positive answers live for their TTL, negative
// ones for the SOA-derived TTL (RFC 2308); failures and unsourced negatives are
// stored already expired: an online run asks again, a --dns-cache-only run
// replays them, so an offline report shows exactly what was seen.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RdnsResult, RdnsStatus } from '../../model/attribution.js';
import { sanitizeText } from '../../net/sanitize.js';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../output/atomic-write.js';

export const CACHE_FILE_NAME = 'ptr-cache.json';
const CACHE_FORMAT = 1;
/** Resolvers cap TTLs too (unbound: 1 day by default); a week keeps a case folder useful. */
export const MAX_CACHE_TTL_SECONDS = 7 * 24 * 3600;

export interface CacheEntry {
  result: RdnsResult;
  expiresAt: string;
}

const DEFINITE: ReadonlySet<RdnsStatus> = new Set(['ok', 'nxdomain', 'nodata']);
const STORABLE: ReadonlySet<RdnsStatus> = new Set(['ok', 'nxdomain', 'nodata', 'servfail', 'refused', 'timeout', 'error']);

export class RdnsCache {
  private dirty = false;
  private expiryNowMs = Number.NaN;
  private readonly expiries = new Map<number, string>();

  private constructor(
    readonly file: string,
    private readonly entries: Map<string, CacheEntry>,
    /** The file exists but is not one of ours: never overwrite it. */
    private readonly foreign: boolean,
  ) {}

  /** A missing or unreadable cache is an empty one: it only ever saves work. */
  static async load(dir: string): Promise<RdnsCache> {
    const file = join(dir, CACHE_FILE_NAME);
    const entries = new Map<string, CacheEntry>();
    let text: string | null = null;
    let foreign = false;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // No cache yet: start empty. Anything else (a directory, no permission) is not ours to replace.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') foreign = true;
    }
    if (text !== null) {
      try {
        const parsed = JSON.parse(text) as { format?: unknown; entries?: unknown };
        if (parsed.format !== CACHE_FORMAT || !parsed.entries || typeof parsed.entries !== 'object') throw new Error('not a cache');
        for (const [ip, raw] of Object.entries(parsed.entries as Record<string, unknown>)) {
          const entry = validEntry(raw);
          if (entry) entries.set(ip, entry);
        }
      } catch {
        // Our writes are atomic, so this file is someone else's: read nothing from it, and keep it.
        foreign = true;
      }
    }
    return new RdnsCache(file, entries, foreign);
  }

  /** Why this cache cannot be used (the file is not one of ours), or null. */
  get problem(): string | null {
    return this.foreign ? `${this.file} is not a netsleuth reverse-DNS cache` : null;
  }

  get size(): number {
    return this.entries.size;
  }

  get(ip: string): CacheEntry | undefined {
    return this.entries.get(ip);
  }

  isFresh(entry: CacheEntry, now: Date): boolean {
    return Date.parse(entry.expiresAt) > now.getTime();
  }

  set(ip: string, result: RdnsResult, now: Date): void {
    if (!STORABLE.has(result.status)) return;
    const existing = this.entries.get(ip);
    // A timeout must not erase a name we once had: keep the definite answer as the evidence.
    if (!DEFINITE.has(result.status) && existing && DEFINITE.has(existing.result.status)) return;
    const ttlSeconds = DEFINITE.has(result.status) && result.ttl !== null ? Math.min(Math.max(result.ttl, 0), MAX_CACHE_TTL_SECONDS) : 0;
    this.entries.set(ip, { result, expiresAt: this.expiry(now, ttlSeconds) });
    this.dirty = true;
  }

  /** A batch saves its answers with one `now` and a handful of TTLs: each expiry is written once. */
  private expiry(now: Date, ttlSeconds: number): string {
    if (this.expiryNowMs !== now.getTime()) {
      this.expiryNowMs = now.getTime();
      this.expiries.clear();
    }
    let text = this.expiries.get(ttlSeconds);
    if (text === undefined) this.expiries.set(ttlSeconds, (text = new Date(this.expiryNowMs + ttlSeconds * 1000).toISOString()));
    return text;
  }

  /** Atomic: write a temp file beside the cache, then rename over it. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    if (this.foreign) throw new UserError(`${this.file} is not a netsleuth reverse-DNS cache: not overwriting it (remove it or choose another --dns-cache-dir)`);
    const dir = join(this.file, '..');
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new UserError(`cannot create the reverse-DNS cache directory ${dir}: ${(error as Error).message}`);
    }
    const ordered = [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // One entry per line: readable with grep, and without JSON.stringify's indentation of every field.
    const body = `{"format":${CACHE_FORMAT},"entries":{\n${ordered.map(([ip, entry]) => `${JSON.stringify(ip)}:${JSON.stringify(entry)}`).join(',\n')}\n}}`;
    try {
      await writeFileAtomic(this.file, body + '\n', { mode: 0o600, fsync: false });
    } catch (error) {
      throw new UserError(`cannot write the reverse-DNS cache ${this.file}: ${(error as Error).message}`);
    }
    this.dirty = false;
  }
}

/** The cache file is ours but lives on disk: re-check its shape and re-sanitize its names. */
function validEntry(raw: unknown): CacheEntry | null {
  if (!raw || typeof raw !== 'object') return null;
  const { result, expiresAt } = raw as { result?: unknown; expiresAt?: unknown };
  if (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt)) || !result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  if (typeof r.status !== 'string' || !STORABLE.has(r.status as RdnsStatus) || !Array.isArray(r.names)) return null;
  const clean: RdnsResult = {
    status: r.status as RdnsStatus,
    names: r.names.filter((name): name is string => typeof name === 'string').map((name) => sanitizeText(name)),
    ttl: typeof r.ttl === 'number' ? r.ttl : null,
    server: typeof r.server === 'string' ? sanitizeText(r.server) : null,
  };
  if (r.fcrdns === 'confirmed' || r.fcrdns === 'mismatch' || r.fcrdns === 'unknown') clean.fcrdns = r.fcrdns;
  if (typeof r.queriedAt === 'string') clean.queriedAt = sanitizeText(r.queriedAt);
  if (typeof r.rcode === 'string') clean.rcode = sanitizeText(r.rcode);
  if (typeof r.detail === 'string') clean.detail = sanitizeText(r.detail, 1000);
  return { result: clean, expiresAt };
}
