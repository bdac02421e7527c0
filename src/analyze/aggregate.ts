// One pass over every connection of every capture, folding them into per-remote
// accumulators. Everything downstream (profiles, clusters, indicators, timeline)
// works on these ~remotes, never on the million connections again.
import type { Capture, Connection } from '../model/connection.js';
import { ESTABLISHED_INDEX, addStates, newStateArray, stateIndex } from './state-counts.js';
import { RemoteIdentityCache, compareIdentities, hasRemotePeer, type RemoteIdentity } from './remote-key.js';

export interface RemoteStats {
  identity: RemoteIdentity;
  connections: number;
  states: Int32Array;
  localPorts: Map<number, number>;
  /** Local ports reached inbound (a listener's port, or from an ephemeral remote port): what a scan touches. */
  servicePorts: Set<number>;
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
  const identities = new RemoteIdentityCache();
  const byV4 = new Map<number, RemoteStats>();
  const byText = new Map<string, RemoteStats>();
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
      const identity = identities.identify(connection.remoteAddress, connection.ipVersion);
      let stats = identity.v4 >= 0 ? byV4.get(identity.v4) : byText.get(identity.ip);
      if (!stats) {
        stats = {
          identity,
          connections: 0,
          states: newStateArray(),
          localPorts: new Map(),
          servicePorts: new Set(),
          programs: new Map(),
          perCapture: new Int32Array(captureCount),
          idleWebPerCapture: new Int32Array(captureCount),
          firstCapture: captureIndex,
          lastCapture: captureIndex,
        };
        if (identity.v4 >= 0) byV4.set(identity.v4, stats);
        else byText.set(identity.ip, stats);
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
        stats.localPorts.set(localPort, (stats.localPorts.get(localPort) ?? 0) + 1);
        if (isServicePort(connection, listeners)) stats.servicePorts.add(localPort);
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

  const remotes = [...byV4.values(), ...byText.values()];
  remotes.sort((a, b) => b.connections - a.connections || compareIdentities(a.identity, b.identity));
  return { remotes, captures: captureAggregates, connections: totalConnections, listening: totalListening, states: totalStates };
}
