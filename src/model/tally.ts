// What reading a capture produces for the analysis: per-snapshot tallies, not connection objects.
//
// One SnapshotTally is one moment (a capture file, or one dated table of a console log). Its rows
// are *groups*: every connection with the same
//   (printed remote address, IP version, state, local port, local program, peer-is-a-server flag)
// is one group with a count, and how many of those had both queues empty. Everything the analysis
// and its indicators need follows from the groups plus the snapshot's LISTEN rows:
//   - per remote: connections, states, local ports (and which were reached inbound), programs;
//   - idle web-port sockets: ESTABLISHED groups on a web port, their `idle` count (the web ports are
//     an analysis option, so the tally keeps the queue fact, not the verdict);
//   - SYN_RECV per snapshot: `totals.states`;
//   - listeners: `listening` (rows without a peer) and `listenerPorts`;
//   - distinct local ports per remote: the groups' local ports.
// Memory grows with distinct groups per snapshot, never with rows.
//
// Any capture parser feeds tallies through its ordinary Connection output (capture/tally-builder.ts
// folds each Connection into the groups and drops it); fast scanners fill the same groups directly.
// Stores (DuckDB, ClickHouse) can keep one table row per group: forEachTallyGroup() in
// capture/tally-builder.ts visits them as plain values.
//
// Groups are in first-seen order (the first group of a remote comes from its first row), so the
// analysis sees remotes in the same order as it would reading the rows one by one.
import type { InputRowIndex } from './capture-rows.js';
import type { CaptureInfo, IpVersion, ParseDiagnostic } from './connection.js';

/** Group flag: the peer is IPv6 (the row's ipVersion; names that are not addresses keep it). */
export const TALLY_FLAG_IPV6 = 1;
/**
 * Group flag: the peer used a privileged port (< 1024) and the local port is >= 1024, i.e. our side is
 * the client (ephemeral local port -> their :80). Such a local port counts as reached inbound only when
 * the snapshot listens on it (analyze/aggregate.ts).
 */
export const TALLY_FLAG_PEER_SERVICE = 2;

/** Column store of one snapshot's groups; index i across every array is one group. */
export interface TallyGroups {
  length: number;
  /** Printed remote addresses (as the parser normalised them), indexed by `remote`. May be shared between snapshots of one input. */
  remotes: readonly string[];
  /** Sanitized program names, indexed by `program`. May be shared between snapshots of one input. */
  programs: readonly string[];
  /** Index into `remotes`. */
  remote: Uint32Array;
  /** Index into CONNECTION_STATES. */
  state: Uint8Array;
  /** Local port, -1 when the row had none (a wildcard '*'). */
  localPort: Int32Array;
  /** Index into `programs`, -1 when the row named none. */
  program: Int32Array;
  /** TALLY_FLAG_* bits. */
  flags: Uint8Array;
  /** Connections in the group. */
  connections: Uint32Array;
  /** Of those, the ones with Recv-Q 0 and Send-Q 0 (both known): "idle" when ESTABLISHED. */
  idle: Uint32Array;
}

export interface SnapshotTally {
  /** The input (or snapshot of an input) as the report's evidence section lists it. */
  info: CaptureInfo;
  /** The first diagnostics (info.skipped has the full count). */
  diagnostics: ParseDiagnostic[];
  totals: {
    /** Rows with a remote peer (the sum of the groups' connections). */
    connections: number;
    /** Rows without a peer: LISTEN rows and unconnected sockets ('0.0.0.0:*', '*.*'). */
    listening: number;
    /** Connections per state, indexed like CONNECTION_STATES. */
    states: number[];
  };
  /** Local ports with a LISTEN row, ascending. */
  listenerPorts: number[];
  groups: TallyGroups;
  /** Where each remote's rows are in the input (shared by its snapshots), when the reader was asked to index them. */
  rows?: InputRowIndex;
}

/** One group as plain values (what forEachTallyGroup visits). */
export interface TallyGroupRow {
  remote: string;
  ipVersion: IpVersion;
  /** Index into CONNECTION_STATES. */
  state: number;
  localPort: number | null;
  program: string | null;
  peerService: boolean;
  connections: number;
  idle: number;
}
