// One pass over every connection of every capture, folding them into per-remote
// accumulators. Everything downstream (profiles, clusters, indicators, timeline)
// works on these ~remotes, never on the million connections again.
import type { Capture, Connection } from '../model/connection.js';
import { ESTABLISHED_INDEX, addStates, newStateArray, stateIndex } from './state-counts.js';
import { PortTally } from './port-tally.js';
import { compareIdentities, hasRemotePeer, identifyRemote, type RemoteIdentity } from './remote-key.js';

export interface RemoteStats {
  identity: RemoteIdentity;
  connections: number;
  states: Int32Array;
  /** Local ports and their counts; `service` marks ports reached inbound (what a scan touches). */
  localPorts: PortTally;
  programs: Map<string, number>;
  /** Connections per capture index. */
  perCapture: Int32Array;
  /** ESTABLISHED sockets on a web port with both queues empty, per capture index. */
  idleWebPerCapture: Int32Array;
  firstCapture: number;
  lastCapture: number;
}

export interface CaptureAggregate {
  connections: number;
  remotes: number;
  listening: number;
  states: Int32Array;
}

export interface Aggregate {
  /** Sorted: connections desc, then address order. */
  remotes: RemoteStats[];
  captures: CaptureAggregate[];
  connections: number;
  listening: number;
  states: Int32Array;
}

/** Ports of LISTEN rows: connections to them are inbound. */
function listeningPorts(connections: Connection[]): Set<number> {
  const ports = new Set<number>();
  for (const connection of connections) {
    if (connection.state === 'LISTEN' && connection.localPort !== null) ports.add(connection.localPort);
  }
  return ports;
}

/**
 * A local port counts toward a scan when it is a listener, or when the peer uses a
 * non-privileged port. Outbound client sockets (ephemeral local port -> remote :80/:53)
 * would otherwise make any mirror or resolver look like a scanner.
 */
function isServicePort(connection: Connection, listeners: Set<number>): boolean {
  const local = connection.localPort;
  if (local === null || local === 0) return false;
  if (listeners.has(local)) return true;
  const remote = connection.remotePort;
  return !(remote !== null && remote < 1024 && local >= 1024);
}

export function aggregateCaptures(captures: Capture[], webPorts: readonly number[]): Aggregate {
  const captureCount = captures.length;
  const webPortSet = new Set(webPorts);
  // Keyed by the address exactly as printed (one lookup per connection on the hot path);
  // spellings of the same address ('::ffff:1.2.3.4', '1.2.3.4') meet in byCanonical.
  const byPrinted = new Map<string, RemoteStats>();
  const byCanonical = new Map<string, RemoteStats>();
  const captureAggregates: CaptureAggregate[] = [];
  const totalStates = newStateArray();
  let totalConnections = 0;
  let totalListening = 0;

  for (let captureIndex = 0; captureIndex < captureCount; captureIndex++) {
    const capture = captures[captureIndex]!;
    const listeners = listeningPorts(capture.connections);
    const states = newStateArray();
    let remotesInCapture = 0;
    let connections = 0;
    let listening = 0;
    for (const connection of capture.connections) {
      if (!hasRemotePeer(connection)) {
        listening++;
        continue;
      }
      let stats = byPrinted.get(connection.remoteAddress);
      if (!stats) {
        const identity = identifyRemote(connection.remoteAddress, connection.ipVersion);
        stats = byCanonical.get(identity.ip);
        if (!stats) {
          stats = {
            identity,
            connections: 0,
            states: newStateArray(),
            localPorts: new PortTally(),
            programs: new Map(),
            perCapture: new Int32Array(captureCount),
            idleWebPerCapture: new Int32Array(captureCount),
            firstCapture: captureIndex,
            lastCapture: captureIndex,
          };
          byCanonical.set(identity.ip, stats);
        }
        byPrinted.set(connection.remoteAddress, stats);
      }
      const state = stateIndex(connection.state);
      stats.connections++;
      stats.states[state]!++;
      if (stats.perCapture[captureIndex] === 0) remotesInCapture++;
      stats.perCapture[captureIndex]!++;
      stats.lastCapture = captureIndex;
      states[state]!++;
      connections++;
      const localPort = connection.localPort;
      if (localPort !== null) {
        stats.localPorts.add(localPort, isServicePort(connection, listeners));
        // "Idle" = the socket is open but nothing is queued either way: the slow
        // client holds it without sending the rest of its request.
        if (state === ESTABLISHED_INDEX && connection.recvQ === 0 && connection.sendQ === 0 && webPortSet.has(localPort)) {
          stats.idleWebPerCapture[captureIndex]!++;
        }
      }
      if (connection.program !== null && connection.program !== '') {
        stats.programs.set(connection.program, (stats.programs.get(connection.program) ?? 0) + 1);
      }
    }
    captureAggregates.push({ connections, remotes: remotesInCapture, listening, states });
    addStates(totalStates, states);
    totalConnections += connections;
    totalListening += listening;
  }

  const remotes = [...byCanonical.values()];
  remotes.sort((a, b) => b.connections - a.connections || compareIdentities(a.identity, b.identity));
  return { remotes, captures: captureAggregates, connections: totalConnections, listening: totalListening, states: totalStates };
}
