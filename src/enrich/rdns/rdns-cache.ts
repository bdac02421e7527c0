// On-disk cache of reverse-DNS evidence, one JSON file per directory (the XDG
// cache dir, or a case folder). Positive answers live for their TTL, negative
// ones for the SOA-derived TTL (RFC 2308); failures and unsourced negatives are
// stored already expired: an online run asks again, a --dns-cache-only run
// replays them, so an offline report shows exactly what was seen.
//
// The file is written one entry per line. Reading it is lazy: a file in exactly that
// layout is indexed by line (address -> the entry's JSON text) and an entry is parsed
// and re-checked only when asked for; entries never asked for are written back as they
// were read. Any other layout (an older writer, a hand edit) is parsed whole, as JSON.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RdnsResult, RdnsStatus } from '../../model/attribution.js';
import { MAX_UNTRUSTED_LENGTH, sanitizeText } from '../../net/sanitize.js';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../output/atomic-write.js';

export const CACHE_FILE_NAME = 'ptr-cache.json';
const CACHE_FORMAT = 1;
const FILE_HEAD = `{"format":${CACHE_FORMAT},"entries":{\n`;
const FILE_TAIL = '\n}}\n';
/** Resolvers cap TTLs too (unbound: 1 day by default); a week keeps a case folder useful. */
export const MAX_CACHE_TTL_SECONDS = 7 * 24 * 3600;
/** The piece of the file handed to the writer at a time. */
const WRITE_PIECE_BYTES = 64 * 1024;

export interface CacheEntry {
  result: RdnsResult;
  expiresAt: string;
  /** expiresAt as epoch milliseconds (read once). */
  expiresAtMs: number;
}

const DEFINITE: ReadonlySet<RdnsStatus> = new Set(['ok', 'nxdomain', 'nodata']);
const STORABLE: ReadonlySet<RdnsStatus> = new Set(['ok', 'nxdomain', 'nodata', 'servfail', 'refused', 'timeout', 'error']);

/** An entry as read (its JSON text, parsed on first use) or as parsed/set. */
type Stored = string | CacheEntry;

export class RdnsCache {
  private dirty = false;
  private expiryNowMs = Number.NaN;
  private readonly expiries = new Map<number, string>();

  private constructor(
    readonly file: string,
    private readonly entries: Map<string, Stored>,
    /** The file exists but is not one of ours: never overwrite it. */
    private readonly foreign: boolean,
  ) {}

  /** A missing or unreadable cache is an empty one: it only ever saves work. */
  static async load(dir: string): Promise<RdnsCache> {
    const file = join(dir, CACHE_FILE_NAME);
    let text: string | null = null;
    let foreign = false;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // No cache yet: start empty. Anything else (a directory, no permission) is not ours to replace.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') foreign = true;
    }
    let entries = new Map<string, Stored>();
    if (text !== null) {
      const indexed = indexLines(text);
      if (indexed) entries = indexed;
      else {
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
    }
    return new RdnsCache(file, entries, foreign);
  }

  /** Why this cache cannot be used (the file is not one of ours), or null. */
  get problem(): string | null {
    return this.foreign ? `${this.file} is not a netsleuth reverse-DNS cache` : null;
  }

  /** Entries in the file, counting those not read yet (an unusable one is dropped when first read). */
  get size(): number {
    return this.entries.size;
  }

  get(ip: string): CacheEntry | undefined {
    const stored = this.entries.get(ip);
    if (typeof stored !== 'string') return stored;
    let entry: CacheEntry | null = null;
    try {
      entry = validEntry(JSON.parse(stored));
    } catch {
      // A line that is not JSON is no evidence: dropped like any other unusable entry.
    }
    if (entry) this.entries.set(ip, entry);
    else this.entries.delete(ip);
    return entry ?? undefined;
  }

  isFresh(entry: CacheEntry, now: Date): boolean {
    return entry.expiresAtMs > now.getTime();
  }

  set(ip: string, result: RdnsResult, now: Date): void {
    if (!STORABLE.has(result.status)) return;
    const existing = this.entries.has(ip) ? this.get(ip) : undefined;
    // A timeout must not erase a name we once had: keep the definite answer as the evidence.
    if (!DEFINITE.has(result.status) && existing && DEFINITE.has(existing.result.status)) return;
    const ttlSeconds = DEFINITE.has(result.status) && result.ttl !== null ? Math.min(Math.max(result.ttl, 0), MAX_CACHE_TTL_SECONDS) : 0;
    const expiresAtMs = now.getTime() + ttlSeconds * 1000;
    this.entries.set(ip, { result, expiresAt: this.expiry(now, ttlSeconds), expiresAtMs });
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
    try {
      await writeFileAtomic(this.file, this.fileText(), { mode: 0o600, fsync: false });
    } catch (error) {
      throw new UserError(`cannot write the reverse-DNS cache ${this.file}: ${(error as Error).message}`);
    }
    this.dirty = false;
  }

  /**
   * One entry per line, by address: readable with grep, and the layout load() indexes without
   * parsing. Lines go straight into one reused piece of WRITE_PIECE_BYTES (the writer writes each
   * piece before it asks for the next), so a large cache costs no text of the whole file, no list of
   * its lines and no fresh buffer per piece.
   */
  private *fileText(): Generator<Uint8Array> {
    const keys = [...this.entries.keys()].sort();
    const piece = Buffer.allocUnsafe(WRITE_PIECE_BYTES);
    let used = piece.write(FILE_HEAD, 0, 'latin1');
    for (let index = 0; index < keys.length; index++) {
      const ip = keys[index] as string;
      const stored = this.entries.get(ip) as Stored;
      const line = `${index > 0 ? ',\n' : ''}${jsonText(ip)}:${typeof stored === 'string' ? stored : entryText(stored)}`;
      // At most 3 UTF-8 bytes per UTF-16 unit.
      if (used + line.length * 3 > piece.length) {
        yield piece.subarray(0, used);
        used = 0;
      }
      if (line.length * 3 > piece.length) yield Buffer.from(line);
      else used += piece.write(line, used);
    }
    if (used + FILE_TAIL.length > piece.length) {
      yield piece.subarray(0, used);
      used = 0;
    }
    used += piece.write(FILE_TAIL, used, 'latin1');
    yield piece.subarray(0, used);
  }
}

