// What every cluster reports about its members: states, remote count, and the
// most common countries / ASNs / AS organisations (weighted by connections).
import type { Cluster, ClusterKind, RemoteProfile } from '../model/analysis.js';
import type { RemoteStats } from './aggregate.js';
import { addStates, newStateArray, toStateCounts } from './state-counts.js';
import { Tally } from './tally.js';
import { remoteName } from './profiles.js';

export interface Member {
  stats: RemoteStats;
  profile: RemoteProfile;
}

const SUMMARY_LIMIT = 3;

/**
 * @param label the cluster's label, or null to derive one from `labelMembers` (prefix clusters:
 *   the members of its own part, so that 0.0.0.0/0 is named after what is left, not after the
 *   heavy sub-prefixes already reported on their own).
 */
export function summarizeMembers(
  kind: ClusterKind,
  key: string,
  label: string | null,
  members: Member[],
  totalConnections: number,
  labelMembers: Member[] = members,
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
  }
  let labelConnections = 0;
  const labelCountries = new Tally<string>();
  // One AS behind the whole label (a prefix inside one route): the label names it.
  let labelAsn: number | null | undefined;
  if (label === null) {
    for (const { stats, profile } of labelMembers) {
      labelAsn = labelAsn === undefined || labelAsn === profile.asn ? profile.asn : null;
      labelConnections += stats.connections;
      const name = remoteName(profile);
      if (name) names.add(name, stats.connections);
      if (profile.country) labelCountries.add(profile.country, stats.connections);
    }
  }
  const topCountries = countries.top(SUMMARY_LIMIT);
  const topName = names.top(1)[0];
  // Say so when the largest name is not most of the cluster ("OVH SAS and others").
  const mixed = topName !== undefined && (names.counts.get(topName) ?? 0) * 2 < labelConnections;
  const asPart = labelAsn === undefined || labelAsn === null ? '' : `AS${labelAsn} `;
  const fallbackLabel = [topName === undefined ? undefined : `${asPart}${topName}${mixed ? ' and others' : ''}`, labelCountries.top(1)[0]].filter((part) => part !== undefined).join(', ');
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
