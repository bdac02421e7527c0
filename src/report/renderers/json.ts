// Report -> the documented, stable JSON for pipelines (schema in README "Reports").
// Keys are written in a fixed order; every remote is listed (no top-N cut).
import type { BlocklistSection, NetworkSection } from '../../model/network.js';
import type { Report } from '../../model/report.js';
import { CONNECTION_STATES } from '../../model/connection.js';
import { listedInJson, networkJson, type NetworkJson } from '../network-json.js';
import { escapeTerminalText } from '../../output/terminal-text.js';

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
  const document = jsonDocument(report, options);
  yield document.head;
  for (let from = 0; from < document.remotes; from += REMOTES_PER_CHUNK) {
    const texts: string[] = [];
    for (let index = from; index < Math.min(document.remotes, from + REMOTES_PER_CHUNK); index++) texts.push(document.remote(index));
    yield texts.join('');
  }
  if (document.tail !== '') yield document.tail;
}

/** Bytes per buffer renderJsonBytes fills. */
const JSON_BUFFER_BYTES = 64 * 1024;

/**
 * The same text as renderJson, as UTF-8 in buffers of up to 64 KiB. This is what is written: joining
 * megabytes of text only to encode it again cost more CPU than making the text (fresh large strings
 * and their copies), while small buffers filled in place are cheap to make and to drop.
 */
