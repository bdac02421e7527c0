// Reverse DNS entry point. PLACEHOLDER until the dns-packet resolver lands:
// it answers 'skipped' for every address so callers can be wired now.
import type { RdnsResult } from '../../model/attribution.js';
import type { ReverseDnsBatch } from '../../model/services.js';

export const SKIPPED_RDNS: RdnsResult = Object.freeze({ status: 'skipped', names: [], ttl: null, server: null }) as RdnsResult;

export const reverseDnsBatch: ReverseDnsBatch = async (ips) => new Map(ips.map((ip) => [ip, { ...SKIPPED_RDNS, names: [] }]));
