// Folding rows into snapshot tallies (model/tally.ts): the generic path every capture parser can
// use (a Connection in, counted, dropped) and the one the fast scanners fill group by group.
// Groups live in typed columns behind an open-addressing index, so a million rows over fifty
// thousand remotes cost a few megabytes, not a million objects.
import { STATE_COUNT, STATE_INDEX, stateIndex, type Capture, type CaptureInfo, type Connection, type IpVersion, type ParseDiagnostic } from '../model/connection.js';
import {
  TALLY_FLAG_IPV6,
  TALLY_FLAG_PEER_SERVICE,
  type SnapshotTally,
  type TallyGroupRow,
  type TallyGroups,
} from '../model/tally.js';
import { isWildcardAddress } from '../net/ip.js';

export const LISTEN_STATE = STATE_INDEX.LISTEN;

/** How many diagnostics a snapshot keeps (its info.skipped counts them all). */
export const MAX_KEPT_TALLY_DIAGNOSTICS = 1000;

/** Strings numbered in first-seen order; one table serves every snapshot of an input. */
export class InternTable {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();

  intern(value: string): number {
    let index = this.#index.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#index.set(value, index);
    }
    return index;
  }
}

/**
 * The group flags of a row: IPv6 peer, and "the peer is the server" (it used a privileged port while
 * ours is >= 1024), which the analysis needs to tell scans from our own outbound client sockets.
 */
export function groupFlags(ipVersion: IpVersion, localPort: number | null, remotePort: number | null): number {
  let flags = ipVersion === 6 ? TALLY_FLAG_IPV6 : 0;
  if (localPort !== null && remotePort !== null && remotePort < 1024 && localPort >= 1024) flags |= TALLY_FLAG_PEER_SERVICE;
  return flags;
}

/** A socket with a real peer (same rule as analyze/remote-key.ts hasRemotePeer). */
export function rowHasPeer(state: number, remoteAddress: string, remotePort: number | null): boolean {
  if (state === LISTEN_STATE) return false;
  if (remotePort !== null && remotePort !== 0) return true;
  return !isWildcardAddress(remoteAddress);
}

const INITIAL_GROUPS = 256;
/** Int32 fields per group row while building. */
const ROW = 6;

/** One snapshot's groups and counts while rows arrive. */
export class SnapshotTallyBuilder {
  length = 0;
  connections = 0;
  listening = 0;
  readonly states = new Array<number>(STATE_COUNT).fill(0);
  readonly listenerPorts = new Set<number>();
  readonly diagnostics: ParseDiagnostic[] = [];
  diagnosticCount = 0;
  /** Rows (connections and listening) added. */
  rows = 0;
  /**
   * Groups row by row while rows arrive (one cache line per group: a row's lookup and count touch
   * one place, not seven columns): [remote, key, program, connections, idle, hash], where key packs
   * (localPort + 1) << 6 | state << 2 | flags. finish() copies them into the model's columns.
   */
  #groupRows = new Int32Array(INITIAL_GROUPS * ROW);
  /** Per slot: group + 1 (0 = empty) and the group's hash, side by side. */
  #slots = new Int32Array(INITIAL_GROUPS * 4);
  #mask = INITIAL_GROUPS * 2 - 1;
  /** The rows were adopted (adoptGroups) without an index: addGroup rebuilds it first. */
  #indexStale = false;

  constructor(
    readonly remotes: InternTable = new InternTable(),
    readonly programs: InternTable = new InternTable(),
  ) {}

  /** Fold one parsed row in (the generic path). */
  addConnection(connection: Connection): void {
    const state = stateIndex(connection.state);
    if (!rowHasPeer(state, connection.remoteAddress, connection.remotePort)) {
      this.addListening(state, connection.localPort);
      return;
    }
    const localPort = connection.localPort;
    const program = connection.program !== null && connection.program !== '' ? this.programs.intern(connection.program) : -1;
    this.addGroup(
      this.remotes.intern(connection.remoteAddress),
      state,
      localPort ?? -1,
      program,
      groupFlags(connection.ipVersion, localPort, connection.remotePort),
      1,
      connection.recvQ === 0 && connection.sendQ === 0 ? 1 : 0,
    );
  }

  /** A row without a peer: a listener or an unconnected socket. */
  addListening(state: number, localPort: number | null, count = 1): void {
    this.listening += count;
    this.rows += count;
    if (state === LISTEN_STATE && localPort !== null) this.listenerPorts.add(localPort);
  }

