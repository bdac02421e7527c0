// The RDAP cache, keyed by the range a registry returned: a second address in a cached
// range costs no question. One JSON file, written atomically (temp file + rename);
// answers expire after a TTL. Failures are not cached (a retry next run may succeed).
// Look-ups go through a range index (one binary search), not a scan of the entries.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpVersion } from '../../model/connection.js';
import type { NetworkRegistration } from '../../model/network.js';
import { addressToBigInt } from '../../net/ip-range.js';
import { RangeIndex } from './range-index.js';
import { writeFileAtomicSync } from '../../output/atomic-write.js';

export const NETWORK_CACHE_FILE = 'networks.json';
export const DEFAULT_NETWORK_TTL_MS = 7 * 24 * 3600 * 1000;
const CACHE_FORMAT = 1;

interface CacheEntry {
  version: IpVersion;
  start: bigint;
  end: bigint;
  expiresAtMs: number;
  network: NetworkRegistration;
}

interface CacheFileEntry {
  version: IpVersion;
  start: string;
  end: string;
  expiresAt: string;
  network: NetworkRegistration;
}

function keyOf(range: { version: IpVersion; start: bigint; end: bigint }): string {
  return `${range.version}:${range.start}:${range.end}`;
}

export class NetworkCache {
  /** By range, for saving and replacing; the index answers look-ups. */
  private readonly entries = new Map<string, CacheEntry>();
  private readonly index = new RangeIndex<CacheEntry>();
  private dirty = false;

  constructor(readonly dir: string | null) {
    if (dir) this.load(join(dir, NETWORK_CACHE_FILE));
  }

  private load(path: string): void {
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { format?: number; entries?: CacheFileEntry[] };
      if (data.format !== CACHE_FORMAT || !Array.isArray(data.entries)) return;
      const loaded: CacheEntry[] = [];
      for (const entry of data.entries) {
        if ((entry.version !== 4 && entry.version !== 6) || typeof entry.start !== 'string' || typeof entry.end !== 'string' || !entry.network) continue;
        const expiresAtMs = Date.parse(entry.expiresAt);
        if (Number.isNaN(expiresAtMs) || !/^\d{1,40}$/.test(entry.start) || !/^\d{1,40}$/.test(entry.end)) continue;
        const start = BigInt(entry.start);
        const end = BigInt(entry.end);
        if (end < start) continue;
        loaded.push({ version: entry.version, start, end, expiresAtMs, network: entry.network });
      }
      // In start order, widest first: each range then lands at the end of the index.
      loaded.sort((a, b) => a.version - b.version || (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
      for (const entry of loaded) this.add(entry);
    } catch {
      // No cache yet, or an unreadable one: start empty (it is rebuilt as answers come).
    }
  }

  private add(entry: CacheEntry): void {
    const key = keyOf(entry);
    if (this.entries.has(key)) this.index.remove(entry.version, entry.start, entry.end);
    this.entries.set(key, entry);
    this.index.insert(entry.version, entry.start, entry.end, entry);
  }

  /** The most specific unexpired network containing the address. */
  find(ip: string, nowMs: number): NetworkRegistration | null {
    const address = addressToBigInt(ip);
    if (!address) return null;
    return this.index.find(address.version, address.value, (entry) => entry.expiresAtMs > nowMs)?.network ?? null;
  }

  put(range: { version: IpVersion; start: bigint; end: bigint }, network: NetworkRegistration, expiresAtMs: number): void {
    this.add({ version: range.version, start: range.start, end: range.end, expiresAtMs, network });
    this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Writes the cache when it changed; a cache that cannot be written is not an error. */
  save(nowMs: number): void {
    if (!this.dir || !this.dirty) return;
    const entries: CacheFileEntry[] = [...this.entries.values()]
      .filter((entry) => entry.expiresAtMs > nowMs)
      .map((entry) => ({ version: entry.version, start: entry.start.toString(), end: entry.end.toString(), expiresAt: new Date(entry.expiresAtMs).toISOString(), network: entry.network }));
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomicSync(join(this.dir, NETWORK_CACHE_FILE), JSON.stringify({ format: CACHE_FORMAT, entries }), { fsync: false });
      this.dirty = false;
    } catch {
      // Read-only home, full disk: the answers of this run are still used.
    }
  }
}
