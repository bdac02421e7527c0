// Per-remote profiles: the aggregate's counters joined with what enrichment learned.
import type { RemoteProfile } from '../model/analysis.js';
import { SKIPPED_RDNS, type IpAttribution, type RdnsResult } from '../model/attribution.js';
import type { TraceVerdict } from '../model/trace.js';
import type { RemoteStats } from './aggregate.js';
import { toStateCounts } from './state-counts.js';

function countsDescending<K extends string | number>(counts: Iterable<[K, number]>): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function buildProfile(
  stats: RemoteStats,
  totalConnections: number,
  attribution: IpAttribution | undefined,
  rdns: RdnsResult | undefined,
  verdict: TraceVerdict | undefined,
): RemoteProfile {
  const profile: RemoteProfile = {
    ip: stats.identity.ip,
    ipVersion: stats.identity.version,
    connections: stats.connections,
    states: toStateCounts(stats.states),
    localPorts: countsDescending(stats.localPorts.entries()).map(([port, connections]) => ({ port, connections })),
    programs: countsDescending(stats.programs).map(([program, connections]) => ({ program, connections })),
    share: totalConnections > 0 ? stats.connections / totalConnections : 0,
    firstCapture: stats.firstCapture,
    lastCapture: stats.lastCapture,
    special: attribution?.special ?? null,
    country: attribution?.country ?? null,
    countryName: attribution?.countryName ?? null,
    city: attribution?.city ?? null,
    latitude: attribution?.latitude ?? null,
    longitude: attribution?.longitude ?? null,
    asn: attribution?.asn ?? null,
    asOrg: attribution?.asOrg ?? null,
    institution: attribution?.institution ?? null,
    rdns: rdns ?? SKIPPED_RDNS,
  };
  if (verdict) profile.verdict = verdict;
  return profile;
}

/** The name a remote goes by (and is grouped under): the curated institution, else its AS organisation. */
export function remoteName(profile: Pick<RemoteProfile, 'institution' | 'asOrg'>): string | null {
  return profile.institution?.name ?? profile.asOrg ?? null;
}
