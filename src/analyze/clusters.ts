// Clusters: Aguri prefixes plus groupings by ASN, institution and country; and
// the full country / institution breakdowns the report tables show.
import type { Analysis, Cluster, ClusterKind } from '../model/analysis.js';
import type { InstitutionType, RoutePrefix } from '../model/attribution.js';
import { summarizeMembers, type Member } from './cluster-members.js';
import { v4Mask, v6Mask } from '../net/prefix.js';
import { aguriPrefixes, formatPrefix, type PrefixHit, type PrefixLeaf } from './prefix-clusters.js';
import { Tally } from './tally.js';
import { remoteName } from './profiles.js';

const KIND_ORDER: Record<ClusterKind, number> = { prefix: 0, asn: 1, institution: 2, country: 3 };

export interface ClusterResult {
  clusters: Cluster[];
  /** Members of each cluster, parallel to `clusters` (the timeline needs them). */
  members: Member[][];
  countries: Analysis['countries'];
  institutions: Analysis['institutions'];
}

function compareKeys(a: Cluster, b: Cluster, hits: Map<Cluster, PrefixHit>): number {
  const ha = hits.get(a);
  const hb = hits.get(b);
  if (ha && hb) {
    if (ha.version !== hb.version) return ha.version - hb.version;
    if (ha.network !== hb.network) return ha.network < hb.network ? -1 : 1;
    return ha.length - hb.length;
  }
  if (a.kind === 'asn' && b.kind === 'asn') return Number(a.key) - Number(b.key);
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Members sharing one key, by their index in the members list, with their connections summed. */
interface Group {
  indices: number[];
  connections: number;
}

function groupBy<K>(members: Member[], keyOf: (profile: Member['profile']) => K | null): Map<K, Group> {
  const groups = new Map<K, Group>();
  for (let index = 0; index < members.length; index++) {
    const { profile, stats } = members[index]!;
    const key = keyOf(profile);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) {
      group.indices.push(index);
      group.connections += stats.connections;
    } else groups.set(key, { indices: [index], connections: stats.connections });
  }
  return groups;
}

/**
 * Members under each reported prefix, and its own part (members whose deepest reported prefix
 * it is), in one pass: per member, one lookup per distinct reported prefix length. Linear in
 * members even when a tiny threshold reports thousands of prefixes.
 */
function assignMembers(hits: PrefixHit[], members: Member[]): { inside: Member[][]; own: Member[][] } {
  // IPv4 prefixes per length, keyed by the network as a signed 32-bit integer (a small-integer
  // key: a length * 2^32 + network key was a heap number per lookup); IPv6 by text.
  const v4Index = new Map<number, Map<number, number>>();
  const v6Index = new Map<string, number>();
  const lengths = { 4: new Set<number>(), 6: new Set<number>() };
  hits.forEach((hit, i) => {
    if (hit.version === 4) {
      let networks = v4Index.get(hit.length);
      if (!networks) v4Index.set(hit.length, (networks = new Map()));
      networks.set(Number(hit.network) | 0, i);
    } else {
      v6Index.set(`${hit.length}/${hit.network}`, i);
    }
    lengths[hit.version].add(hit.length);
  });
  const deepestFirst = (set: Set<number>) => [...set].sort((a, b) => b - a);
  const v4Lengths = deepestFirst(lengths[4]).map((length) => ({ mask: v4Mask(length), networks: v4Index.get(length)! }));
  const v6Lengths = deepestFirst(lengths[6]).map((length) => ({ length, mask: v6Mask(length) }));
  const inside: Member[][] = hits.map(() => []);
  const own: Member[][] = hits.map(() => []);
  for (const member of members) {
    const { v4, v6 } = member.stats.identity;
    let deepest = true;
    const place = (i: number | undefined) => {
      if (i === undefined) return;
      inside[i]!.push(member);
      if (deepest) own[i]!.push(member);
      deepest = false;
    };
    if (v4 >= 0) for (const { mask, networks } of v4Lengths) place(networks.get(v4 & mask));
    else if (v6 !== null) for (const { length, mask } of v6Lengths) place(v6Index.get(`${length}/${v6 & mask}`));
  }
  return { inside, own };
}

