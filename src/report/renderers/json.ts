// Report -> the documented, stable JSON for pipelines (schema in README "Reports").
// Keys are written in a fixed order; every remote is listed (no top-N cut).
import type { BlocklistSection, NetworkSection } from '../../model/network.js';
import type { Report } from '../../model/report.js';
import { CONNECTION_STATES } from '../../model/connection.js';
import { listedInJson, networkJson, type NetworkJson } from '../network-json.js';
import { escapeTerminalText } from '../../output/terminal-text.js';
import { JsonSink } from './json-sink.js';

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

export interface JsonRenderOptions {
  /**
   * Text bound for a terminal (stdout): every control, C1 and bidi character inside a string is written
   * as its `\\uXXXX` escape (escapeTerminalText), which in JSON means the same character. A file
   * written with -o keeps the characters as JSON.stringify writes them.
   */
  terminalSafe?: boolean;
}

export function renderJson(report: Report, options: JsonRenderOptions = {}): string {
  return [...renderJsonChunks(report, options)].join('');
}

/** Remotes per chunk: a few megabytes of text each. */
const REMOTES_PER_CHUNK = 2000;
const REMOTES_KEY = '\n  "remotes": []';

/**
 * The same text as renderJson, in pieces of a few megabytes: the remotes (every one is listed) are
 * written a chunk at a time, so a report on 50k remotes never holds one string of the whole document
 * (nor its two-byte copy when an AS name is not Latin-1).
 */
export function* renderJsonChunks(report: Report, options: JsonRenderOptions = {}): Generator<string> {
  const terminalSafe = options.terminalSafe === true;
  const document = jsonDocument(report);
  const safe = terminalSafe ? escapeTerminalText : (text: string): string => text;
  yield safe(document.head);
  if (document.remotes === 0) return;
  const sink = new JsonSink(terminalSafe);
  const writer = new RemoteWriter(report, sink);
  for (let from = 0; from < document.remotes; from += REMOTES_PER_CHUNK) {
    for (let index = from; index < Math.min(document.remotes, from + REMOTES_PER_CHUNK); index++) document.write(writer, index);
    yield Buffer.concat(sink.take(true)).toString('utf8');
  }
  yield safe(document.tail);
}

/**
 * The same text as renderJson, as UTF-8 in buffers of up to 64 KiB (JSON_BUFFER_BYTES). This is what
 * is written: the remotes go straight from the model into the buffers (json-sink.ts).
 */
export function* renderJsonBytes(report: Report, options: JsonRenderOptions = {}): Generator<Uint8Array> {
  const document = jsonDocument(report);
  const sink = new JsonSink(options.terminalSafe === true);
  sink.json(document.head);
  if (document.remotes > 0) {
    const writer = new RemoteWriter(report, sink);
    for (let index = 0; index < document.remotes; index++) {
      document.write(writer, index);
      if (sink.filled > 0) yield* sink.take();
    }
    sink.json(document.tail);
  }
  yield* sink.take(true);
}

/** The document as the frame up to the remotes, a writer of each remote and the rest (the frame's text not yet escaped). */
function jsonDocument(report: Report): { head: string; remotes: number; write: (writer: RemoteWriter, index: number) => void; tail: string } {
  const remotes = report.analysis.remotes;
  if (remotes.length === 0) return { head: `${JSON.stringify(reportToJson(report), null, 2)}\n`, remotes: 0, write: () => {}, tail: '' };
  const frame = JSON.stringify(reportToJson(report, false), null, 2);
  // Only the top-level key sits at two spaces after a newline (strings never hold a raw newline).
  const at = frame.indexOf(REMOTES_KEY);
  if (at < 0) throw new Error('renderJsonChunks: no top-level remotes key');
  return {
    head: frame.slice(0, at + REMOTES_KEY.length - 1),
    remotes: remotes.length,
    write: (writer, index) => writer.remote(remotes[index] as RemoteProfile, index === 0 ? OUT2 : `,${OUT2}`),
    tail: `\n  ]${frame.slice(at + REMOTES_KEY.length)}\n`,
  };
}

// Each remote is written straight to UTF-8 in the shape remoteToJson gives it, exactly as
// JSON.stringify(…, null, 2) lays it out at its depth: 50k remotes make about 75 MB of JSON,
// and building an object per remote (and per state table), or even its text, only to encode
// it cost more than the writing. The json tests hold the two to the same bytes.
const OUT2 = '\n    ';
const IN3 = '\n      ';
const IN4 = '\n        ';
const IN5 = '\n          ';

class RemoteWriter {
  readonly #report: Report;
  readonly #sink: JsonSink;

  constructor(report: Report, sink: JsonSink) {
    this.#report = report;
    this.#sink = sink;
  }

