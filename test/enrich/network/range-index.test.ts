import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkRegistration } from '../../../src/model/network.js';
import { NETWORK_CACHE_FILE, NetworkCache } from '../../../src/enrich/network/network-cache.js';
import { RangeIndex } from '../../../src/enrich/network/range-index.js';
import { addressText } from '../../../src/net/prefix.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Range {
  id: number;
  start: bigint;
  end: bigint;
  live: boolean;
}

/** The answer by definition: the smallest live range holding the point, the earliest added on a tie. */
function bruteForce(ranges: readonly Range[], point: bigint): number | null {
  let best: Range | null = null;
  for (const range of ranges) {
    if (!range.live || range.start > point || point > range.end) continue;
    if (!best || range.end - range.start < best.end - best.start) best = range;
  }
  return best ? best.id : null;
}

describe('RangeIndex', () => {
  it('agrees with a scan on thousands of nested, overlapping and replaced ranges', () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const index = new RangeIndex<Range>();
      const ranges: Range[] = [];
      // Allocations (/8../16), assignments inside them (/20../28), and ranges at random that overlap without nesting.
      for (let id = 0; id < 3000; id++) {
        const kind = next();
        const bits = kind < 0.2 ? 8 + Math.floor(next() * 9) : kind < 0.8 ? 20 + Math.floor(next() * 9) : 0;
        let start: bigint;
        let end: bigint;
        if (bits > 0) {
          const size = 1n << BigInt(32 - bits);
          start = (BigInt(Math.floor(next() * 2 ** 32)) / size) * size;
          end = start + size - 1n;
        } else {
          start = BigInt(Math.floor(next() * 2 ** 32));
          end = start + BigInt(Math.floor(next() * 2 ** 20));
        }
        const range = { id, start, end, live: next() > 0.1 };
        ranges.push(range);
        index.insert(4, start, end, range);
      }
      // Some ranges are removed again (a newer answer replaces them).
      for (const range of ranges.filter(() => next() < 0.05)) {
        index.remove(4, range.start, range.end);
        for (const other of ranges) if (other.start === range.start && other.end === range.end) other.live = false;
      }
      const points = [...Array(3000)].map(() => BigInt(Math.floor(next() * 2 ** 32)));
      // Points on every range's edges and just outside them.
      for (const range of ranges.slice(0, 500)) points.push(range.start, range.end, range.start - 1n, range.end + 1n);
      for (const point of points) {
        expect(index.find(4, point, (value) => value.live)?.id ?? null, `seed ${seed} point ${point}`).toBe(bruteForce(ranges, point));
      }
      // Nested ranges stay a handful of segments per range.
      expect(index.segmentCount).toBeLessThan(ranges.length * 3);
    }
  });

  it('IPv4 and IPv6 are separate; an empty index answers null', () => {
    const index = new RangeIndex<string>();
    expect(index.find(4, 5n)).toBeNull();
    index.insert(6, 0n, 10n, 'v6');
    expect(index.find(4, 5n)).toBeNull();
    expect(index.find(6, 5n)).toBe('v6');
  });
});

describe('NetworkCache with many cached ranges', () => {
  it('loads 20,000 ranges and answers each address with its most specific unexpired network', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-range-cache-'));
    try {
      const nowMs = Date.parse('2026-12-07T00:00:00Z');
      const network = (name: string): NetworkRegistration => ({ status: 'ok', handle: name, name, range: null, startAddress: null, endAddress: null, country: null, registry: 'APNIC', registered: null, lastChanged: null, org: null, abuse: null, source: 'rdap', url: null, fetchedAt: '2026-12-06T00:00:00.000Z' });
      const entries: object[] = [];
      const live = new Date(nowMs + 86_400_000).toISOString();
      const expired = new Date(nowMs - 1000).toISOString();
      // 200 allocations (/16 from 20.0.0.0 on), each with 99 /24 assignments; every tenth assignment has expired.
      for (let a = 0; a < 200; a++) {
        const base = (20n << 24n) + (BigInt(a) << 16n);
        entries.push({ version: 4, start: String(base), end: String(base + 65535n), expiresAt: live, network: network(`ALLOC-${a}`) });
        for (let b = 0; b < 99; b++) {
          const start = base + (BigInt(b) << 8n);
          entries.push({ version: 4, start: String(start), end: String(start + 255n), expiresAt: b % 10 === 0 ? expired : live, network: network(`ASSIGN-${a}-${b}`) });
        }
      }
      // Shuffled, as a file written by many runs may be.
      entries.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      writeFileSync(join(dir, NETWORK_CACHE_FILE), JSON.stringify({ format: 1, entries }));
      const cache = new NetworkCache(dir);
      expect(cache.size).toBe(20_000);
      for (let a = 0; a < 200; a += 7) {
        for (let b = 0; b < 256; b += 5) {
          const ip = addressText(4, (20n << 24n) + (BigInt(a) << 16n) + (BigInt(b) << 8n) + 77n);
          const expected = b < 99 && b % 10 !== 0 ? `ASSIGN-${a}-${b}` : `ALLOC-${a}`;
          expect(cache.find(ip, nowMs)?.name, ip).toBe(expected);
        }
      }
      expect(cache.find('19.255.255.255', nowMs)).toBeNull();
      // A newer answer for the same range replaces the old one.
      cache.put({ version: 4, start: 20n << 24n, end: (20n << 24n) + 255n }, network('NEWER'), nowMs + 1000);
      expect(cache.find('20.0.0.1', nowMs)?.name).toBe('NEWER');
      expect(cache.size).toBe(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