/**
 * @param routes routed block per address: prefix clusters stay inside them, and an address no
 *   route covers is not aggregated at all. Absent: the walk may climb to /0.
 */
export function buildClusters(members: Member[], totalConnections: number, threshold: number, routes?: ReadonlyMap<string, RoutePrefix | null>): ClusterResult {
  const v4: PrefixLeaf[] = [];
  const v6: PrefixLeaf[] = [];
  const capOf = (ip: string, bits: number): number => (routes ? (routes.get(ip)?.length ?? bits) : 0);
  for (const { stats } of members) {
    const { identity } = stats;
    if (identity.v4 >= 0) v4.push({ address: identity.v4, connections: stats.connections, cap: capOf(identity.ip, 32) });
    else if (identity.v6 !== null) v6.push({ address: identity.v6, connections: stats.connections, cap: capOf(identity.ip, 128) });
  }
  const clusters: Cluster[] = [];
  const clusterMembers = new Map<Cluster, Member[]>();
  const hitOf = new Map<Cluster, PrefixHit>();

  const hits = aguriPrefixes(v4, v6, totalConnections, threshold);
  const { inside, own } = assignMembers(hits, members);
  for (const [index, hit] of hits.entries()) {
    const cluster = summarizeMembers('prefix', formatPrefix(hit), null, inside[index]!, totalConnections, own[index]!);
    cluster.ownConnections = hit.ownConnections;
    clusters.push(cluster);
    clusterMembers.set(cluster, inside[index]!);
    hitOf.set(cluster, hit);
  }

  const minConnections = threshold * totalConnections;
  const membersOf = (group: Group): Member[] => group.indices.map((index) => members[index]!);
  const addGroups = <K>(kind: ClusterKind, groups: Map<K, Group>, labelOf: (group: Group, key: string) => string) => {
    for (const [key, group] of groups) {
      if (group.connections < minConnections || totalConnections === 0) continue;
      const text = String(key);
      const inside = membersOf(group);
      const cluster = summarizeMembers(kind, text, labelOf(group, text), inside, totalConnections);
      clusters.push(cluster);
      clusterMembers.set(cluster, inside);
    }
  };
  const topOf = (group: Group, pick: (profile: Member['profile']) => string | null | undefined): string | undefined => {
    const tally = new Tally<string>();
    for (const index of group.indices) {
      const { profile, stats } = members[index]!;
      const value = pick(profile);
      if (value) tally.add(value, stats.connections);
    }
    return tally.top(1)[0];
  };

  // ASNs keyed by number: the key's text is made only for the clusters reported.
  const byAsn = groupBy(members, (profile) => profile.asn);
  const byInstitution = groupBy(members, (profile) => remoteName(profile));
  const byCountry = groupBy(members, (profile) => profile.country);
  addGroups('asn', byAsn, (group, key) => topOf(group, (profile) => profile.asOrg) ?? `AS${key}`);
  addGroups('institution', byInstitution, (_group, key) => key);
  addGroups('country', byCountry, (group, key) => topOf(group, (profile) => profile.countryName) ?? key);

  clusters.sort((a, b) => b.connections - a.connections || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareKeys(a, b, hitOf));

  const countries: Analysis['countries'] = [...byCountry].map(([country, group]) => ({
    country,
    countryName: topOf(group, (profile) => profile.countryName) ?? country,
    connections: group.connections,
    remotes: group.indices.length,
  }));
  countries.sort((a, b) => b.connections - a.connections || (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));

  const institutions: Analysis['institutions'] = [...byInstitution].map(([name, group]) => {
    const asns = new Tally<number>();
    const types = new Tally<InstitutionType>();
    for (const index of group.indices) {
      const { profile, stats } = members[index]!;
      if (profile.asn !== null) asns.add(profile.asn, stats.connections);
      types.add(profile.institution?.type ?? 'unknown', stats.connections);
    }
    return {
      asn: asns.top(1)[0] ?? null,
      name,
      type: types.top(1)[0] ?? 'unknown',
      country: topOf(group, (profile) => profile.country) ?? null,
      connections: group.connections,
      remotes: group.indices.length,
    };
  });
  institutions.sort((a, b) => b.connections - a.connections || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return { clusters, members: clusters.map((cluster) => clusterMembers.get(cluster) ?? []), countries, institutions };
}