  /** `[{"<name>": value, "connections": n}, …]` at the remote's member depth (local ports, programs). */
  #connectionCounts(entries: readonly ({ port: number; connections: number } | { program: string; connections: number })[]): void {
    const sink = this.#sink;
    if (entries.length === 0) {
      sink.ascii('[]');
      return;
    }
    sink.ascii('[');
    let first = true;
    for (const entry of entries) {
      if (!first) sink.ascii(',');
      sink.ascii(IN4);
      sink.ascii('{');
      first = false;
      const none = 'port' in entry ? this.#member(IN5, '"port": ', entry.port, true) : this.#member(IN5, '"program": ', entry.program, true, true);
      this.#close(IN4, this.#member(IN5, '"connections": ', entry.connections, none));
    }
    sink.ascii(IN3);
    sink.ascii(']');
  }

  remote(remote: RemoteProfile, leading: string): void {
    const sink = this.#sink;
    sink.ascii(leading);
    sink.ascii('{');
    let empty = this.#member(IN3, '"ip": ', remote.ip, true);
    empty = this.#member(IN3, '"ipVersion": ', remote.ipVersion, empty);
    empty = this.#member(IN3, '"connections": ', remote.connections, empty);
    empty = this.#member(IN3, '"share": ', remote.share, empty);
    this.#key(IN3, '"states": ', empty);
    this.#counts(remote.states);
    this.#key(IN3, '"localPorts": ', false);
    this.#connectionCounts(remote.localPorts);
    this.#key(IN3, '"programs": ', false);
    this.#connectionCounts(remote.programs);
    this.#key(IN3, '"special": ', false);
    if (!remote.special) sink.ascii('null');
    else {
      sink.ascii('{');
      let none = this.#member(IN4, '"kind": ', remote.special.kind, true, true);
      none = this.#member(IN4, '"prefix": ', remote.special.prefix, none, true);
      none = this.#member(IN4, '"name": ', remote.special.name, none, true);
      this.#close(IN3, this.#member(IN4, '"rfc": ', remote.special.rfc, none, true));
    }
    this.#member(IN3, '"country": ', remote.country, false, true);
    this.#member(IN3, '"countryName": ', remote.countryName, false, true);
    this.#member(IN3, '"city": ', remote.city, false, true);
    this.#member(IN3, '"asn": ', remote.asn, false);
    this.#member(IN3, '"asOrg": ', remote.asOrg, false, true);
    this.#key(IN3, '"institution": ', false);
    const institution = remote.institution;
    if (!institution) sink.ascii('null');
    else {
      sink.ascii('{');
      let none = this.#member(IN4, '"name": ', institution.name, true, true);
      none = this.#member(IN4, '"type": ', institution.type, none, true);
      none = this.#member(IN4, '"basis": ', institution.basis ?? null, none, true);
      none = this.#member(IN4, '"confidence": ', institution.confidence ?? null, none, true);
      this.#key(IN4, '"evidence": ', none);
      this.#list(institution.evidence, IN4, true);
      this.#close(IN3, false);
    }
    this.#key(IN3, '"rdns": ', false);
    sink.ascii('{');
    const none = this.#member(IN4, '"status": ', remote.rdns.status, true, true);
    this.#key(IN4, '"names": ', none);
    this.#list(remote.rdns.names, IN4);
    this.#close(IN3, this.#member(IN4, '"fcrdns": ', remote.rdns.fcrdns ?? null, false, true));
    this.#member(IN3, '"firstCapture": ', remote.firstCapture, false);
    this.#member(IN3, '"lastCapture": ', remote.lastCapture, false);
    this.#key(IN3, '"trace": ', false);
    const verdict = remote.verdict;
    if (!verdict) sink.ascii('null');
    else {
      sink.ascii('{');
      let none = this.#member(IN4, '"country": ', verdict.country, true, true);
      none = this.#member(IN4, '"confidence": ', verdict.confidence, none, true);
      none = this.#member(IN4, '"summary": ', verdict.summary, none);
      this.#key(IN4, '"asPath": ', none);
      this.#list(verdict.asPath, IN4);
      this.#close(IN3, false);
    }
    if (remote.hosts) {
      this.#key(IN3, '"hosts": ', false);
      this.#list(remote.hosts, IN3);
    }
    if (this.#report.networks) this.#member(IN3, '"network": ', networkJson(remote.network), false);
    if (this.#report.blocklists) this.#member(IN3, '"listedIn": ', listedInJson(remote.listedIn), false);
    sink.ascii(OUT2);
    sink.ascii('}');
  }

  /** `"key": ` on its own line (after a comma unless it is the object's first member). */
  #key(indent: string, key: string, first: boolean): void {
    const sink = this.#sink;
    if (!first) sink.ascii(',');
    sink.ascii(indent);
    sink.ascii(key);
  }

  /**
   * A member, as JSON.stringify writes it at the depth whose line break is `indent`; a value
   * JSON.stringify leaves out (undefined) leaves the key out. Returns whether the object is still empty.
   */
  #member(indent: string, key: string, value: unknown, empty: boolean, repeated = false): boolean {
    const type = typeof value;
    if (value !== null && (type === 'object' || type === 'undefined' || type === 'function' || type === 'symbol')) {
      // Anything else (a network registration, blocklist hits) is stringified whole and moved to its depth.
      const text = JSON.stringify(value, null, 2) as string | undefined;
      if (text === undefined) return empty;
      this.#key(indent, key, empty);
      this.#sink.json(text.replaceAll('\n', indent));
      return false;
    }
    this.#key(indent, key, empty);
    this.#scalar(value, repeated);
    return false;
  }

  /** A string, number, boolean or null as JSON.stringify writes it (bigint throws as it does there). `repeated`: a string other remotes show too. */
  #scalar(value: unknown, repeated = false): void {
    if (typeof value === 'string') {
      if (repeated) this.#sink.repeatedString(value);
      else this.#sink.string(value);
    }
    else if (typeof value === 'number') this.#sink.number(value);
    else if (typeof value === 'boolean') this.#sink.ascii(value ? 'true' : 'false');
    else if (value === null) this.#sink.ascii('null');
    else this.#sink.json(JSON.stringify(value) ?? 'null');
  }

  /** Closes an object opened with '{': on its own line, or `{}` when nothing was written. */
  #close(indent: string, empty: boolean): void {
    if (!empty) this.#sink.ascii(indent);
    this.#sink.ascii('}');
  }

  /** An array of scalars (an item JSON.stringify leaves out is null in an array). */
  #list(values: readonly unknown[], indent: string, repeated = false): void {
    const sink = this.#sink;
    if (values.length === 0) {
      sink.ascii('[]');
      return;
    }
    const inner = `${indent}  `;
    sink.ascii('[');
    let first = true;
    for (const value of values) {
      if (!first) sink.ascii(',');
      sink.ascii(inner);
      first = false;
      const type = typeof value;
      if (value !== null && (type === 'object' || type === 'undefined' || type === 'function' || type === 'symbol')) {
        const text = JSON.stringify(value, null, 2) as string | undefined;
        sink.json(text === undefined ? 'null' : text.replaceAll('\n', inner));
      } else this.#scalar(value, repeated);
    }
    sink.ascii(indent);
    sink.ascii(']');
  }

  /** sortedCounts(counts): heaviest first, then the state names' order. */
  #counts(counts: Partial<Record<string, number>>): void {
    const sink = this.#sink;
    // The model's tables hold state names only: sorted in place in two small reused arrays.
    const names = this.#stateNames;
    const values = this.#stateCounts;
    let length = 0;
    for (const name in counts) {
      if (!Object.hasOwn(counts, name)) continue;
      const count = counts[name];
      const rank = NAME_RANKS.get(name);
      if (rank === undefined || length === names.length) return this.#anyCounts(counts);
      if (typeof count !== 'number') continue;
      let at = length++;
      while (at > 0 && (values[at - 1]! < count || (values[at - 1] === count && NAME_RANKS.get(names[at - 1]!)! > rank))) {
        names[at] = names[at - 1]!;
        values[at] = values[at - 1]!;
        at--;
      }
      names[at] = name;
      values[at] = count;
    }
    if (length === 0) {
      sink.ascii('{}');
      return;
    }
    sink.ascii('{');
    for (let i = 0; i < length; i++) {
      if (i > 0) sink.ascii(',');
      sink.ascii(IN4);
      sink.repeatedString(names[i]!);
      sink.ascii(': ');
      sink.number(values[i]!);
    }
    sink.ascii(IN3);
    sink.ascii('}');
  }

  readonly #stateNames: string[] = new Array<string>(NAME_RANKS.size).fill('');
  readonly #stateCounts: number[] = new Array<number>(NAME_RANKS.size).fill(0);

  /** Any other table, as sortedCounts orders it. */
  #anyCounts(counts: Partial<Record<string, number>>): void {
    const sink = this.#sink;
    const entries = Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
    if (entries.length === 0) {
      sink.ascii('{}');
      return;
    }
    // Object.fromEntries puts integer-like keys first, in numeric order: leave such tables to it.
    if (entries.some(([name]) => ARRAY_INDEX.test(name))) {
      sink.json(JSON.stringify(sortedCounts(counts), null, 2).replaceAll('\n', IN3));
      return;
    }
    entries.sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0]));
    sink.ascii('{');
    let first = true;
    for (const [name, count] of entries) {
      if (!first) sink.ascii(',');
      sink.ascii(IN4);
      first = false;
      sink.string(name);
      sink.ascii(': ');
      sink.number(count);
    }
    sink.ascii(IN3);
    sink.ascii('}');
  }
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