  /** `count` rows of one group (interned remote and program, program -1 for none, localPort -1 for none). */
  addGroup(remote: number, state: number, localPort: number, program: number, flags: number, count: number, idle: number): void {
    this.connections += count;
    this.rows += count;
    this.states[state]! += count;
    const key = ((localPort + 1) << 6) | (state << 2) | flags;
    let hash = Math.imul(remote, 0x9e3779b1) ^ Math.imul(key, 0x85ebca77) ^ Math.imul(program + 1, 0xc2b2ae3d);
    hash ^= hash >>> 15;
    if (this.#indexStale) this.#rehash();
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[2 * slot]!;
      if (entry === 0) break;
      if (slots[2 * slot + 1] === hash) {
        const at = (entry - 1) * ROW;
        const rows = this.#groupRows;
        if (rows[at] === remote && rows[at + 1] === key && rows[at + 2] === program) {
          rows[at + 3]! += count;
          rows[at + 4]! += idle;
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    if ((this.length + 1) * ROW > this.#groupRows.length) {
      const grown = new Int32Array(this.#groupRows.length * 2);
      grown.set(this.#groupRows);
      this.#groupRows = grown;
    }
    const group = this.length++;
    const at = group * ROW;
    const rows = this.#groupRows;
    rows[at] = remote;
    rows[at + 1] = key;
    rows[at + 2] = program;
    rows[at + 3] = count;
    rows[at + 4] = idle;
    rows[at + 5] = hash;
    if (this.length * 2 > mask + 1) this.#rehash();
    else {
      slots[2 * slot] = group + 1;
      slots[2 * slot + 1] = hash;
    }
  }

  addDiagnostic(diagnostic: ParseDiagnostic): void {
    this.diagnosticCount++;
    if (this.diagnostics.length < MAX_KEPT_TALLY_DIAGNOSTICS) this.diagnostics.push(diagnostic);
  }

  /**
   * Hands every group so far to `add` (key packed as in addGroup) and empties the table; the
   * rows' totals stay. A scanner that counts groups elsewhere merges these into its own.
   */
  drainGroups(add: (remote: number, key: number, program: number, connections: number, idle: number) => void): void {
    const rows = this.#groupRows;
    for (let group = 0, at = 0; group < this.length; group++, at += ROW) add(rows[at]!, rows[at + 1]!, rows[at + 2]!, rows[at + 3]!, rows[at + 4]!);
    this.length = 0;
    this.#slots.fill(0);
  }

  /**
   * The snapshot's groups counted elsewhere, in this builder's row layout ([remote, key, program,
   * connections, idle, hash] each; the array is kept), with their rows' connections per state.
   * The builder's own table must be empty (drainGroups).
   */
  adoptGroups(rows: Int32Array<ArrayBuffer>, length: number, states: ArrayLike<number>): void {
    if (this.length !== 0) throw new Error('adoptGroups: the builder already has groups');
    let connections = 0;
    for (let state = 0; state < STATE_COUNT; state++) {
      const count = states[state]!;
      this.states[state]! += count;
      connections += count;
    }
    this.connections += connections;
    this.rows += connections;
    this.#groupRows = rows;
    this.length = length;
    this.#indexStale = true;
  }

  /** Index sized for at least twice the groups (load at most 1/2, kept under 1/2 by the caller). */
  #rehash(): void {
    let size = (this.#mask + 1) * 2;
    while (size < (this.length + 1) * 2) size *= 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    const rows = this.#groupRows;
    for (let group = 0; group < this.length; group++) {
      const hash = rows[group * ROW + 5]!;
      let slot = hash & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = group + 1;
      slots[2 * slot + 1] = hash;
    }
    this.#slots = slots;
    this.#mask = mask;
    this.#indexStale = false;
  }

  /** The finished tally (the builder's columns are copied to their exact size). */
  finish(info: CaptureInfo): SnapshotTally {
    const n = this.length;
    const rows = this.#groupRows;
    const groups: TallyGroups = {
      length: n,
      remotes: this.remotes.values,
      programs: this.programs.values,
      remote: new Uint32Array(n),
      state: new Uint8Array(n),
      localPort: new Int32Array(n),
      program: new Int32Array(n),
      flags: new Uint8Array(n),
      connections: new Uint32Array(n),
      idle: new Uint32Array(n),
    };
    for (let group = 0, at = 0; group < n; group++, at += ROW) {
      const key = rows[at + 1]!;
      groups.remote[group] = rows[at]!;
      groups.localPort[group] = (key >> 6) - 1;
      groups.state[group] = (key >> 2) & 15;
      groups.flags[group] = key & 3;
      groups.program[group] = rows[at + 2]!;
      groups.connections[group] = rows[at + 3]!;
      groups.idle[group] = rows[at + 4]!;
    }
    // The builder's rows and index are not needed any more (a console log keeps 40 finished snapshots).
    this.#groupRows = new Int32Array(0);
    this.#slots = new Int32Array(0);
    return {
      info,
      diagnostics: this.diagnostics,
      totals: { connections: this.connections, listening: this.listening, states: [...this.states] },
      listenerPorts: [...this.listenerPorts].sort((a, b) => a - b),
      groups,
    };
  }
}

/** A parsed Capture (one snapshot: split it first, capture/snapshots.ts) as a tally. */
export function tallyCapture(capture: Capture): SnapshotTally {
  const builder = new SnapshotTallyBuilder();
  for (const connection of capture.connections) builder.addConnection(connection);
  for (const diagnostic of capture.diagnostics) builder.addDiagnostic(diagnostic);
  return builder.finish(capture.info);
}

/** Every group of a tally as plain values, in group order. */
export function forEachTallyGroup(tally: SnapshotTally, visit: (row: TallyGroupRow) => void): void {
  const groups = tally.groups;
  for (let i = 0; i < groups.length; i++) {
    const program = groups.program[i]!;
    const localPort = groups.localPort[i]!;
    const flags = groups.flags[i]!;
    visit({
      remote: groups.remotes[groups.remote[i]!]!,
      ipVersion: flags & TALLY_FLAG_IPV6 ? 6 : 4,
      state: groups.state[i]!,
      localPort: localPort < 0 ? null : localPort,
      program: program < 0 ? null : groups.programs[program]!,
      peerService: (flags & TALLY_FLAG_PEER_SERVICE) !== 0,
      connections: groups.connections[i]!,
      idle: groups.idle[i]!,
    });
  }
}
