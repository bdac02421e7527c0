// `lookup`'s network and listedIn fields: RDAP/whois for every valid public address
// (when asked), blocklist entries for each (when lists are in use). Each row gets them
// on its way to the (streaming) writer, so the command's output code stays about output.
import type { ExtraCsvColumns, LookupWriter } from '../../commands/lookup-render.js';
import type { NetworkRegistration } from '../../model/network.js';
import { specialRange } from '../../net/special-ranges.js';
import { listedInJson, networkJson, type NetworkJson } from '../../report/network-json.js';
import { BlocklistIndex } from '../blocklist/blocklist-index.js';
import type { NetworkFindingOptions } from './enrich-report.js';
import { lookupNetworks } from './lookup-networks.js';

export interface LookupNetworkFields {
  network?: NetworkJson | null;
  listedIn?: { list: string; entry: string; fetchedAt: string | null }[];
}

export interface NetworkFieldsPlan {
  /** Wraps a writer so each valid row carries the fields in use. */
  writer(inner: LookupWriter): LookupWriter;
  /** CSV columns to add, or null when neither feature is in use. */
  csvColumns: ExtraCsvColumns | null;
}

export async function networkFieldsFor(addresses: readonly string[], options: NetworkFindingOptions): Promise<NetworkFieldsPlan> {
  if (!options.rdap && options.blocklists.length === 0) return { writer: (inner) => inner, csvColumns: null };
  let networks: Map<string, NetworkRegistration> | null = null;
  if (options.rdap) {
    // Special-purpose addresses are never sent to a registry.
    const publicAddresses = addresses.filter((ip) => specialRange(ip) === null);
    networks = (await lookupNetworks(publicAddresses, options.rdap)).networks;
  }
  const index = options.blocklists.length > 0 ? new BlocklistIndex(options.blocklists.map((list) => ({ name: list.source.name, fetchedAt: list.source.fetchedAt, entries: list.entries }))) : null;
  const fieldsOf = (result: { ip: string; asn: number | null; error?: string }): LookupNetworkFields => {
    const fields: LookupNetworkFields = {};
    if (networks) fields.network = result.error === undefined ? networkJson(networks.get(result.ip)) : null;
    if (index) fields.listedIn = result.error === undefined ? listedInJson(index.lookup(result.ip, result.asn)) : [];
    return fields;
  };
  const fields = [...(networks ? ['networkStatus', 'networkRange', 'networkName', 'networkRegistry', 'abuseEmails', 'abuseHandle'] : []), ...(index ? ['listedIn'] : [])];
  return {
    writer: (inner) => ({
      row: (result) => inner.row({ ...result, ...fieldsOf(result) }),
      end: () => inner.end(),
    }),
    csvColumns: {
      fields,
      cells: (result) => {
        const { network, listedIn } = result as LookupNetworkFields;
        return [
          ...(networks ? [network?.status, network?.range, network?.name, network?.registry, network?.abuse?.emails.join(' '), network?.abuse?.handle] : []),
          ...(index ? [(listedIn ?? []).map((hit) => `${hit.list}: ${hit.entry}`).join(' | ')] : []),
        ];
      },
    },
  };
}
