// One pass over every group of every snapshot tally (model/tally.ts), folding them into per-remote
// accumulators. Everything downstream (profiles, clusters, indicators, timeline)
// works on these ~remotes, never on the million connections.
import type { CaptureEvidence } from '../model/analysis.js';
import { TALLY_FLAG_IPV6, TALLY_FLAG_PEER_SERVICE, type SnapshotTally } from '../model/tally.js';
import { tallyCapture } from '../capture/tally-builder.js';
import { STATE_COUNT } from '../model/connection.js';
import { ESTABLISHED_INDEX, addStates, newStateArray } from './state-counts.js';
import { PortTally } from './port-tally.js';
import { compareIdentities, identifyRemote, type RemoteIdentity } from './remote-key.js';
import { ipv4ToInt } from '../net/ip.js';

/** Counts by index (a plain array, or a view of the aggregation's rows). */
export type CountList = ArrayLike<number> & Iterable<number>;

export interface RemoteStats {
  readonly identity: RemoteIdentity;
  readonly connections: number;
  /** Indexed like CONNECTION_STATES. */
  readonly states: CountList;
  /** Local ports and their counts; `service` marks ports reached inbound (what a scan touches). */
  readonly localPorts: PortTally;
  /** Read-only: remotes without program names share one empty map. */
  readonly programs: ReadonlyMap<string, number>;
  /** Connections per capture index. */
  readonly perCapture: CountList;
  /** ESTABLISHED sockets on a web port with both queues empty, per capture index. */
  readonly idleWebPerCapture: CountList;
  readonly firstCapture: number;
  readonly lastCapture: number;
  /** The local ports as profile entries in first-seen order, made without a PortTally (when the stats can). */
  portEntries?(): { port: number; connections: number }[];
  /** The programs as profile entries in first-seen order, made without a Map (when the stats can). */
  programEntries?(): { program: string; connections: number }[];
}

export interface CaptureAggregate {
  connections: number;
  remotes: number;
  listening: number;
  states: Int32Array;
  /** Connections on a web port (any state), and of those the idle ESTABLISHED ones. */
  webConnections: number;
  idleWebConnections: number;
}

export interface Aggregate {
  /** Sorted: connections desc, then address order. */
  remotes: RemoteStats[];
  captures: CaptureAggregate[];
  connections: number;
  listening: number;
  states: Int32Array;
  /** Distinct remotes when `remotes` lists only the heaviest of them (a fleet store's report). */
  remoteCount?: number;
}

// Counters live in one flat Int32Array, one row per remote, so the hot loop touches one
// or two cache lines per connection instead of a dozen small objects (1M connections over
// 50k remotes is memory-bound: see bench/analyze.mjs). Row layout:
//   [connections, firstCapture, lastCapture, overflowed, states x STATE_COUNT, perCapture x captures,
//    idleWeb x captures, (port, count, inbound) x INLINE_PORTS, (program id, count) x INLINE_PROGRAMS]
// The rows stay the storage after the pass: each remote's RemoteStats reads its own row when asked
// (one small object per remote instead of ten arrays, maps and tallies that all outlive the analysis).
// A remote touching more than INLINE_PORTS distinct local ports moves them to a PortTally, one
// with more than INLINE_PROGRAMS programs moves them to a Map (both keep first-seen order). A web
// server's peers meet its web server, mail server and sshd: four program slots hold them.
const INLINE_PORTS = 4;
const INLINE_PROGRAMS = 4;
const NO_PROGRAMS: ReadonlyMap<string, number> = new Map();
/** Port flags cover every TCP/UDP port; anything else (never printed) is simply not flagged. */
const PORT_FLAGS = 65536;
const CONNECTIONS = 0;
const FIRST = 1;
const LAST = 2;
/** PORTS_MOVED | PROGRAMS_MOVED: where the remote's ports and programs are (saves a Map lookup per group). */
const OVERFLOWED = 3;
const PORTS_MOVED = 1;
const PROGRAMS_MOVED = 2;
const STATES = 4;
const MAX_RESERVED_COUNTERS = 64 * 1024 * 1024;

class CounterRows {
  readonly stride: number;
  readonly captureBase = STATES + STATE_COUNT;
  readonly idleBase: number;
  readonly portBase: number;
  readonly programBase: number;
  rows: Int32Array;
  count = 0;

  /** `expectedRemotes`: at most this many rows are expected (pages never written cost nothing; growing copies). */
  constructor(captureCount: number, expectedRemotes: number) {
    this.idleBase = this.captureBase + captureCount;
    this.portBase = this.idleBase + captureCount;
    this.programBase = this.portBase + 3 * INLINE_PORTS;
    this.stride = this.programBase + 2 * INLINE_PROGRAMS;
    // At most 256 MB reserved up front (a fleet of files can have many large tables): past that, growing.
    this.rows = new Int32Array(this.stride * Math.max(1024, Math.min(expectedRemotes, Math.floor(MAX_RESERVED_COUNTERS / this.stride))));
  }

