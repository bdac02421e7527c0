// Report -> the compact data the HTML page's script renders (one JSON island).
// Remotes are rows of positional cells (named by REMOTE_COLUMNS) and repeated text
// (AS names, cities, states) is stored once in a string table: 50k remotes as objects
// with keys cost about three times the bytes. Nothing here is escaped: the page's
// script only ever sets text through textContent, and the island itself goes through
// jsonForScript.
import type { RemoteProfile } from '../../model/analysis.js';
import type { Report } from '../../model/report.js';
import { formatStates } from '../format.js';
import { MAX_BUBBLES } from './svg-map.js';

/** Column order of HtmlPageData.remotes rows; the page reads cells by these names. */
export const REMOTE_COLUMNS = [
  'ip', 'connections',
  /** [stateStringIndex, count, ...] biggest first. */
  'states',
  /** [port, count, ...]. */
  'localPorts',
  /** [programStringIndex, count, ...]. */
  'programs',
  'country', 'countryName', 'city', 'asn', 'asOrg',
  'institution', 'institutionType', 'institutionEvidence',
  'rdnsStatus', 'rdnsNames', 'rdnsFcrdns', 'rdnsServer',
  'firstCapture', 'lastCapture', 'special',
  /** Index into places (the map bubble), or -1. */
  'place',
  /** null, or [countryStringIndex, confidenceStringIndex, summaryStringIndex, asPath[]]. */
  'verdict',
  /** The institution's basis and confidence (string indexes, -1 when the model has none). */
  'institutionBasis', 'institutionConfidence',
  /** Fleet reports: the hosts that saw it ([stringIndex...]). */
  'hosts',
  /** RDAP: null, or [status, name, range, org, registry, country, url, abuse e-mails[], abuse handle, source] as string indexes. */
  'network',
  /** Blocklists: [[listStringIndex, entryStringIndex], ...]. */
  'listedIn',
] as const;

/** A string-table index, or -1 for "none". */
type StringRef = number;
/** One JSON value per REMOTE_COLUMNS entry: text, numbers, string-table indexes and small arrays of them. */
type Cell = string | number | null | Cell[];
type RemoteRow = Cell[];

export interface HtmlPageData {
  /** Shares are connections / totalConnections (the model's share, not stored per remote). */
  totalConnections: number;
  strings: string[];
  remoteColumns: readonly string[];
  remotes: RemoteRow[];
  captures: { path: string; capturedAt: string | null; connections: number }[];
  places: { label: string; connections: number; remotes: number; networks: { name: string; connections: number }[]; networkCount: number }[];
  indicators: { kind: string; severity: string; summary: string; remotes: string[]; figures: [string, string][]; thresholds: [string, string][] }[];
  clusters: { kind: string; key: string; label: string; connections: number; ownConnections: number | null; share: number; remotes: number; states: string; countries: string[]; asns: number[] }[];
  countries: { country: string; countryName: string; connections: number; remotes: number }[];
  institutions: { asn: number | null; name: string; type: string; country: string | null; connections: number; remotes: number }[];
  /** Traced targets by address: the hops the host panel lists. */
  traces: Record<string, { reached: boolean; source: string | null; asPath: number[]; hops: (string | number | null)[][] }>;
  /** "Whom to contact" (--rdap), when the report has it. */
  contacts?: { key: string; name: string | null; handle: string | null; emails: string[]; phones: string[]; networks: string; urls: string[]; addresses: string[]; connections: number; share: number; source: string }[];
  /** "Known elsewhere": remotes on a blocklist, when lists were in use. */
  blocklistHits?: { ip: string; connections: number; lists: string }[];
  /** Fleet reports: the hosts. */
  hosts?: { name: string; captures: number; firstCapture: string | null; lastCapture: string | null; connections: number }[];
  /**
   * The heaviest remotes' first capture rows, by address: [total rows, rows, notes]; each row is
   * [file, line, protocol, local address, local port, remote address, remote port, state, Recv-Q, Send-Q, pid, program]
   * with file, protocol, addresses, state and program as string-table indexes.
   */
  captureRows?: { perRemote: number; remotes: number; byIp: Record<string, [number, Cell[][], string[]]> };
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(value: string | null | undefined): StringRef {
    if (value === null || value === undefined || value === '') return -1;
    let at = this.index.get(value);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(value);
      this.index.set(value, at);
    }
    return at;
  }
}

