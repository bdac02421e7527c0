// The one connection record every capture parser produces.

export type Protocol = 'tcp' | 'udp';
export type IpVersion = 4 | 6;

/** One vocabulary for TCP states across Linux, BSD/macOS, Windows, Solaris and /proc. */
export type ConnectionState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'UNKNOWN';

export const CONNECTION_STATES: readonly ConnectionState[] = [
  'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'UNKNOWN',
];

/** Per-state count arrays have one column per state, in CONNECTION_STATES order. */
export const STATE_COUNT = CONNECTION_STATES.length;
const STATE_COLUMNS = new Map<string, number>(CONNECTION_STATES.map((state, index) => [state, index]));
export const STATE_INDEX = Object.freeze(Object.fromEntries(STATE_COLUMNS)) as Readonly<Record<ConnectionState, number>>;

/** A state's column; any other word (a Map, so '__proto__' too) counts as UNKNOWN. */
export function stateIndex(state: string): number {
  return STATE_COLUMNS.get(state) ?? STATE_INDEX.UNKNOWN;
}

/** Where a record came from: the input's display name and the 1-based line number. */
export interface SourceRef {
  file: string;
  line: number;
}

export interface Connection {
  protocol: Protocol;
  ipVersion: IpVersion;
  /** Address as printed, normalised (no brackets, no zone); '*' / '0.0.0.0' / '::' wildcards kept as such. */
  localAddress: string;
  /** null when the port is a wildcard ('*'). */
  localPort: number | null;
  remoteAddress: string;
  remotePort: number | null;
  state: ConnectionState;
  /** The state text exactly as the capture printed it ('' when the format has no state column). */
  rawState: string;
  recvQ: number | null;
  sendQ: number | null;
  pid: number | null;
  /** Sanitized (control characters stripped) program name; null when absent. */
  program: string | null;
  /** Owner of the socket as printed (lsof USER, sockstat USER), sanitized; absent when not printed. */
  user?: string;
  /** File descriptor as printed (lsof `3u`, sockstat `4`), sanitized; absent when not printed. */
  fd?: string;
  /** Interface/zone scope when the capture printed one (`%lo`, `%9`). */
  scope?: string;
  /** Set when the OS truncated a field (macOS cuts IPv6 at 16 chars, Linux cuts program names). */
  truncated?: ('localAddress' | 'remoteAddress' | 'program')[];
  /** Service names the capture printed that have no known port number (that port is null), e.g. macOS-cut `sunpr`. */
  unknownServices?: { local?: string; remote?: string };
  /** Gateway flows (conntrack captures): what the kernel keeps beyond the two endpoints. */
  flow?: FlowDetails;
  /** Web server status pages (Apache, lighttpd): what the worker serving this client was doing. */
  worker?: WorkerInfo;
  source: SourceRef;
}

export interface FlowTuple {
  source: string;
  sourcePort: number | null;
  destination: string;
  destinationPort: number | null;
}

export interface FlowDetails {
  /** The reply tuple as printed: it differs from the original turned round when NAT rewrote the flow. */
  reply: FlowTuple;
  /** Local and remote are the original destination and source: the source was outside the local networks (--local-net). */
  reversed?: true;
  /** ASSURED: traffic seen both ways; UNREPLIED: no answer yet. */
  flags?: ('assured' | 'unreplied')[];
  mark?: number;
  zone?: number;
  /** Per direction, when accounting was on (nf_conntrack_acct=1). */
  packets?: { original: number; reply: number };
  bytes?: { original: number; reply: number };
  /** Event streams (conntrack -E): how many events this flow had, and the last one. */
  events?: number;
  lastEvent?: 'new' | 'update' | 'destroy';
}

/**
 * One scoreboard state vocabulary for Apache and lighttpd: reading a request, writing a reply,
 * keep-alive, waiting (idle), and the rest Apache and lighttpd print (closing, logging...).
 */
export type WorkerState = 'reading' | 'writing' | 'keepalive' | 'waiting' | 'starting' | 'dns' | 'closing' | 'logging' | 'finishing' | 'idle-cleanup' | 'handling' | 'open';

export interface WorkerInfo {
  state: WorkerState;
  /** The scoreboard letter as printed (Apache `R`, lighttpd `r`). */
  letter: string;
  /** Sanitized request line and virtual host, when the page showed them. */
  request?: string;
  vhost?: string;
}

/** A status page's scoreboard: workers per state; the page may list no client at all (`?auto`). */
export interface WorkerCounts {
  /** Every slot the scoreboard shows, by state. */
  states: Partial<Record<WorkerState, number>>;
  slots: number;
  /** 'apache' or 'lighttpd': their letters differ. */
  server: 'apache' | 'lighttpd';
  /**
   * Pages that name each worker's client (Apache's HTML page with ExtendedStatus): the workers
   * reading a request or writing a reply, by client, busiest first (at most 50 listed).
   */
  readingOrWritingClients?: { clients: number; workers: number; top: { client: string; workers: number }[] };
}

/** A line a parser could not use. Bad input is data, not an exception. */
export interface ParseDiagnostic {
  file: string;
  line: number;
  raw: string;
  reason: string;
}

/** What we know about one input (file or stdin) after parsing. Used for the report's evidence section. */
export interface CaptureInfo {
  /** Display name: the path as given, or '-' / '<stdin>'. */
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Registered parser name that read it. */
  format: string;
  /** Capture time (ISO 8601 UTC) when a header or the file gave one; null otherwise. */
  capturedAt: string | null;
  /** Host name from a netsleuth capture header, when present. */
  host?: string | null;
  /** Set when this is one snapshot of an input that holds several (see Capture.snapshots). */
  snapshot?: { index: number; count: number; file: string; firstLine: number };
  lines: number;
  parsed: number;
  skipped: number;
  /** Web server status pages: the scoreboard (every worker, busy or not). */
  workers?: WorkerCounts;
}

export interface Capture {
  info: CaptureInfo;
  connections: Connection[];
  diagnostics: ParseDiagnostic[];
  /**
   * Where the input's snapshots start, when it holds two or more: a console log of
   * `while sleep 60; do date; netstat -tan; done` has a time line before each table.
   */
  snapshots?: CaptureSnapshot[];
}

export interface CaptureSnapshot {
  /** First line of the snapshot (its time line). */
  firstLine: number;
  capturedAt: string | null;
}
