// The fleet sample (samples/fleet) and what its files say, read with the capture parsers: the
// oracle the store's answers are checked against.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureFromBytes } from '../../src/capture/read-inputs.js';
import { splitSnapshots } from '../../src/capture/snapshots.js';
import { hostFromFileName } from '../../src/store/host-name.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

export const FLEET_DIR = join(PROJECT_ROOT, 'samples/fleet');

export function fleetFiles(): string[] {
  return readdirSync(FLEET_DIR).filter((name) => /^web\d-/.test(name)).sort().map((name) => join(FLEET_DIR, name));
}

export interface HostFacts {
  snapshots: number;
  connections: number;
  /** Earliest capture time of a snapshot with a remote in `prefix` (ISO), or null. */
  firstSeen: string | null;
}

/** Per host (from the header or file name), what the files hold. */
export function hostFacts(prefix: string): Map<string, HostFacts> {
  const facts = new Map<string, HostFacts>();
  for (const file of fleetFiles()) {
    const capture = captureFromBytes(readFileSync(file), file, {});
    const host = capture.info.host ?? hostFromFileName(file)!;
    const entry = facts.get(host) ?? { snapshots: 0, connections: 0, firstSeen: null };
    for (const snapshot of splitSnapshots(capture)) {
      entry.snapshots++;
      const peers = snapshot.connections.filter((connection) => connection.state !== 'LISTEN' && connection.remotePort !== null && connection.remotePort !== 0);
      entry.connections += peers.length;
      if (peers.some((connection) => connection.remoteAddress.startsWith(prefix))) {
        const at = snapshot.info.capturedAt!;
        if (entry.firstSeen === null || Date.parse(at) < Date.parse(entry.firstSeen)) entry.firstSeen = new Date(at).toISOString();
      }
    }
    facts.set(host, entry);
  }
  return facts;
}
