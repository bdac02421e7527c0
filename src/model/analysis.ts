// Output of the pure analysis stage (src/analyze). Every list is sorted by
// connections descending with a deterministic tie-breaker.
import type { ConnectionState, IpVersion } from './connection.js';
import type { Institution, IpAttribution, RdnsResult, RoutePrefix, SpecialRange } from './attribution.js';
import type { BlocklistHit, NetworkRegistration } from './network.js';
import type { TracePath, TraceVerdict } from './trace.js';

export type StateCounts = Partial<Record<ConnectionState, number>>;

export interface RemoteProfile {
  ip: string;
  ipVersion: IpVersion;
  connections: number;
  states: StateCounts;
  /** Local ports this remote hits, sorted by count desc then port asc. */
  localPorts: { port: number; connections: number }[];
  /** Local programs it talks to, when the capture named them. */
  programs: { program: string; connections: number }[];
  /** Fraction 0..1 of all connections. */
  share: number;
  /** Index (0-based) into Analysis.captures of first and last appearance. */
  firstCapture: number;
  lastCapture: number;
  special: SpecialRange | null;
  country: string | null;
  countryName: string | null;
  city: string | null;
  /** Located coordinates when the geo data had them (the TUI map plots them). Optional: renderers that draw no map never read it. */
  latitude?: number | null;
  longitude?: number | null;
  asn: number | null;
  asOrg: string | null;
  institution: Institution | null;
  rdns: RdnsResult;
  verdict?: TraceVerdict;
  /** Hosts that saw this remote, by name (reports built from a fleet store only). */
  hosts?: string[];
  /** Registration data of the remote's network (RDAP / national whois), when asked (--rdap). */
  network?: NetworkRegistration;
  /** Blocklist entries covering the remote, when lists were in use. */
  listedIn?: BlocklistHit[];
}

export type ClusterKind = 'prefix' | 'asn' | 'institution' | 'country';

export interface Cluster {
  kind: ClusterKind;
  /** '147.46.0.0/16', '9488', 'Seoul National University', 'KR'. */
  key: string;
  /** Human label (AS org, country name, institution name). */
  label: string;
  connections: number;
  /** Prefix clusters only: what remains after heavier sub-prefixes are taken out. */
  ownConnections?: number;
  share: number;
  remotes: number;
  states: StateCounts;
  /** Most common country / ASN among the cluster's remotes. */
  summary: { countries: string[]; asns: number[]; asOrgs: string[] };
  /** Hosts that saw any of its remotes, by name (reports built from a fleet store only). */
  hosts?: string[];
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface Indicator {
  /** 'connection-flood', 'syn-flood', 'idle-established', 'port-scan', 'rdns-anomaly', 'concentration', 'surge'. */
  kind: string;
  severity: Severity;
  summary: string;
  /** The remotes involved (IPs) and the numbers that triggered it. */
  evidence: { remotes: string[]; figures: Record<string, number | string> };
  /** The threshold(s) applied, by name. */
  thresholds: Record<string, number>;
}

export interface CaptureTotals {
  index: number;
  path: string;
  capturedAt: string | null;
  connections: number;
  remotes: number;
  states: StateCounts;
}

export interface Timeline {
  captures: CaptureTotals[];
  /** key = cluster kind:key, values per capture index. */
  clusterSeries: { kind: ClusterKind; key: string; label: string; series: number[] }[];
  newRemotes: string[];
  growingRemotes: string[];
  persistingRemotes: string[];
  /** Index of the capture where the surge began, or null. */
  surgeStart: number | null;
}

export interface AnalysisOptions {
  /** Aguri prefix threshold, fraction 0..1 (default 0.05). */
  clusterThreshold: number;
  /** Per-remote connection flood threshold (DDoS-Deflate default 150). */
  floodPerRemote: number;
  synRecvCount: number;
  synRecvShare: number;
  idleEstablishedPerRemote: number;
  webPorts: number[];
  /** distributed-slow-requests: idle ESTABLISHED web-port sockets in one capture, whoever holds them... */
  slowIdleTotal: number;
  /** ...as a fraction 0..1 of that capture's web-port connections. */
  slowIdleShare: number;
  portScanPorts: number;
  rdnsFailShare: number;
  /** rdns-anomaly is judged only with at least this many queried remotes. */
  rdnsMinQueriedRemotes: number;
  concentrationShare: number;
  /** concentration is judged only with at least this many connections. */
  concentrationMinConnections: number;
  surgeFactor: number;
  /** slow-requests: web server workers reading a request or writing a reply in one status capture... */
  slowRequestWorkers: number;
  /** ...held by at least this many distinct clients. */
  slowRequestClients: number;
}

export interface Analysis {
  captures: CaptureTotals[];
  totals: { connections: number; remotes: number; listening: number; states: StateCounts };
  remotes: RemoteProfile[];
  clusters: Cluster[];
  countries: { country: string; countryName: string; connections: number; remotes: number }[];
  institutions: { asn: number | null; name: string; type: Institution['type']; country: string | null; connections: number; remotes: number }[];
  indicators: Indicator[];
  rdnsCounts: Partial<Record<RdnsResult['status'], number>>;
  timeline: Timeline | null;
  /** Plain-words attribution summary. */
  summary: string;
  /** One-paragraph verdict. */
  verdict: string;
  options: AnalysisOptions;
  traces: TracePath[];
}

/** One capture's evidence: parsed rows, or (what the pipeline reads) its tally (model/tally.ts). */
export type CaptureEvidence = import('./connection.js').Capture | import('./tally.js').SnapshotTally;

/** Everything the analysis needs, all data (no I/O). */
export interface AnalysisInput {
  /** One entry per capture or snapshot, in order. */
  captures: CaptureEvidence[];
  attributions: Map<string, IpAttribution>;
  /** Routed block per remote address (null: no data covers it). Absent: prefix clusters are not held to routes. */
  routes?: ReadonlyMap<string, RoutePrefix | null>;
  rdns: Map<string, RdnsResult>;
  traces: Map<string, TracePath>;
  verdicts: Map<string, TraceVerdict>;
  baseline?: CaptureEvidence[];
  options?: Partial<AnalysisOptions>;
}
