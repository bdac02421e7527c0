// "Across hosts": which hosts saw each remote and cluster, per-host totals and timelines, and
// the sources (addresses, prefixes, ASNs, institutions) seen on two or more hosts. Pure: the
// analysis and the store's per-remote-and-host rows in, the report's fleet section out.
import type { Analysis, Cluster, RemoteProfile } from '../model/analysis.js';
import type { FleetHost, FleetSection, FleetSource, FleetSourceKind, HostSighting } from '../model/fleet.js';
import { inRange, parseCidr } from '../net/cidr.js';
import type { FleetData, FleetSelection, RemoteHostRow } from './fleet-read.js';
import { remoteName } from '../analyze/profiles.js';

const SOURCE_KINDS: Partial<Record<Cluster['kind'], FleetSourceKind>> = { prefix: 'prefix', asn: 'asn', institution: 'institution' };
const KIND_ORDER: Record<FleetSourceKind, number> = { address: 0, prefix: 1, asn: 2, institution: 3 };

interface Sighting {
  firstMs: number;
  lastMs: number;
  connections: number;
}

/** Fills `hosts` on every remote and cluster of `analysis` and returns the fleet section. */
export function buildFleetSection(analysis: Analysis, data: FleetData, selection: FleetSelection, store: string): FleetSection {
  const byRemote = new Map<string, RemoteHostRow[]>();
  for (const row of data.remoteHosts) {
    const rows = byRemote.get(row.remote);
    if (rows) rows.push(row);
    else byRemote.set(row.remote, [row]);
  }
  const sources: FleetSource[] = [];
  for (const remote of analysis.remotes) {
    const rows = byRemote.get(remote.ip) ?? [];
    remote.hosts = rows.map((row) => row.host).sort();
    if (rows.length >= 2) sources.push(source('address', remote.ip, remote.asOrg ?? remote.countryName ?? remote.ip, merge([rows])));
  }
  for (const cluster of analysis.clusters) {
    const members = clusterMembers(cluster, analysis.remotes);
    const sightings = merge(members.map((remote) => byRemote.get(remote.ip) ?? []));
    cluster.hosts = [...sightings.keys()].sort();
    const kind = SOURCE_KINDS[cluster.kind];
    if (kind && sightings.size >= 2 && !(kind === 'prefix' && tooBroad(cluster.key))) sources.push(source(kind, cluster.key, cluster.label, sightings));
  }
  sources.sort(
    (a, b) => b.hosts.length - a.hosts.length || b.connections - a.connections || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    store,
    selection: {
      hosts: [...selection.hosts],
      since: selection.sinceMs === null ? null : new Date(selection.sinceMs).toISOString(),
      until: selection.untilMs === null ? null : new Date(selection.untilMs).toISOString(),
    },
    bucketMs: data.bucketMs,
    hosts: fleetHosts(data),
    sources,
  };
}

/**
 * Aguri's remainder prefixes (0.0.0.0/1 holds whatever is left of half the Internet) group
 * unrelated networks: that such a prefix reached several hosts says nothing.
 */
function tooBroad(prefix: string): boolean {
  const length = Number(prefix.slice(prefix.lastIndexOf('/') + 1));
  return prefix.includes(':') ? length < 32 : length < 8;
}

function fleetHosts(data: FleetData): FleetHost[] {
  const hosts = new Map<string, FleetHost & { firstMs: number; lastMs: number }>();
  // Snapshots arrive in time order: each host's series is its own snapshots, in order.
  for (const snapshot of data.snapshots) {
    let host = hosts.get(snapshot.host);
    if (!host) {
      host = { name: snapshot.host, captures: 0, firstCapture: null, lastCapture: null, connections: 0, series: [], firstMs: 0, lastMs: 0 };
      hosts.set(snapshot.host, host);
    }
    host.captures++;
    host.connections += snapshot.connections;
    host.series.push(snapshot.connections);
    if (snapshot.capturedMs > 0) {
      if (host.firstMs === 0 || snapshot.capturedMs < host.firstMs) host.firstMs = snapshot.capturedMs;
      if (snapshot.capturedMs > host.lastMs) host.lastMs = snapshot.capturedMs;
    }
  }
  return [...hosts.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ firstMs, lastMs, ...host }) => ({ ...host, firstCapture: iso(firstMs), lastCapture: iso(lastMs) }));
}

function merge(groups: RemoteHostRow[][]): Map<string, Sighting> {
  const byHost = new Map<string, Sighting>();
  for (const rows of groups) {
    for (const row of rows) {
      const seen = byHost.get(row.host);
      if (!seen) {
        byHost.set(row.host, { firstMs: row.firstMs, lastMs: row.lastMs, connections: row.connections });
        continue;
      }
      seen.firstMs = earlier(seen.firstMs, row.firstMs);
      seen.lastMs = Math.max(seen.lastMs, row.lastMs);
      seen.connections += row.connections;
    }
  }
  return byHost;
}

/** The earlier of two times, 0 (unknown) only when both are. */
function earlier(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return Math.min(a, b);
}

function source(kind: FleetSourceKind, key: string, label: string, sightings: Map<string, Sighting>): FleetSource {
  const hosts: HostSighting[] = [...sightings]
    .map(([host, seen]) => ({ host, firstSeen: iso(seen.firstMs), lastSeen: iso(seen.lastMs), connections: seen.connections }))
    .sort((a, b) => b.connections - a.connections || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  return { kind, key, label, connections: hosts.reduce((sum, host) => sum + host.connections, 0), hosts };
}

/** Sighting times repeat (a fleet's snapshots share a few thousand times): each is formatted once. */
const isoTexts = new Map<number, string>();

function iso(ms: number): string | null {
  if (ms <= 0) return null;
  let text = isoTexts.get(ms);
  if (text === undefined) {
    if (isoTexts.size >= 100_000) isoTexts.clear();
    text = new Date(ms).toISOString();
    isoTexts.set(ms, text);
  }
  return text;
}

/** The remotes a cluster stands for, by the rule that built it (analyze/clusters.ts). */
function clusterMembers(cluster: Cluster, remotes: readonly RemoteProfile[]): RemoteProfile[] {
  switch (cluster.kind) {
    case 'asn':
      return remotes.filter((remote) => remote.asn !== null && String(remote.asn) === cluster.key);
    case 'institution':
      return remotes.filter((remote) => remoteName(remote) === cluster.key);
    case 'country':
      return remotes.filter((remote) => remote.country === cluster.key);
    case 'prefix': {
      const contains = prefixTest(cluster.key);
      return contains ? remotes.filter((remote) => contains(remote.ip)) : [];
    }
  }
}

function prefixTest(prefix: string): ((ip: string) => boolean) | null {
  const range = parseCidr(prefix);
  return range ? (ip) => inRange(ip, range) : null;
}