  add(captureIndex: number): number {
    if ((this.count + 1) * this.stride > this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const base = this.count * this.stride;
    this.rows[base + FIRST] = captureIndex;
    for (let i = 0; i < INLINE_PORTS; i++) this.rows[base + this.portBase + 3 * i] = -1;
    for (let i = 0; i < INLINE_PROGRAMS; i++) this.rows[base + this.programBase + 2 * i] = -1;
    return this.count++;
  }
}

/** Captures (one snapshot each) aggregated through their tallies; parsed ones are tallied first. */
export function aggregateCaptures(captures: readonly CaptureEvidence[], webPorts: readonly number[]): Aggregate {
  return aggregateTallies(captures.map(toTally), webPorts);
}

/** A remote's inline program slots as a Map in first-seen order (the shared empty one when none). */
function inlinePrograms(rows: Int32Array, from: number, names: readonly string[]): ReadonlyMap<string, number> {
  if (rows[from] === -1) return NO_PROGRAMS;
  const counts = new Map<string, number>();
  for (let slot = from; slot < from + 2 * INLINE_PROGRAMS && rows[slot] !== -1; slot += 2) counts.set(names[rows[slot]!]!, rows[slot + 1]!);
  return counts;
}

/** The aggregation's storage, which every RemoteRow reads. */
interface RemoteTable {
  counters: CounterRows;
  captureCount: number;
  /** Remotes with more than INLINE_PORTS local ports, and more than INLINE_PROGRAMS programs. */
  overflowPorts: Map<number, PortTally>;
  programs: Map<number, Map<string, number>>;
  programNames: readonly string[];
}

/**
 * One remote's counters, read from its row of the table when asked: the arrays it hands out are
 * views of the row (or, for ports and programs, made on the spot), so only the consumer that reads
 * them keeps them.
 */
class RemoteRow implements RemoteStats {
  readonly #table: RemoteTable;
  readonly #remote: number;

  constructor(
    readonly identity: RemoteIdentity,
    readonly connections: number,
    readonly firstCapture: number,
    readonly lastCapture: number,
    table: RemoteTable,
    remote: number,
  ) {
    this.#table = table;
    this.#remote = remote;
  }

  #base(): number {
    return this.#remote * this.#table.counters.stride;
  }

  get states(): Int32Array {
    const from = this.#base() + STATES;
    return this.#table.counters.rows.subarray(from, from + STATE_COUNT);
  }

  get perCapture(): Int32Array {
    const from = this.#base() + this.#table.counters.captureBase;
    return this.#table.counters.rows.subarray(from, from + this.#table.captureCount);
  }

  get idleWebPerCapture(): Int32Array {
    const from = this.#base() + this.#table.counters.idleBase;
    return this.#table.counters.rows.subarray(from, from + this.#table.captureCount);
  }

  get localPorts(): PortTally {
    const { counters, overflowPorts } = this.#table;
    const rows = counters.rows;
    const base = this.#base();
    if ((rows[base + OVERFLOWED]! & PORTS_MOVED) !== 0) return overflowPorts.get(this.#remote)!;
    const from = base + counters.portBase;
    let length = 0;
    while (length < INLINE_PORTS && rows[from + 3 * length] !== -1) length++;
    const ports = new Array<number>(length);
    const counts = new Array<number>(length);
    const service = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      ports[i] = rows[from + 3 * i]!;
      counts[i] = rows[from + 3 * i + 1]!;
      service[i] = rows[from + 3 * i + 2]!;
    }
    return new PortTally(ports, counts, service);
  }

