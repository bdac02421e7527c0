// What every cluster reports about its members: states, remote count, and the
// most common countries / ASNs / AS organisations (weighted by connections).
import type { Cluster, ClusterKind, RemoteProfile } from '../model/analysis.js';
import type { RemoteStats } from './aggregate.js';
import { addStates, newStateArray, toStateCounts } from './state-counts.js';
import { Tally } from './tally.js';

export interface Member {
  stats: RemoteStats;
  profile: RemoteProfile;
}

const SUMMARY_LIMIT = 3;

export function summarizeMembers(
  kind: ClusterKind,
  key: string,
  label: string | null,
  members: Member[],
  totalConnections: number,
): Cluster {
  const states = newStateArray();
  const countries = new Tally<string>();
  const asns = new Tally<number>();
  const asOrgs = new Tally<string>();
  const names = new Tally<string>();
  let connections = 0;
  for (const { stats, profile } of members) {
    connections += stats.connections;
    addStates(states, stats.states);
    if (profile.country) countries.add(profile.country, stats.connections);
    if (profile.asn !== null) asns.add(profile.asn, stats.connections);
    if (profile.asOrg) asOrgs.add(profile.asOrg, stats.connections);
    if (label === null) {
      const name = profile.institution?.name ?? profile.asOrg;
      if (name) names.add(name, stats.connections);
    }
  }
  const topCountries = countries.top(SUMMARY_LIMIT);
  const fallbackLabel = [names.top(1)[0], topCountries[0]].filter((part) => part !== undefined).join(', ');
  return {
    kind,
    key,
    label: label ?? (fallbackLabel || 'unattributed'),
    connections,
    share: totalConnections > 0 ? connections / totalConnections : 0,
    remotes: members.length,
    states: toStateCounts(states),
    summary: { countries: topCountries, asns: asns.top(SUMMARY_LIMIT), asOrgs: asOrgs.top(SUMMARY_LIMIT) },
  };
}
