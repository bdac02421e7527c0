// Per-remote profiles: the aggregate's counters joined with what enrichment learned.
import type { RemoteProfile } from '../model/analysis.js';
import { SKIPPED_RDNS, type IpAttribution, type RdnsResult } from '../model/attribution.js';
import type { TraceVerdict } from '../model/trace.js';
import type { RemoteStats } from './aggregate.js';
import { toStateCounts } from './state-counts.js';

// Heaviest first, ties by port / name; built straight into the profile's entries (runs per remote).
// (Arrays of exactly their length: push would reserve room for 16 entries per remote.)
function portsDescending(stats: RemoteStats): RemoteProfile['localPorts'] {
  let entries: RemoteProfile['localPorts'];
  if (stats.portEntries) entries = stats.portEntries();
  else {
    const ports = stats.localPorts;
    entries = new Array(ports.ports.length);
    for (let i = 0; i < ports.ports.length; i++) entries[i] = { port: ports.ports[i]!, connections: ports.counts[i] ?? 0 };
  }
  if (entries.length > 1) entries.sort((a, b) => b.connections - a.connections || a.port - b.port);
  return entries;
}

function programsDescending(stats: RemoteStats): RemoteProfile['programs'] {
  let entries: RemoteProfile['programs'];
  if (stats.programEntries) entries = stats.programEntries();
  else {
    entries = new Array(stats.programs.size);
    let i = 0;
    for (const [program, connections] of stats.programs) entries[i++] = { program, connections };
  }
  if (entries.length > 1) entries.sort((a, b) => b.connections - a.connections || (a.program < b.program ? -1 : a.program > b.program ? 1 : 0));
  return entries;
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
    localPorts: portsDescending(stats),
    programs: programsDescending(stats),
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