const placeKey = (latitude: number, longitude: number): string => `${latitude},${longitude}`;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function htmlPageData(report: Report): HtmlPageData {
  const { analysis } = report;
  const table = new StringTable();
  // Only drawn bubbles can be hovered or clicked.
  const points = (report.map ?? []).slice(0, MAX_BUBBLES);
  const placeByKey = new Map(points.map((point, index) => [placeKey(point.latitude, point.longitude), index]));
  const placeNetworks = points.map(() => new Map<string, number>());

  const remotes = analysis.remotes.map((remote): RemoteRow => {
    const place = placeOf(remote, placeByKey);
    if (place >= 0) {
      const network = remote.asn === null ? (remote.asOrg ?? 'unknown network') : `AS${remote.asn}${remote.asOrg ? ` ${remote.asOrg}` : ''}`;
      const networks = placeNetworks[place];
      networks?.set(network, (networks.get(network) ?? 0) + remote.connections);
    }
    const states = Object.entries(remote.states)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const verdict = remote.verdict;
    return [
      remote.ip,
      remote.connections,
      states.flatMap(([state, count]) => [table.ref(state), count]),
      remote.localPorts.flatMap((port) => [port.port, port.connections]),
      remote.programs.flatMap((program) => [table.ref(program.program), program.connections]),
      table.ref(remote.country),
      table.ref(remote.countryName),
      table.ref(remote.city),
      remote.asn,
      table.ref(remote.asOrg),
      table.ref(remote.institution?.name),
      table.ref(remote.institution?.type),
      (remote.institution?.evidence ?? []).map((text) => table.ref(text)),
      table.ref(remote.rdns.status),
      remote.rdns.names.map((name) => table.ref(name)),
      table.ref(remote.rdns.fcrdns),
      table.ref(remote.rdns.server),
      remote.firstCapture,
      remote.lastCapture,
      table.ref(remote.special ? `${remote.special.kind} (${remote.special.prefix}, ${remote.special.name}, ${remote.special.rfc})` : null),
      place,
      verdict ? [table.ref(verdict.country), table.ref(verdict.confidence), table.ref(verdict.summary), [...verdict.asPath]] : null,
      table.ref(remote.institution?.basis),
      table.ref(remote.institution?.confidence),
      (remote.hosts ?? []).map((host) => table.ref(host)),
      networkCell(remote, table),
      (remote.listedIn ?? []).map((hit) => [table.ref(hit.list), table.ref(hit.entry)]),
    ];
  });

  const places = points.map((point, index) => {
    const networks = [...(placeNetworks[index] ?? new Map<string, number>())]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return {
      label: [point.city, point.country].filter((part): part is string => Boolean(part)).join(', ') || 'unknown place',
      connections: point.connections,
      remotes: point.remotes,
      networks: networks.slice(0, 3).map(([name, connections]) => ({ name, connections })),
      networkCount: networks.length,
    };
  });

  const evidenceByTarget = new Map((report.pathAttributions ?? []).map((evidence) => [evidence.target, evidence]));
  const traces: HtmlPageData['traces'] = {};
  for (const trace of analysis.traces) {
    const ip = trace.target.ip;
    if (!ip || traces[ip]) continue;
    const evidence = evidenceByTarget.get(ip);
    const attributed = new Map((evidence?.hops ?? []).map((hop) => [hop.ttl, hop]));
    traces[ip] = {
      reached: trace.reached,
      source: trace.source ? `${trace.source.file} line ${trace.source.line}` : null,
      asPath: [...(evidence?.asPath ?? [])],
      hops: trace.hops.map((hop) => {
        const responder = hop.probes.find((probe) => probe.ip !== null || probe.name !== null);
        const hopEvidence = attributed.get(hop.ttl);
        const rtts = hop.probes.map((probe) => probe.rttMs).filter((rtt): rtt is number => rtt !== null);
        return [
          hop.ttl,
          responder?.ip ?? null,
          responder?.name ?? hopEvidence?.name ?? null,
          rtts.length > 0 ? round(Math.min(...rtts), 3) : null,
          hopEvidence?.asn ?? responder?.asn ?? null,
          hopEvidence?.asOrg ?? null,
          hopEvidence?.country ?? null,
        ];
      }),
    };
  }

  const extras: Pick<HtmlPageData, 'contacts' | 'blocklistHits' | 'hosts' | 'captureRows'> = {};
  if (report.captureRows) {
    // No prototype: an address column may hold a name such as '__proto__' (netstat without -n).
    const byIp = Object.create(null) as Record<string, [number, Cell[][], string[]]>;
    for (const remote of report.captureRows.remotes) {
      byIp[remote.ip] = [
        remote.total,
        remote.rows.map((row) => [
          table.ref(row.file), row.line, table.ref(row.protocol), table.ref(row.localAddress), row.localPort,
          table.ref(row.remoteAddress), row.remotePort, table.ref(row.state), row.recvQ, row.sendQ, row.pid, table.ref(row.program),
        ]),
        [...remote.notes],
      ];
    }
    extras.captureRows = { perRemote: report.captureRows.perRemote, remotes: report.captureRows.remotes.length, byIp };
  }
  if (report.networks) {
    extras.contacts = report.networks.contacts.map((row) => ({
      key: row.key,
      name: row.contact.name,
      handle: row.contact.handle,
      emails: [...row.contact.emails],
      phones: [...row.contact.phones],
      networks: row.networks.map((network) => [network.name, network.range, network.registry].filter(Boolean).join(' ')).join('; '),
      urls: row.networks.map((network) => network.url).filter((url): url is string => url !== null),
      addresses: [...row.addresses],
      connections: row.connections,
      share: round(row.share, 6),
      source: row.source,
    }));
  }
  if (report.blocklists) {
    extras.blocklistHits = report.blocklists.hits.map((hit) => ({
      ip: hit.ip,
      connections: hit.connections,
      lists: hit.listedIn.map((entry) => `${entry.list}: ${entry.entry}`).join('; '),
    }));
  }
  if (report.fleet) {
    extras.hosts = report.fleet.hosts.map((host) => ({
      name: host.name, captures: host.captures, firstCapture: host.firstCapture, lastCapture: host.lastCapture, connections: host.connections,
    }));
  }

  return {
    ...extras,
    totalConnections: analysis.totals.connections,
    strings: table.strings,
    remoteColumns: REMOTE_COLUMNS,
    remotes,
    captures: analysis.captures.map((capture) => ({ path: capture.path, capturedAt: capture.capturedAt, connections: capture.connections })),
    places,
    indicators: analysis.indicators.map((indicator) => ({
      kind: indicator.kind,
      severity: indicator.severity,
      summary: indicator.summary,
      remotes: [...indicator.evidence.remotes],
      figures: Object.entries(indicator.evidence.figures).map(([name, value]) => [name, String(value)]),
      thresholds: Object.entries(indicator.thresholds).map(([name, value]) => [name, String(value)]),
    })),
    clusters: analysis.clusters.map((cluster) => ({
      kind: cluster.kind,
      key: cluster.key,
      label: cluster.label,
      connections: cluster.connections,
      ownConnections: cluster.ownConnections ?? null,
      share: round(cluster.share, 6),
      remotes: cluster.remotes,
      states: formatStates(cluster.states),
      countries: [...cluster.summary.countries],
      asns: [...cluster.summary.asns],
    })),
    countries: analysis.countries.map((country) => ({ ...country })),
    institutions: analysis.institutions.map((institution) => ({ ...institution })),
    traces,
  };
}

function networkCell(remote: RemoteProfile, table: StringTable): Cell {
  const network = remote.network;
  if (!network) return null;
  return [
    table.ref(network.status),
    table.ref(network.name ?? network.handle),
    table.ref(network.range),
    table.ref(network.org),
    table.ref(network.registry),
    table.ref(network.country),
    table.ref(network.url),
    (network.abuse?.emails ?? network.nir?.emails ?? []).map((email) => table.ref(email)),
    table.ref(network.abuse?.handle),
    table.ref(network.source),
  ];
}

function placeOf(remote: RemoteProfile, placeByKey: ReadonlyMap<string, number>): number {
  const { latitude, longitude } = remote;
  if (latitude === null || latitude === undefined || longitude === null || longitude === undefined) return -1;
  return placeByKey.get(placeKey(latitude, longitude)) ?? -1;
}
