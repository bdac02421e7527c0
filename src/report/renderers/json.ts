// Report -> the documented, stable JSON for pipelines (schema in README "Reports").
// Keys are written in a fixed order; every remote is listed (no top-N cut).
import type { BlocklistSection, NetworkSection } from '../../model/network.js';
import type { Report } from '../../model/report.js';
import { CONNECTION_STATES } from '../../model/connection.js';
import { listedInJson, networkJson, type NetworkJson } from '../network-json.js';

export interface ReportJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  generatedAt: string;
  inputs: { path: string; sizeBytes: number; sha256: string; format: string; host: string | null; capturedAt: string | null; snapshot: { index: number; count: number; file: string; firstLine: number } | null; lines: number; parsed: number; skipped: number }[];
  /** Reports from a fleet store only: the hosts, each with its timeline (connections per capture). */
  hosts?: { name: string; captures: number; firstCapture: string | null; lastCapture: string | null; connections: number; series: number[] }[];
  totals: { connections: number; remotes: number; listening: number; states: Record<string, number> };
  verdict: string;
  summary: string;
  remotes: {
    ip: string;
    ipVersion: number;
    connections: number;
    share: number;
    states: Record<string, number>;
    localPorts: { port: number; connections: number }[];
    programs: { program: string; connections: number }[];
    special: { kind: string; prefix: string; name: string; rfc: string } | null;
    country: string | null;
    countryName: string | null;
    city: string | null;
    asn: number | null;
    asOrg: string | null;
    institution: { name: string; type: string; basis: string | null; confidence: string | null; evidence: string[] } | null;
    rdns: { status: string; names: string[]; fcrdns: string | null };
    firstCapture: number;
    lastCapture: number;
    trace: { country: string | null; confidence: string; summary: string; asPath: number[] } | null;
    hosts?: string[];
    /** With --rdap: the remote's network registration (null when it was not asked about). */
    network?: NetworkJson | null;
    /** With blocklists in use: the entries covering it. */
    listedIn?: { list: string; entry: string; fetchedAt: string | null }[];
  }[];
  countries: { country: string; countryName: string; connections: number; remotes: number }[];
  institutions: { asn: number | null; name: string; type: string; country: string | null; connections: number; remotes: number }[];
  clusters: { kind: string; key: string; label: string; connections: number; ownConnections: number | null; share: number; remotes: number; hosts?: string[] }[];
  /** Reports from a fleet store only: sources seen on two or more hosts. */
  acrossHosts?: { store: string; selection: { hosts: string[]; since: string | null; until: string | null }; bucketMs: number | null; sources: { kind: string; key: string; label: string; connections: number; hosts: { host: string; firstSeen: string | null; lastSeen: string | null; connections: number }[] }[] };
  indicators: { kind: string; severity: string; summary: string; evidence: { remotes: string[]; figures: Record<string, number | string> }; thresholds: Record<string, number> }[];
  timeline: Report['analysis']['timeline'];
  traces: Report['analysis']['traces'];
  /** Per traced target: attributed hops, AS path and verdict. */
  pathAttributions: NonNullable<Report['pathAttributions']>;
  map: { latitude: number; longitude: number; country: string | null; city: string | null; connections: number; remotes: number }[];
  dataSources: { id: string; name: string; kind: string; path: string; buildDate: string | null; licence: string; attribution: string }[];
  methodology: { dns: boolean; trace: boolean; dnsServers: string[]; baseline: string | null; thresholds: Record<string, number | number[]> };
  /** With --rdap: one row per abuse contact, and the networks that gave none. */
  whomToContact?: NetworkSection;
  /** With blocklists in use: the lists (fetch time, sha256) and the remotes on them. */
  knownElsewhere?: BlocklistSection;
}

/** The model mapped to the documented shape (a plain object; JSON.stringify keeps this key order). */
export function reportToJson(report: Report, withRemotes = true): ReportJson {
  const { analysis } = report;
  const json: ReportJson = {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    generatedAt: report.generatedAt,
    inputs: report.inputs.map((input) => ({
      path: input.path,
      sizeBytes: input.sizeBytes,
      sha256: input.sha256,
      format: input.format,
      host: input.host ?? null,
      capturedAt: input.capturedAt,
      snapshot: input.snapshot ?? null,
      lines: input.lines,
      parsed: input.parsed,
      skipped: input.skipped,
    })),
    ...(report.fleet ? { hosts: report.fleet.hosts.map((host) => ({ ...host, series: [...host.series] })) } : {}),
    totals: {
      connections: analysis.totals.connections,
      remotes: analysis.totals.remotes,
      listening: analysis.totals.listening,
      states: sortedCounts(analysis.totals.states),
    },
    verdict: analysis.verdict,
    summary: analysis.summary,
    remotes: withRemotes ? analysis.remotes.map((remote) => remoteToJson(report, remote)) : [],
    countries: analysis.countries.map((country) => ({ country: country.country, countryName: country.countryName, connections: country.connections, remotes: country.remotes })),
    institutions: analysis.institutions.map((institution) => ({
      asn: institution.asn,
      name: institution.name,
      type: institution.type,
      country: institution.country,
      connections: institution.connections,
      remotes: institution.remotes,
    })),
    clusters: analysis.clusters.map((cluster) => ({
      kind: cluster.kind,
      key: cluster.key,
      label: cluster.label,
      connections: cluster.connections,
      ownConnections: cluster.ownConnections ?? null,
      share: cluster.share,
      remotes: cluster.remotes,
      ...(cluster.hosts ? { hosts: [...cluster.hosts] } : {}),
    })),
    ...(report.fleet
      ? {
          acrossHosts: {
            store: report.fleet.store,
            selection: { ...report.fleet.selection, hosts: [...report.fleet.selection.hosts] },
            bucketMs: report.fleet.bucketMs,
            sources: report.fleet.sources.map((source) => ({ ...source, hosts: source.hosts.map((host) => ({ ...host })) })),
          },
        }
      : {}),
    indicators: analysis.indicators.map((indicator) => ({
      kind: indicator.kind,
      severity: indicator.severity,
      summary: indicator.summary,
      evidence: { remotes: [...indicator.evidence.remotes], figures: { ...indicator.evidence.figures } },
      thresholds: { ...indicator.thresholds },
    })),
    timeline: analysis.timeline,
    traces: analysis.traces,
    pathAttributions: report.pathAttributions ?? [],
    map: (report.map ?? []).map((point) => ({ ...point })),
    dataSources: report.dataSources.map((source) => ({
      id: source.id,
      name: source.name,
      kind: source.kind,
      path: source.path,
      buildDate: source.buildDate,
      licence: source.licence,
      attribution: source.attribution,
    })),
    methodology: {
      dns: report.run.dns,
      trace: report.run.trace,
      dnsServers: [...report.run.dnsServers],
      baseline: report.run.baseline,
      thresholds: Object.fromEntries(Object.entries(analysis.options).sort((a, b) => a[0].localeCompare(b[0]))) as Record<string, number | number[]>,
    },
  };
  if (report.networks) json.whomToContact = report.networks;
  if (report.blocklists) json.knownElsewhere = report.blocklists;
  return json;
}