/** Text JSON.stringify would escape: quotes, backslashes (escaped PTR names have them), controls, lone surrogates. */
const NEEDS_JSON_ESCAPES = /["\\\u0000-\u001f\ud800-\udfff]/;
const jsonText = (text: string) => (NEEDS_JSON_ESCAPES.test(text) ? JSON.stringify(text) : `"${text}"`);

/** An answer's result as ptrEvidence and validEntry build it: these keys, in this order. */
const ANSWER_KEYS = ['status', 'names', 'ttl', 'server', 'queriedAt', 'rcode'];

/** The result has exactly ANSWER_KEYS, in that order (JSON.stringify writes keys in insertion order). */
function hasAnswerKeys(result: RdnsResult): boolean {
  let index = 0;
  for (const key in result) if (key !== ANSWER_KEYS[index++]) return false;
  return index === ANSWER_KEYS.length;
}

/**
 * JSON.stringify({ result, expiresAt }), byte for byte. An answer's result with one name is
 * written by hand (JSON.stringify costs several times as much per entry); any other shape goes
 * through JSON.stringify.
 */
function entryText(entry: CacheEntry): string {
  const { result, expiresAt } = entry;
  const { names, ttl, server, queriedAt, rcode } = result;
  if (names.length !== 1 || typeof queriedAt !== 'string' || typeof rcode !== 'string' || !(ttl === null || Number.isFinite(ttl)) || !hasAnswerKeys(result)) {
    return JSON.stringify({ result, expiresAt });
  }
  return `{"result":{"status":"${result.status}","names":[${jsonText(names[0] as string)}],"ttl":${ttl},"server":${server === null ? 'null' : jsonText(server)},"queriedAt":${jsonText(queriedAt)},"rcode":${jsonText(rcode)}},"expiresAt":${jsonText(expiresAt)}}`;
}

/**
 * The file as save() writes it: the head line, then `"address":{"result":...}` lines joined
 * by ",\n", then the tail. Each entry's text is kept unparsed. Null for any other layout.
 */
function indexLines(text: string): Map<string, string> | null {
  if (!text.startsWith(FILE_HEAD) || !text.endsWith(FILE_TAIL)) return null;
  const entries = new Map<string, string>();
  const end = text.length - FILE_TAIL.length;
  let start = FILE_HEAD.length;
  while (start < end) {
    let stop = text.indexOf('\n', start);
    if (stop < 0 || stop > end) stop = end;
    // Every line but the last ends with the comma that separates it from the next.
    const valueEnd = stop < end ? stop - 1 : stop;
    if (stop < end && text.charCodeAt(valueEnd) !== 0x2c) return null;
    // An address key is plain ASCII: no escapes before its closing quote.
    const keyEnd = text.indexOf('":{', start);
    if (text.charCodeAt(start) !== 0x22 || keyEnd < 0 || keyEnd >= valueEnd || text.charCodeAt(valueEnd - 1) !== 0x7d) return null;
    const key = text.slice(start + 1, keyEnd);
    if (key.includes('\\') || key.includes('"') || entries.has(key)) return null;
    entries.set(key, text.slice(keyEnd + 2, valueEnd));
    start = stop + 1;
  }
  return entries;
}

/** Text that sanitizeText would change (controls, ANSI, bidi/zero-width formatting) or cut. */
const NEEDS_SANITIZING = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const clean = (text: string, maxLength?: number) => (text.length <= (maxLength ?? MAX_UNTRUSTED_LENGTH) && !NEEDS_SANITIZING.test(text) ? text : sanitizeText(text, maxLength));

/** The cache file is ours but lives on disk: re-check its shape and re-sanitize its names. */
function validEntry(raw: unknown): CacheEntry | null {
  if (!raw || typeof raw !== 'object') return null;
  const { result, expiresAt } = raw as { result?: unknown; expiresAt?: unknown };
  if (typeof expiresAt !== 'string' || !result || typeof result !== 'object') return null;
  const expiresAtMs = Date.parse(expiresAt);
  if (Number.isNaN(expiresAtMs)) return null;
  const r = result as Record<string, unknown>;
  if (typeof r.status !== 'string' || !STORABLE.has(r.status as RdnsStatus) || !Array.isArray(r.names)) return null;
  const validResult: RdnsResult = {
    status: r.status as RdnsStatus,
    names: r.names.filter((name): name is string => typeof name === 'string').map((name) => clean(name)),
    ttl: typeof r.ttl === 'number' ? r.ttl : null,
    server: typeof r.server === 'string' ? clean(r.server) : null,
  };
  if (r.fcrdns === 'confirmed' || r.fcrdns === 'mismatch' || r.fcrdns === 'unknown') validResult.fcrdns = r.fcrdns;
  if (typeof r.queriedAt === 'string') validResult.queriedAt = clean(r.queriedAt);
  if (typeof r.rcode === 'string') validResult.rcode = clean(r.rcode);
  if (typeof r.detail === 'string') validResult.detail = clean(r.detail, 1000);
  return { result: validResult, expiresAt, expiresAtMs };
}
