// One snapshot's connections folded into the rows the store keeps: remote x state x local port
// x program x inbound, with counts. The aggregation (analyze/aggregate.ts) reads the same
// facts from each connection, so a report built from these rows equals one built from the
// connections: which local ports were reached inbound is decided here, per snapshot, with
// that snapshot's listeners, exactly as the aggregation decides it.
import type { Capture, Connection, IpVersion } from '../model/connection.js';
import { hasRemotePeer, identifyRemote } from '../analyze/remote-key.js';
import { isServicePort, listeningPorts } from '../analyze/aggregate.js';

export interface SnapshotTallies {
  remote: string[];
  ipVersion: IpVersion[];
  state: string[];
  /** -1 when the capture printed no port. */
  localPort: number[];
  /** '' when the capture named no program. */
  program: string[];
  inbound: number[];
  /** Connections with both queues empty. */
  quiet: number[];
  connections: number[];
  /** Sockets with a remote peer (the sum of `connections`). */
  totalConnections: number;
  /** LISTEN rows and sockets without a peer. */
  listening: number;
}

export function tallySnapshot(capture: Capture): SnapshotTallies {
  const tallies: SnapshotTallies = { remote: [], ipVersion: [], state: [], localPort: [], program: [], inbound: [], quiet: [], connections: [], totalConnections: 0, listening: 0 };
  const listeners = listeningPorts(capture.connections);
  const identities = new Map<string, { ip: string; version: IpVersion }>();
  const rowOf = new Map<string, number>();
  for (const connection of capture.connections) {
    if (!hasRemotePeer(connection)) {
      tallies.listening++;
      continue;
    }
    let identity = identities.get(connection.remoteAddress);
    if (!identity) {
      const found = identifyRemote(connection.remoteAddress, connection.ipVersion);
      identity = { ip: found.ip, version: found.version };
      identities.set(connection.remoteAddress, identity);
    }
    const localPort = connection.localPort ?? -1;
    const program = connection.program ?? '';
    const inbound = connection.localPort !== null && isServicePort(connection, listeners) ? 1 : 0;
    const key = `${identity.ip}\u0000${connection.state}\u0000${localPort}\u0000${inbound}\u0000${program}`;
    let row = rowOf.get(key);
    if (row === undefined) {
      row = tallies.remote.length;
      rowOf.set(key, row);
      tallies.remote.push(identity.ip);
      tallies.ipVersion.push(identity.version);
      tallies.state.push(connection.state);
      tallies.localPort.push(localPort);
      tallies.program.push(program);
      tallies.inbound.push(inbound);
      tallies.quiet.push(0);
      tallies.connections.push(0);
    }
    tallies.connections[row]!++;
    if (isQuiet(connection)) tallies.quiet[row]!++;
    tallies.totalConnections++;
  }
  return tallies;
}

function isQuiet(connection: Connection): boolean {
  return connection.recvQ === 0 && connection.sendQ === 0;
}