  portEntries(): { port: number; connections: number }[] {
    const { counters, overflowPorts } = this.#table;
    const rows = counters.rows;
    const base = this.#base();
    if ((rows[base + OVERFLOWED]! & PORTS_MOVED) !== 0) {
      const tally = overflowPorts.get(this.#remote)!;
      return tally.ports.map((port, i) => ({ port, connections: tally.counts[i] ?? 0 }));
    }
    const from = base + counters.portBase;
    let length = 0;
    while (length < INLINE_PORTS && rows[from + 3 * length] !== -1) length++;
    const entries = new Array<{ port: number; connections: number }>(length);
    for (let i = 0; i < length; i++) entries[i] = { port: rows[from + 3 * i]!, connections: rows[from + 3 * i + 1]! };
    return entries;
  }

  programEntries(): { program: string; connections: number }[] {
    const { counters, programs, programNames } = this.#table;
    const rows = counters.rows;
    const base = this.#base();
    if ((rows[base + OVERFLOWED]! & PROGRAMS_MOVED) !== 0) return Array.from(programs.get(this.#remote)!, ([program, connections]) => ({ program, connections }));
    const from = base + counters.programBase;
    let length = 0;
    while (length < INLINE_PROGRAMS && rows[from + 2 * length] !== -1) length++;
    const entries = new Array<{ program: string; connections: number }>(length);
    for (let i = 0; i < length; i++) entries[i] = { program: programNames[rows[from + 2 * i]!]!, connections: rows[from + 2 * i + 1]! };
    return entries;
  }

  get programs(): ReadonlyMap<string, number> {
    const { counters, programs, programNames } = this.#table;
    const base = this.#base();
    if ((counters.rows[base + OVERFLOWED]! & PROGRAMS_MOVED) !== 0) return programs.get(this.#remote)!;
    return inlinePrograms(counters.rows, base + counters.programBase, programNames);
  }
}

export function toTally(capture: CaptureEvidence): SnapshotTally {
  return 'groups' in capture ? capture : tallyCapture(capture);
}

export function aggregateTallies(tallies: readonly SnapshotTally[], webPorts: readonly number[]): Aggregate {
  const captureCount = tallies.length;
  const webPortFlags = new Uint8Array(PORT_FLAGS);
  for (const port of webPorts) if (port >= 0 && port < PORT_FLAGS) webPortFlags[port] = 1;
  /** 1 for the local ports the snapshot being read listens on (set and cleared per snapshot). */
  const listenerFlags = new Uint8Array(PORT_FLAGS);
  // Every distinct remote is in some input's address table: their sizes bound the rows needed.
  let expectedRemotes = 0;
  for (const table of new Set(tallies.map((tally) => tally.groups.remotes))) expectedRemotes += table.length;
  const counters = new CounterRows(captureCount, expectedRemotes);
  const { stride, captureBase, idleBase, portBase, programBase } = counters;
  const identities: RemoteIdentity[] = [];
  const overflowPorts = new Map<number, PortTally>();
  /** Remotes with more than INLINE_PROGRAMS programs. */
  const programs = new Map<number, Map<string, number>>();
  // Program names numbered across inputs; each input's own table maps to them once per name.
  const programNames: string[] = [];
  const programIds = new Map<string, number>();
  const programIdsByTable = new Map<readonly string[], Int32Array>();
  // Counter rows by canonical address: IPv4 by its value (as a signed 32-bit integer, a small
  // integer key), anything else by its text. Spellings of one address ('::ffff:1.2.3.4',
  // '1.2.3.4') and the same address in several inputs meet here.
  const byV4 = new Map<number, number>();
  const byCanonical = new Map<string, number>();
  // Snapshots of one input share one table of printed addresses: its index -> counter row + 1
  // (0 = not looked up yet), so the string maps are consulted once per address, not per group.
  const rowsByTable = new Map<readonly string[], Int32Array>();
  const captureAggregates: CaptureAggregate[] = [];
  const totalStates = newStateArray();
  let totalConnections = 0;
  let totalListening = 0;

  for (let captureIndex = 0; captureIndex < captureCount; captureIndex++) {
    const tally = tallies[captureIndex]!;
    const groups = tally.groups;
    for (const port of tally.listenerPorts) if (port >= 0 && port < PORT_FLAGS) listenerFlags[port] = 1;
    let rowOf = rowsByTable.get(groups.remotes);
    if (!rowOf || rowOf.length < groups.remotes.length) {
      const grown = new Int32Array(groups.remotes.length);
      if (rowOf) grown.set(rowOf);
      rowOf = grown;
      rowsByTable.set(groups.remotes, rowOf);
    }
    let programIdOf = programIdsByTable.get(groups.programs);
    if (!programIdOf || programIdOf.length < groups.programs.length) {
      const grown = new Int32Array(groups.programs.length).fill(-1);
      if (programIdOf) grown.set(programIdOf);
      programIdOf = grown;
      programIdsByTable.set(groups.programs, programIdOf);
    }
    const states = newStateArray();
    const captureOffset = captureBase + captureIndex;
    const idleOffset = idleBase + captureIndex;
    let remotesInCapture = 0;
    let webConnections = 0;
    let idleWebConnections = 0;
    for (let group = 0; group < groups.length; group++) {
      const remoteId = groups.remote[group]!;
      const flags = groups.flags[group]!;
      const count = groups.connections[group]!;
      let remote = rowOf[remoteId]! - 1;
      if (remote < 0) {
        const printed = groups.remotes[remoteId]!;
        // A dotted quad is its own canonical text (identifyRemote's first case), without parsing twice.
        const quad = ipv4ToInt(printed);
        const identity: RemoteIdentity | null = quad >= 0 ? null : identifyRemote(printed, flags & TALLY_FLAG_IPV6 ? 6 : 4);
        const v4 = identity === null ? quad : identity.v4;
        let known = v4 >= 0 ? byV4.get(v4 | 0) : byCanonical.get(identity!.ip);
        if (known === undefined) {
          known = counters.add(captureIndex);
          identities.push(identity ?? { ip: printed, version: 4, v4, v6: null });
          if (v4 >= 0) byV4.set(v4 | 0, known);
          else byCanonical.set(identity!.ip, known);
        }
        remote = known;
        rowOf[remoteId] = remote + 1;
      }
      const rows = counters.rows;
      const base = remote * stride;
      const state = groups.state[group]!;
      rows[base + CONNECTIONS]! += count;
      rows[base + STATES + state]! += count;
      if (rows[base + captureOffset] === 0) remotesInCapture++;
      rows[base + captureOffset]! += count;
      rows[base + LAST] = captureIndex;
      states[state]! += count;
      const localPort = groups.localPort[group]!;
      if (localPort >= 0) {
        // A local port counts toward a scan when it is a listener, or when the peer is not a
        // server answering our ephemeral port: outbound client sockets (ours -> their :80/:53)
        // would otherwise make any mirror or resolver look like a scanner.
        const inbound = localPort !== 0 && ((localPort < PORT_FLAGS && listenerFlags[localPort] === 1) || (flags & TALLY_FLAG_PEER_SERVICE) === 0);
        if ((rows[base + OVERFLOWED]! & PORTS_MOVED) !== 0) {
          overflowPorts.get(remote)!.addCount(localPort, count, inbound);
        } else {
          let slot = base + portBase;
          const end = slot + 3 * INLINE_PORTS;
          while (slot < end && rows[slot] !== localPort && rows[slot] !== -1) slot += 3;
          if (slot < end) {
            rows[slot] = localPort;
            rows[slot + 1]! += count;
            if (inbound) rows[slot + 2] = 1;
          } else {
            const tally = new PortTally();
            for (let i = base + portBase; i < end; i += 3) tally.addCount(rows[i]!, rows[i + 1]!, rows[i + 2] === 1);
            tally.addCount(localPort, count, inbound);
            overflowPorts.set(remote, tally);
            rows[base + OVERFLOWED]! |= PORTS_MOVED;
          }
        }
        // "Idle" = the socket is open but nothing is queued either way: the slow
        // client holds it without sending the rest of its request.
        if (localPort < PORT_FLAGS && webPortFlags[localPort] === 1) {
          webConnections += count;
          if (state === ESTABLISHED_INDEX) {
            const idle = groups.idle[group]!;
            rows[base + idleOffset]! += idle;
            idleWebConnections += idle;
          }
        }
      }
      const program = groups.program[group]!;
      if (program >= 0) {
        let id = programIdOf[program]!;
        if (id < 0) {
          const name = groups.programs[program]!;
          id = programIds.get(name) ?? -1;
          if (id < 0) {
            id = programNames.length;
            programNames.push(name);
            programIds.set(name, id);
          }
          programIdOf[program] = id;
        }
        if ((rows[base + OVERFLOWED]! & PROGRAMS_MOVED) !== 0) {
          const counts = programs.get(remote)!;
          const name = programNames[id]!;
          counts.set(name, (counts.get(name) ?? 0) + count);
        } else {
          let slot = base + programBase;
          const end = slot + 2 * INLINE_PROGRAMS;
          while (slot < end && rows[slot] !== id && rows[slot] !== -1) slot += 2;
          if (slot < end) {
            rows[slot] = id;
            rows[slot + 1]! += count;
          } else {
            const moved = new Map<string, number>();
            for (let i = base + programBase; i < end; i += 2) moved.set(programNames[rows[i]!]!, rows[i + 1]!);
            moved.set(programNames[id]!, count);
            programs.set(remote, moved);
            rows[base + OVERFLOWED]! |= PROGRAMS_MOVED;
          }
        }
      }
    }
    for (const port of tally.listenerPorts) if (port >= 0 && port < PORT_FLAGS) listenerFlags[port] = 0;
    const { connections, listening } = tally.totals;
    captureAggregates.push({ connections, remotes: remotesInCapture, listening, states, webConnections, idleWebConnections });
    addStates(totalStates, states);
    totalConnections += connections;
    totalListening += listening;
  }

  const table: RemoteTable = { counters, captureCount, overflowPorts, programs, programNames };
  const rows = counters.rows;
  const remotes: RemoteStats[] = identities.map((identity, remote) => {
    const base = remote * stride;
    return new RemoteRow(identity, rows[base + CONNECTIONS]!, rows[base + FIRST]!, rows[base + LAST]!, table, remote);
  });
  remotes.sort((a, b) => b.connections - a.connections || compareIdentities(a.identity, b.identity));
  return { remotes, captures: captureAggregates, connections: totalConnections, listening: totalListening, states: totalStates };
}