type RemoteJson = ReportJson['remotes'][number];
type RemoteProfile = Report['analysis']['remotes'][number];

function remoteToJson(report: Report, remote: RemoteProfile): RemoteJson {
  return {
    ip: remote.ip,
    ipVersion: remote.ipVersion,
    connections: remote.connections,
    share: remote.share,
    states: sortedCounts(remote.states),
    localPorts: remote.localPorts.map((port) => ({ port: port.port, connections: port.connections })),
    programs: remote.programs.map((program) => ({ program: program.program, connections: program.connections })),
    special: remote.special ? { kind: remote.special.kind, prefix: remote.special.prefix, name: remote.special.name, rfc: remote.special.rfc } : null,
    country: remote.country,
    countryName: remote.countryName,
    city: remote.city,
    asn: remote.asn,
    asOrg: remote.asOrg,
    institution: remote.institution ? { name: remote.institution.name, type: remote.institution.type, basis: remote.institution.basis ?? null, confidence: remote.institution.confidence ?? null, evidence: [...remote.institution.evidence] } : null,
    rdns: { status: remote.rdns.status, names: [...remote.rdns.names], fcrdns: remote.rdns.fcrdns ?? null },
    firstCapture: remote.firstCapture,
    lastCapture: remote.lastCapture,
    trace: remote.verdict
      ? { country: remote.verdict.country, confidence: remote.verdict.confidence, summary: remote.verdict.summary, asPath: [...remote.verdict.asPath] }
      : null,
    ...(remote.hosts ? { hosts: [...remote.hosts] } : {}),
    ...(report.networks ? { network: networkJson(remote.network) } : {}),
    ...(report.blocklists ? { listedIn: listedInJson(remote.listedIn) } : {}),
  };
}

function sortedCounts(counts: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0])),
  );
}

/** localeCompare's order of the state names, computed once (it runs for every remote's states). */
const NAME_RANKS = new Map<string, number>([...CONNECTION_STATES].sort((a, b) => a.localeCompare(b)).map((name, rank) => [name, rank]));

function compareNames(a: string, b: string): number {
  const rankA = NAME_RANKS.get(a);
  const rankB = NAME_RANKS.get(b);
  return rankA !== undefined && rankB !== undefined ? rankA - rankB : a.localeCompare(b);
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}

/** Remotes per chunk: a few megabytes of text each. */
const REMOTES_PER_CHUNK = 2000;
const REMOTES_KEY = '\n  "remotes": []';

/**
 * The same text as renderJson, in pieces of a few megabytes: the remotes (every one is listed) are
 * mapped and stringified a chunk at a time, so a report on 50k remotes never holds one string of
 * the whole document (nor its two-byte copy when an AS name is not Latin-1).
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const remotes = report.analysis.remotes;
  if (remotes.length === 0) {
    yield `${JSON.stringify(reportToJson(report), null, 2)}\n`;
    return;
  }
  const frame = JSON.stringify(reportToJson(report, false), null, 2);
  // Only the top-level key sits at two spaces after a newline (strings never hold a raw newline).
  const at = frame.indexOf(REMOTES_KEY);
  if (at < 0) throw new Error('renderJsonChunks: no top-level remotes key');
  yield frame.slice(0, at + REMOTES_KEY.length - 1);
  for (let from = 0; from < remotes.length; from += REMOTES_PER_CHUNK) {
    // Stringified under a top-level key, the array's items sit at the document's own indentation.
    const part = JSON.stringify({ remotes: remotes.slice(from, from + REMOTES_PER_CHUNK).map((remote) => remoteToJson(report, remote)) }, null, 2);
    yield `${from === 0 ? '' : ','}${part.slice(PART_HEAD.length, part.length - PART_TAIL.length)}`;
  }
  yield `\n  ]${frame.slice(at + REMOTES_KEY.length)}\n`;
}

const PART_HEAD = '{\n  "remotes": [';
const PART_TAIL = '\n  ]\n}';
