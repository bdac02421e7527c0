// Whom to tell and who else has seen them, from remotes that carry their network
// registration and blocklist hits. Pure: grouping and ordering only.
import type { Analysis, RemoteProfile } from '../model/analysis.js';
import type { BlocklistSection, BlocklistSource, ContactRow, NetworkProblem, NetworkRegistration, NetworkSection } from '../model/network.js';
import { addressToBigInt, parseCidr } from '../net/ip-range.js';

/**
 * The remotes worth an RDAP question: the heaviest `top` and every member of a cluster
 * (prefix, ASN, institution, country; a prefix of /8 or wider says nothing about a network
 * and is skipped), special-purpose ones never, at most `limit`, heaviest first. Questions
 * are asked per network, so a big cluster costs as many questions as it has networks.
 */
export function remotesThatMatter(analysis: Analysis, top: number, limit: number): string[] {
  const chosen = new Set<string>();
  const publicRemotes = analysis.remotes.filter((remote) => !remote.special);
  for (const remote of publicRemotes.slice(0, top)) chosen.add(remote.ip);
  const prefixes = analysis.clusters.filter((cluster) => cluster.kind === 'prefix').flatMap((cluster) => {
    const range = parseCidr(cluster.key);
    // A cluster that is the whole address space says nothing about a network.
    return range && range.end - range.start < (range.version === 4 ? 1n << 24n : 1n << 96n) ? [range] : [];
  });
  const asns = new Set(analysis.clusters.filter((cluster) => cluster.kind === 'asn').map((cluster) => Number(cluster.key)));
  const institutions = new Set(analysis.clusters.filter((cluster) => cluster.kind === 'institution').map((cluster) => cluster.key));
  const countries = new Set(analysis.clusters.filter((cluster) => cluster.kind === 'country').map((cluster) => cluster.key));
  for (const remote of publicRemotes) {
    if (chosen.has(remote.ip)) continue;
    if ((remote.asn !== null && asns.has(remote.asn)) || (remote.institution && institutions.has(remote.institution.name)) || (remote.country !== null && countries.has(remote.country))) {
      chosen.add(remote.ip);
      continue;
    }
    const address = addressToBigInt(remote.ip);
    if (address && prefixes.some((range) => range.version === address.version && range.start <= address.value && address.value <= range.end)) chosen.add(remote.ip);
  }
  return publicRemotes.filter((remote) => chosen.has(remote.ip)).slice(0, limit).map((remote) => remote.ip);
}

function contactKey(network: NetworkRegistration): string | null {
  const abuse = network.abuse;
  if (!abuse) return null;
  return abuse.emails[0] ?? (abuse.handle ? abuse.handle : null);
}

/** One row per abuse contact, heaviest first; networks without one (and failures) as problems. */
export function networkSection(remotes: readonly RemoteProfile[], totalConnections: number, queries: NetworkSection['queries']): NetworkSection {
  const rows = new Map<string, ContactRow>();
  const problems = new Map<string, NetworkProblem>();
  for (const remote of remotes) {
    const network = remote.network;
    if (!network) continue;
    const key = network.status === 'ok' || network.status === 'cached' ? contactKey(network) : null;
    if (key === null || !network.abuse) {
      const status = network.status;
      const detail = status === 'ok' || status === 'cached' ? `${network.name ?? network.handle ?? 'the network'} (${network.range ?? 'range unknown'}) names no abuse contact` : (network.detail ?? status);
      const problemKey = `${status}\u0000${detail}`;
      const problem = problems.get(problemKey) ?? { addresses: [], status, detail, registry: network.registry };
      problem.addresses.push(remote.ip);
      problems.set(problemKey, problem);
      continue;
    }
    let row = rows.get(key);
    if (!row) {
      row = { key, contact: network.abuse, networks: [], addresses: [], connections: 0, share: 0, source: network.source };
      rows.set(key, row);
    }
    if (!row.networks.some((known) => known.registry === network.registry && known.handle === network.handle && known.range === network.range)) {
      row.networks.push({ handle: network.handle, name: network.name, range: network.range, registry: network.registry, country: network.country, url: network.url });
    }
    row.addresses.push(remote.ip);
    row.connections += remote.connections;
  }
  const contacts = [...rows.values()]
    .map((row) => ({ ...row, share: totalConnections > 0 ? row.connections / totalConnections : 0 }))
    .sort((a, b) => b.connections - a.connections || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { contacts, problems: [...problems.values()].sort((a, b) => b.addresses.length - a.addresses.length || a.detail.localeCompare(b.detail)), queries };
}

/** Remotes on at least one list, heaviest first (remotes arrive sorted). */
export function blocklistSection(remotes: readonly RemoteProfile[], lists: BlocklistSource[]): BlocklistSection {
  const hits = remotes.flatMap((remote) => (remote.listedIn && remote.listedIn.length > 0 ? [{ ip: remote.ip, connections: remote.connections, listedIn: remote.listedIn }] : []));
  return { lists, hits };
}
