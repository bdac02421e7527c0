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
] as const;

/** A string-table index, or -1 for "none". */
type StringRef = number;
type RemoteRow = (string | number | null | number[] | [StringRef, StringRef, StringRef, number[]])[];

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

  return {
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

function placeOf(remote: RemoteProfile, placeByKey: ReadonlyMap<string, number>): number {
  const { latitude, longitude } = remote;
  if (latitude === null || latitude === undefined || longitude === null || longitude === undefined) return -1;
  return placeByKey.get(placeKey(latitude, longitude)) ?? -1;
}
