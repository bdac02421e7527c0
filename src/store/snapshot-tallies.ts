// One snapshot's tally (model/tally.ts) as the rows the store keeps: one row per group, with the
// remote in canonical form (so SQL across hosts meets '::ffff:1.2.3.4' and '1.2.3.4' as one) and
// `inbound` decided here with the snapshot's own listeners, exactly as the aggregation decides it
// (analyze/aggregate.ts): a store row then needs nothing from the rest of its snapshot.
import { CONNECTION_STATES, type Capture, type IpVersion } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { forEachTallyGroup, tallyCapture } from '../capture/tally-builder.js';
import { identifyRemote } from '../analyze/remote-key.js';

export interface SnapshotTallyRows {
  remote: string[];
  ipVersion: IpVersion[];
  state: string[];
  /** -1 when the capture printed no port. */
  localPort: number[];
  /** '' when the capture named no program. */
  program: string[];
  inbound: number[];
  /** Connections with both queues empty. */
  idle: number[];
  connections: number[];
  /** Sockets with a remote peer (the sum of `connections`). */
  totalConnections: number;
  /** LISTEN rows and sockets without a peer. */
  listening: number;
}

export function snapshotTallyRows(snapshot: Capture | SnapshotTally): SnapshotTallyRows {
  const tally = 'groups' in snapshot ? snapshot : tallyCapture(snapshot);
  const rows: SnapshotTallyRows = { remote: [], ipVersion: [], state: [], localPort: [], program: [], inbound: [], idle: [], connections: [], totalConnections: tally.totals.connections, listening: tally.totals.listening };
  const listeners = new Set(tally.listenerPorts);
  const canonical = new Map<string, { ip: string; version: IpVersion }>();
  forEachTallyGroup(tally, (group) => {
    let identity = canonical.get(group.remote);
    if (!identity) {
      const found = identifyRemote(group.remote, group.ipVersion);
      identity = { ip: found.ip, version: found.version };
      canonical.set(group.remote, identity);
    }
    const port = group.localPort;
    rows.remote.push(identity.ip);
    rows.ipVersion.push(identity.version);
    rows.state.push(CONNECTION_STATES[group.state] ?? 'UNKNOWN');
    rows.localPort.push(port ?? -1);
    rows.program.push(group.program ?? '');
    rows.inbound.push(port !== null && port !== 0 && (listeners.has(port) || !group.peerService) ? 1 : 0);
    rows.idle.push(group.idle);
    rows.connections.push(group.connections);
  });
  return rows;
}