export function* renderJsonBytes(report: Report, options: JsonRenderOptions = {}): Generator<Uint8Array> {
  const document = jsonDocument(report, options);
  let buffer = Buffer.allocUnsafeSlow(JSON_BUFFER_BYTES);
  let used = 0;
  for (let index = -1; index <= document.remotes; index++) {
    const piece = index < 0 ? document.head : index < document.remotes ? document.remote(index) : document.tail;
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2).
    if (piece.length * 3 > JSON_BUFFER_BYTES - used) {
      if (used > 0) {
        yield buffer.subarray(0, used);
        buffer = Buffer.allocUnsafeSlow(JSON_BUFFER_BYTES);
        used = 0;
      }
      if (piece.length * 3 > JSON_BUFFER_BYTES) {
        yield Buffer.from(piece, 'utf8');
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** The document as the frame up to the remotes, each remote's text (made when asked for) and the rest. */
function jsonDocument(report: Report, options: JsonRenderOptions): { head: string; remotes: number; remote: (index: number) => string; tail: string } {
  const safe = options.terminalSafe === true ? escapeTerminalText : (text: string): string => text;
  const remotes = report.analysis.remotes;
  if (remotes.length === 0) return { head: `${safe(JSON.stringify(reportToJson(report), null, 2))}\n`, remotes: 0, remote: () => '', tail: '' };
  const frame = safe(JSON.stringify(reportToJson(report, false), null, 2));
  // Only the top-level key sits at two spaces after a newline (strings never hold a raw newline).
  const at = frame.indexOf(REMOTES_KEY);
  if (at < 0) throw new Error('renderJsonChunks: no top-level remotes key');
  const writer = new RemoteWriter(report, options.terminalSafe === true);
  return {
    head: frame.slice(0, at + REMOTES_KEY.length - 1),
    remotes: remotes.length,
    remote: (index) => {
      writer.remote(remotes[index] as RemoteProfile, index === 0 ? OUT2 : `,${OUT2}`);
      return writer.take();
    },
    tail: `\n  ]${frame.slice(at + REMOTES_KEY.length)}\n`,
  };
}

// Each remote is written straight to text in the shape remoteToJson gives it, exactly as
// JSON.stringify(…, null, 2) lays it out at its depth: 50k remotes make about 65 MB of JSON,
// and building an object per remote (and per state table) only to stringify it cost more than
// the writing. Pieces are collected in one array and joined per chunk (string concatenation
// would leave ropes of a million pieces for the garbage collector). The json tests hold the two
// to the same bytes.
const OUT2 = '\n    ';
const IN3 = '\n      ';
const IN4 = '\n        ';
const IN5 = '\n          ';

class RemoteWriter {
  readonly #report: Report;
  readonly #terminalSafe: boolean;
  #parts: string[] = [];

  constructor(report: Report, terminalSafe: boolean) {
    this.#report = report;
    this.#terminalSafe = terminalSafe;
  }

  /** The text written since the last take. */
  take(): string {
    const text = this.#parts.join('');
    this.#parts = [];
    return text;
  }

  /** `[{"<name>": value, "connections": n}, …]` at the remote's member depth (local ports, programs). */
  #connectionCounts<Entry extends { connections: number }>(entries: readonly Entry[], nameKey: string, name: (entry: Entry) => string | number): void {
    const parts = this.#parts;
    if (entries.length === 0) {
      parts.push('[]');
      return;
    }
    parts.push('[');
    let first = true;
    for (const entry of entries) {
      parts.push(first ? IN4 : `,${IN4}`, '{');
      first = false;
      const none = this.#member(IN5, nameKey, this.#value(name(entry), IN5), true);
      this.#close(IN4, this.#member(IN5, '"connections": ', this.#value(entry.connections, IN5), none));
    }
    parts.push(IN3, ']');
  }

  remote(remote: RemoteProfile, leading: string): void {
    const parts = this.#parts;
    parts.push(leading, '{');
    let empty = this.#member(IN3, '"ip": ', this.#value(remote.ip, IN3), true);
    empty = this.#member(IN3, '"ipVersion": ', this.#value(remote.ipVersion, IN3), empty);
    empty = this.#member(IN3, '"connections": ', this.#value(remote.connections, IN3), empty);
    empty = this.#member(IN3, '"share": ', this.#value(remote.share, IN3), empty);
    empty = this.#member(IN3, '"states": ', this.#counts(remote.states), empty);
    this.#key(IN3, '"localPorts": ', empty);
    this.#connectionCounts(remote.localPorts, '"port": ', (entry) => entry.port);
    this.#key(IN3, '"programs": ', false);
    this.#connectionCounts(remote.programs, '"program": ', (entry) => entry.program);
    this.#key(IN3, '"special": ', false);
    if (!remote.special) parts.push('null');
    else {
      parts.push('{');
      let none = this.#member(IN4, '"kind": ', this.#value(remote.special.kind, IN4), true);
      none = this.#member(IN4, '"prefix": ', this.#value(remote.special.prefix, IN4), none);
      none = this.#member(IN4, '"name": ', this.#value(remote.special.name, IN4), none);
      this.#close(IN3, this.#member(IN4, '"rfc": ', this.#value(remote.special.rfc, IN4), none));
    }
    this.#member(IN3, '"country": ', this.#value(remote.country, IN3), false);
    this.#member(IN3, '"countryName": ', this.#value(remote.countryName, IN3), false);
    this.#member(IN3, '"city": ', this.#value(remote.city, IN3), false);
    this.#member(IN3, '"asn": ', this.#value(remote.asn, IN3), false);
    this.#member(IN3, '"asOrg": ', this.#value(remote.asOrg, IN3), false);
    this.#key(IN3, '"institution": ', false);
    const institution = remote.institution;
    if (!institution) parts.push('null');
    else {
      parts.push('{');
      let none = this.#member(IN4, '"name": ', this.#value(institution.name, IN4), true);
      none = this.#member(IN4, '"type": ', this.#value(institution.type, IN4), none);
      none = this.#member(IN4, '"basis": ', this.#value(institution.basis ?? null, IN4), none);
      none = this.#member(IN4, '"confidence": ', this.#value(institution.confidence ?? null, IN4), none);
      this.#close(IN3, this.#member(IN4, '"evidence": ', this.#list(institution.evidence, IN4), none));
    }
    this.#key(IN3, '"rdns": ', false);
    parts.push('{');
    let none = this.#member(IN4, '"status": ', this.#value(remote.rdns.status, IN4), true);
    none = this.#member(IN4, '"names": ', this.#list(remote.rdns.names, IN4), none);
    this.#close(IN3, this.#member(IN4, '"fcrdns": ', this.#value(remote.rdns.fcrdns ?? null, IN4), none));
    this.#member(IN3, '"firstCapture": ', this.#value(remote.firstCapture, IN3), false);
    this.#member(IN3, '"lastCapture": ', this.#value(remote.lastCapture, IN3), false);
    this.#key(IN3, '"trace": ', false);
    const verdict = remote.verdict;
    if (!verdict) parts.push('null');
    else {
      parts.push('{');
      let none = this.#member(IN4, '"country": ', this.#value(verdict.country, IN4), true);
      none = this.#member(IN4, '"confidence": ', this.#value(verdict.confidence, IN4), none);
      none = this.#member(IN4, '"summary": ', this.#value(verdict.summary, IN4), none);
      this.#close(IN3, this.#member(IN4, '"asPath": ', this.#list(verdict.asPath, IN4), none));
    }
    if (remote.hosts) this.#member(IN3, '"hosts": ', this.#list(remote.hosts, IN3), false);
    if (this.#report.networks) this.#member(IN3, '"network": ', this.#value(networkJson(remote.network), IN3), false);
    if (this.#report.blocklists) this.#member(IN3, '"listedIn": ', this.#value(listedInJson(remote.listedIn), IN3), false);
    parts.push(OUT2, '}');
  }

  /** `"key": ` on its own line (after a comma unless it is the object's first member). */
  #key(indent: string, key: string, first: boolean): void {
    this.#parts.push(first ? indent : `,${indent}`, key);
  }

  /** A member whose value is already text; undefined leaves the key out. Returns whether the object is still empty. */
  #member(indent: string, key: string, text: string | undefined, empty: boolean): boolean {
    if (text === undefined) return empty;
    this.#parts.push(empty ? indent : `,${indent}`, key, text);
    return false;
  }

  /** Closes an object opened with '{': on its own line, or `{}` when nothing was written. */
  #close(indent: string, empty: boolean): void {
    if (empty) this.#parts.push('}');
    else this.#parts.push(indent, '}');
  }

  /** One value as JSON.stringify writes it at the depth whose line break is `indent` (undefined: the key is left out). */
  #value(value: unknown, indent: string): string | undefined {
    switch (typeof value) {
      case 'string': {
        const quoted = JSON.stringify(value);
        return this.#terminalSafe ? escapeTerminalText(quoted) : quoted;
      }
      case 'number':
        return Number.isFinite(value) ? String(value) : 'null';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return undefined;
      default: {
        if (value === null) return 'null';
        // Anything else (a network registration, blocklist hits) is stringified whole and moved to its depth.
        const text = JSON.stringify(value, null, 2) as string | undefined;
        if (text === undefined) return undefined;
        const placed = text.replaceAll('\n', indent);
        return this.#terminalSafe ? escapeTerminalText(placed) : placed;
      }
    }
  }

  /** An array of scalars as text (an undefined item is null in an array). */
  #list(values: readonly unknown[], indent: string): string {
    if (values.length === 0) return '[]';
    const inner = `${indent}  `;
    let text = '';
    for (const value of values) text += `${text === '' ? '' : ','}${inner}${this.#value(value, inner) ?? 'null'}`;
    return `[${text}${indent}]`;
  }

  /** sortedCounts(counts) as text: heaviest first, then the state names' order. */
  #counts(counts: Partial<Record<string, number>>): string {
    const entries = Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
    if (entries.length === 0) return '{}';
    // Object.fromEntries puts integer-like keys first, in numeric order: leave such tables to it.
    if (entries.some(([name]) => ARRAY_INDEX.test(name))) return this.#value(sortedCounts(counts), IN3) as string;
    entries.sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0]));
    let text = '';
    for (const [name, count] of entries) text += `${text === '' ? '' : ','}${IN4}${this.#value(name, IN4) as string}: ${Number.isFinite(count) ? String(count) : 'null'}`;
    return `{${text}${IN3}}`;
  }
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
