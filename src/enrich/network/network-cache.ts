// The RDAP cache, keyed by the range a registry returned: a second address in a cached
// range costs no question. One JSON file, written atomically (temp file + rename);
// answers expire after a TTL. Failures are not cached (a retry next run may succeed).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpVersion } from '../../model/connection.js';
import type { NetworkRegistration } from '../../model/network.js';
import { addressToBigInt } from '../../net/ip-range.js';

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

export class NetworkCache {
  private entries: CacheEntry[] = [];
  private dirty = false;

  constructor(readonly dir: string | null) {
    if (dir) this.load(join(dir, NETWORK_CACHE_FILE));
  }

  private load(path: string): void {
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { format?: number; entries?: CacheFileEntry[] };
      if (data.format !== CACHE_FORMAT || !Array.isArray(data.entries)) return;
      for (const entry of data.entries) {
        if ((entry.version !== 4 && entry.version !== 6) || typeof entry.start !== 'string' || typeof entry.end !== 'string' || !entry.network) continue;
        const expiresAtMs = Date.parse(entry.expiresAt);
        if (Number.isNaN(expiresAtMs) || !/^\d+$/.test(entry.start) || !/^\d+$/.test(entry.end)) continue;
        this.entries.push({ version: entry.version, start: BigInt(entry.start), end: BigInt(entry.end), expiresAtMs, network: entry.network });
      }
    } catch {
      // No cache yet, or an unreadable one: start empty (it is rebuilt as answers come).
    }
  }

  /** The most specific unexpired network containing the address. */
  find(ip: string, nowMs: number): NetworkRegistration | null {
    const address = addressToBigInt(ip);
    if (!address) return null;
    let best: CacheEntry | null = null;
    for (const entry of this.entries) {
      if (entry.version !== address.version || entry.start > address.value || address.value > entry.end || entry.expiresAtMs <= nowMs) continue;
      if (!best || entry.end - entry.start < best.end - best.start) best = entry;
    }
    return best ? best.network : null;
  }

  put(range: { version: IpVersion; start: bigint; end: bigint }, network: NetworkRegistration, expiresAtMs: number): void {
    this.entries = this.entries.filter((entry) => !(entry.version === range.version && entry.start === range.start && entry.end === range.end));
    this.entries.push({ ...range, expiresAtMs, network });
    this.dirty = true;
  }

  /** Writes the cache when it changed; a cache that cannot be written is not an error. */
  save(nowMs: number): void {
    if (!this.dir || !this.dirty) return;
    const entries: CacheFileEntry[] = this.entries
      .filter((entry) => entry.expiresAtMs > nowMs)
      .map((entry) => ({ version: entry.version, start: entry.start.toString(), end: entry.end.toString(), expiresAt: new Date(entry.expiresAtMs).toISOString(), network: entry.network }));
    try {
      mkdirSync(this.dir, { recursive: true });
      const target = join(this.dir, NETWORK_CACHE_FILE);
      const temporary = `${target}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ format: CACHE_FORMAT, entries }));
      renameSync(temporary, target);
      this.dirty = false;
    } catch {
      // Read-only home, full disk: the answers of this run are still used.
    }
  }
}
