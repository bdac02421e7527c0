// The documented JSON shapes of a network registration and blocklist hits, shared by
// `report --format json` (every remote) and `lookup` (every address).
import type { BlocklistHit, NetworkRegistration } from '../model/network.js';

export interface NetworkJson {
  handle: string | null;
  name: string | null;
  range: string | null;
  country: string | null;
  registry: string;
  registered: string | null;
  lastChanged: string | null;
  org: string | null;
  abuse: { emails: string[]; phones: string[]; handle: string | null } | null;
  source: string;
  url: string | null;
  status: string;
  detail: string | null;
  fetchedAt: string | null;
  nir: { registry: string; server: string; status: string; range: string | null; org: string | null; emails: string[]; phones: string[]; detail: string | null } | null;
}

export function networkJson(network: NetworkRegistration | undefined): NetworkJson | null {
  if (!network) return null;
  return {
    handle: network.handle,
    name: network.name,
    range: network.range,
    country: network.country,
    registry: network.registry,
    registered: network.registered,
    lastChanged: network.lastChanged,
    org: network.org,
    abuse: network.abuse ? { emails: [...network.abuse.emails], phones: [...network.abuse.phones], handle: network.abuse.handle } : null,
    source: network.source,
    url: network.url,
    status: network.status,
    detail: network.detail ?? null,
    fetchedAt: network.fetchedAt,
    nir: network.nir
      ? { registry: network.nir.registry, server: network.nir.server, status: network.nir.status, range: network.nir.range, org: network.nir.org, emails: [...network.nir.emails], phones: [...network.nir.phones], detail: network.nir.detail ?? null }
      : null,
  };
}

export function listedInJson(hits: readonly BlocklistHit[] | undefined): { list: string; entry: string; fetchedAt: string | null }[] {
  return (hits ?? []).map((hit) => ({ list: hit.list, entry: hit.entry, fetchedAt: hit.fetchedAt }));
}
