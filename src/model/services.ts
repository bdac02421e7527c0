// Interfaces of the enrichment services, so layers can be wired (and faked in tests)
// without importing each other's implementations.
import type { DataSource, IpAttribution, RdnsResult, RoutePrefix } from './attribution.js';

export interface GeoLookup {
  /** Synchronous once opened; never throws for an unknown or invalid address. */
  lookup(ip: string): IpAttribution;
  /** The routed block that holds the address, or null when no data covers it. Absent: no route data at all. */
  route?(ip: string): RoutePrefix | null;
  readonly sources: readonly DataSource[];
}

export interface RdnsProgress {
  done: number;
  total: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}

export interface ReverseDnsOptions {
  /** 'HOST[:PORT]' strings; empty means /etc/resolv.conf. */
  servers: string[];
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  /** Queries per second, 0 = unlimited. */
  rateLimit?: number;
  /** Cache directory; null disables the on-disk cache. */
  cacheDir?: string | null;
  cacheOnly?: boolean;
  /** Resolve each PTR name's A/AAAA and set fcrdns. */
  forwardConfirm?: boolean;
  onProgress?: (progress: RdnsProgress) => void;
  /** Clock, for reproducible evidence timestamps and TTL checks. */
  now?: () => Date;
  /** Stops the batch (the TUI quitting, say): unanswered addresses come back 'skipped' with detail 'cancelled'. */
  signal?: AbortSignal;
}

export type ReverseDnsBatch = (ips: readonly string[], options: ReverseDnsOptions) => Promise<Map<string, RdnsResult>>;
