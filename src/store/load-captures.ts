// Captures into the store: each snapshot once (by sha256 + snapshot index), its tallies first
// and its snapshots row last, so a snapshot that is listed is complete.
import { randomBytes } from 'node:crypto';
import type { Capture } from '../model/connection.js';
import { splitSnapshots } from '../capture/snapshots.js';
import { sqlString, type StoreEngine } from './engine.js';
import { SNAPSHOT_COLUMNS, TALLY_COLUMNS } from './schema.js';
import { snapshotTallyRows } from './snapshot-tallies.js';

export interface CaptureLoad {
  /** Snapshots in the capture. */
  snapshots: number;
  /** Snapshots added now (the others were stored already). */
  added: number;
  /** Connections in the snapshots added now. */
  connections: number;
  /** Tally rows written. */
  tallyRows: number;
}

/** Milliseconds since 1970 of an ISO time; 0 when unknown. */
export function captureMs(capturedAt: string | null): number {
  if (!capturedAt) return 0;
  const ms = Date.parse(capturedAt);
  return Number.isFinite(ms) ? ms : 0;
}

/** sha256 -> stored snapshot indexes. */
export async function storedSnapshotIndexes(engine: StoreEngine, sha256: string): Promise<Set<number>> {
  const result = await engine.query(`SELECT snapshot_index FROM snapshots WHERE sha256 = ${sqlString(engine.dialect, sha256)}`);
  return new Set(result.rows.map((row) => Number(row[0])));
}

/**
 * Stores every snapshot of `capture` not stored yet. `capture` is one parsed input (a console
 * log of several tables is split here); `host` is already chosen and sanitized.
 */
export async function loadCapture(engine: StoreEngine, capture: Capture, host: string, nowMs: number): Promise<CaptureLoad> {
  const snapshots = splitSnapshots(capture);
  const stored = await storedSnapshotIndexes(engine, capture.info.sha256);
  const load: CaptureLoad = { snapshots: snapshots.length, added: 0, connections: 0, tallyRows: 0 };
  for (const [position, snapshot] of snapshots.entries()) {
    const index = snapshot.info.snapshot?.index ?? position + 1;
    if (stored.has(index)) continue;
    const tallies = snapshotTallyRows(snapshot);
    const ms = captureMs(snapshot.info.capturedAt);
    const capturedAt = ms > 0 ? new Date(ms).toISOString() : '';
    const snapshotId = `${capture.info.sha256.slice(0, 16)}-${index}-${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`;
    const rows = tallies.remote.length;
    await engine.append('tallies', TALLY_COLUMNS, [
      new Array<string>(rows).fill(host),
      new Array<number>(rows).fill(ms),
      new Array<string>(rows).fill(snapshotId),
      tallies.remote,
      tallies.ipVersion,
      tallies.state,
      tallies.localPort,
      tallies.program,
      tallies.inbound,
      tallies.idle,
      tallies.connections,
    ]);
    const info = snapshot.info;
    await engine.append('snapshots', SNAPSHOT_COLUMNS, [
      [snapshotId],
      [host],
      [ms],
      [capturedAt],
      [info.snapshot?.file ?? info.path],
      [capture.info.sha256],
      [index],
      [info.snapshot?.count ?? 1],
      [info.snapshot?.firstLine ?? 1],
      [info.format],
      [capture.info.sizeBytes],
      [info.lines],
      [info.parsed],
      [info.skipped],
      [tallies.totalConnections],
      [tallies.listening],
      [nowMs],
    ]);
    load.added++;
    load.connections += tallies.totalConnections;
    load.tallyRows += rows;
  }
  return load;
}
