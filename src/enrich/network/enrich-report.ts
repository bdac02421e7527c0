// The edge that adds "whom to contact" and "known elsewhere" to a finished report:
// RDAP/whois for the remotes that matter (only when asked), blocklist matching for
// every remote (offline, from the lists in the cache and --blocklist).
import type { RemoteProfile } from '../../model/analysis.js';
import type { BlocklistHit, NetworkRegistration } from '../../model/network.js';
import type { Report } from '../../model/report.js';
import { blocklistSection, networkSection, remotesThatMatter } from '../../analyze/network-findings.js';
import { BlocklistIndex } from '../blocklist/blocklist-index.js';
import type { LoadedBlocklist } from '../blocklist/blocklist-store.js';
import { lookupNetworks, type NetworkLookupOptions } from './lookup-networks.js';

export interface NetworkFindingOptions {
  /** null: RDAP not asked (the default; --rdap turns it on). */
  rdap: NetworkLookupOptions | null;
  /** How many of the heaviest remotes are asked about besides cluster members. */
  rdapTop: number;
  /** Upper bound on the addresses asked about (one question per distinct network). */
  rdapLimit: number;
  /** The lists in use; empty = no "Known elsewhere" section. */
  blocklists: LoadedBlocklist[];
}

/** Blocklist hits for each address (ASN lists match the remote's ASN). */
export function matchBlocklists(remotes: readonly { ip: string; asn: number | null }[], lists: readonly LoadedBlocklist[]): Map<string, BlocklistHit[]> {
  const index = new BlocklistIndex(lists.map((list) => ({ name: list.source.name, fetchedAt: list.source.fetchedAt, entries: list.entries })));
  const hits = new Map<string, BlocklistHit[]>();
  for (const remote of remotes) hits.set(remote.ip, index.lookup(remote.ip, remote.asn));
  return hits;
}

export async function addNetworkFindings(report: Report, options: NetworkFindingOptions): Promise<Report> {
  if (!options.rdap && options.blocklists.length === 0) return report;
  const analysis = report.analysis;
  let networks = new Map<string, NetworkRegistration>();
  let queries = { rdap: 0, whois: 0, cached: 0 };
  if (options.rdap) {
    const ips = remotesThatMatter(analysis, options.rdapTop, options.rdapLimit);
    const result = await lookupNetworks(ips, options.rdap);
    networks = result.networks;
    queries = result.stats;
  }
  const hits = options.blocklists.length > 0 ? matchBlocklists(analysis.remotes, options.blocklists) : new Map<string, BlocklistHit[]>();
  const remotes: RemoteProfile[] = analysis.remotes.map((remote) => {
    const updated: RemoteProfile = { ...remote };
    if (options.rdap) {
      const network = networks.get(remote.ip);
      if (network) updated.network = network;
    }
    if (options.blocklists.length > 0) updated.listedIn = hits.get(remote.ip) ?? [];
    return updated;
  });
  const next: Report = { ...report, analysis: { ...analysis, remotes } };
  if (options.rdap) next.networks = networkSection(remotes, analysis.totals.connections, queries);
  if (options.blocklists.length > 0) next.blocklists = blocklistSection(remotes, options.blocklists.map((list) => list.source));
  return next;
}
