// The report's tables as plain cells (headers, rows, which columns are numbers), shared by the
// markdown and HTML renderers: each escapes the cells and draws the table in its own format.
import type { Analysis, Cluster, RemoteProfile } from '../../model/analysis.js';
import { formatCount, formatShare, formatStates } from '../format.js';

export type PlainCell = string | number | null | undefined;

export interface CellTable {
  headers: string[];
  rows: PlainCell[][];
  numericColumns: ReadonlySet<number>;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function listWithMore(items: readonly string[], limit: number): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${formatCount(items.length - limit)} more`;
}

export function remotesTable(remotes: readonly RemoteProfile[]): CellTable {
  return {
    headers: ['Remote', 'Connections', 'Share', 'States', 'Local ports', 'Programs', 'rDNS', 'PTR name', 'Country', 'City', 'ASN', 'Organisation', 'Institution'],
    rows: remotes.map((remote) => [
      remote.ip,
      remote.connections,
      formatShare(remote.share),
      formatStates(remote.states),
      listWithMore(remote.localPorts.map((port) => `${port.port} (${formatCount(port.connections)})`), 4),
      listWithMore(remote.programs.map((program) => `${program.program} (${formatCount(program.connections)})`), 3),
      remote.rdns.status,
      listWithMore(remote.rdns.names, 2),
      remote.special ? `${remote.special.kind} (${remote.special.prefix})` : [remote.country, remote.countryName].filter(Boolean).join(' '),
      remote.city,
      remote.asn === null ? null : `AS${remote.asn}`,
      remote.asOrg,
      remote.institution ? `${remote.institution.name} (${remote.institution.type})` : null,
    ]),
    numericColumns: new Set([1, 2]),
  };
}

export function clustersTable(clusters: readonly Cluster[]): CellTable {
  return {
    headers: ['Kind', 'Cluster', 'Label', 'Connections', 'Share', 'Remotes', 'States'],
    rows: clusters.map((cluster) => [
      cluster.kind,
      cluster.kind === 'asn' ? `AS${cluster.key}` : cluster.key,
      cluster.label,
      cluster.ownConnections !== undefined && cluster.ownConnections !== cluster.connections
        ? `${formatCount(cluster.connections)} (${formatCount(cluster.ownConnections)} own)`
        : cluster.connections,
      formatShare(cluster.share),
      cluster.remotes,
      formatStates(cluster.states),
    ]),
    numericColumns: new Set([3, 4, 5]),
  };
}

export function countriesTable(countries: Analysis['countries']): CellTable {
  return {
    headers: ['Country', 'Name', 'Connections', 'Remotes'],
    rows: countries.map((country) => [country.country, country.countryName, country.connections, country.remotes]),
    numericColumns: new Set([2, 3]),
  };
}

export function institutionsTable(institutions: Analysis['institutions']): CellTable {
  return {
    headers: ['Institution', 'Type', 'ASN', 'Country', 'Connections', 'Remotes'],
    rows: institutions.map((institution) => [
      institution.name,
      institution.type,
      institution.asn === null ? null : `AS${institution.asn}`,
      institution.country,
      institution.connections,
      institution.remotes,
    ]),
    numericColumns: new Set([4, 5]),
  };
}
