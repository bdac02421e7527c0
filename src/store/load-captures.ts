// Captures into the store: each snapshot once (by sha256 + snapshot index), its tallies before
// its snapshots row, so a snapshot that is listed is complete. Rows are buffered and appended
// in batches: DuckDB commits each append, and a commit per snapshot cost more than the parsing.
import { randomBytes } from 'node:crypto';
import type { Capture } from '../model/connection.js';
import { splitSnapshots } from '../capture/snapshots.js';
import { sqlString, type ColumnBatch, type StoreEngine } from './engine.js';
import { SNAPSHOT_COLUMNS, TALLY_COLUMNS } from './schema.js';
import { snapshotTallyRows } from './snapshot-tallies.js';

export interface CaptureLoad {
  /** Snapshots in the capture. */
  snapshots: number;
  /** Snapshots added (once flushed; the others were stored already). */
  added: number;
  /** Connections in the snapshots added. */
  connections: number;
  /** Tally rows written. */
  tallyRows: number;
}

/** What one flush wrote, or why it failed; `inputs` are the captures whose rows it held. */
export interface FlushResult {
  inputs: string[];
  error: Error | null;
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

const emptyColumns = (count: number): ColumnBatch => Array.from({ length: count }, () => []);

export class StoreLoader {
  #tallies = emptyColumns(TALLY_COLUMNS.length);
  #snapshots = emptyColumns(SNAPSHOT_COLUMNS.length);
  #pendingKeys = new Set<string>();
  #pendingInputs: string[] = [];

  /** @param batchRows flush once this many tally rows are buffered (0: after every capture). */
  constructor(private readonly engine: StoreEngine, private readonly batchRows = 0) {}

  /**
   * Buffers every snapshot of `capture` not stored yet (a console log of several tables is split
   * here); `host` is already chosen and sanitized. Returns the flush this add triggered, if any.
   */
  async add(capture: Capture, host: string, nowMs: number, input = capture.info.path): Promise<{ load: CaptureLoad; flushed: FlushResult | null }> {
    const snapshots = splitSnapshots(capture);
    const stored = await storedSnapshotIndexes(this.engine, capture.info.sha256);
    const load: CaptureLoad = { snapshots: snapshots.length, added: 0, connections: 0, tallyRows: 0 };
    for (const [position, snapshot] of snapshots.entries()) {
      const index = snapshot.info.snapshot?.index ?? position + 1;
      const key = `${capture.info.sha256}/${index}`;
      if (stored.has(index) || this.#pendingKeys.has(key)) continue;
      this.#pendingKeys.add(key);
      const tallies = snapshotTallyRows(snapshot);
      const ms = captureMs(snapshot.info.capturedAt);
      const snapshotId = `${capture.info.sha256.slice(0, 16)}-${index}-${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`;
      const rows = tallies.remote.length;
      const t = this.#tallies;
      for (let row = 0; row < rows; row++) {
        t[0]!.push(host);
        t[1]!.push(ms);
        t[2]!.push(snapshotId);
      }
      const columns = [tallies.remote, tallies.ipVersion, tallies.state, tallies.localPort, tallies.program, tallies.inbound, tallies.idle, tallies.connections];
      columns.forEach((values, offset) => {
        const target = t[3 + offset]!;
        for (const value of values) target.push(value);
      });
      const info = snapshot.info;
      const values = [
        snapshotId, host, ms, ms > 0 ? new Date(ms).toISOString() : '', info.snapshot?.file ?? info.path, capture.info.sha256, index,
        info.snapshot?.count ?? 1, info.snapshot?.firstLine ?? 1, info.format, capture.info.sizeBytes, info.lines, info.parsed, info.skipped,
        tallies.totalConnections, tallies.listening, nowMs,
      ];
      values.forEach((value, column) => this.#snapshots[column]!.push(value));
      load.added++;
      load.connections += tallies.totalConnections;
      load.tallyRows += rows;
    }
    if (load.added > 0) this.#pendingInputs.push(input);
    const flushed = this.#tallies[0]!.length > this.batchRows || (this.batchRows === 0 && load.added > 0) ? await this.flush() : null;
    return { load, flushed };
  }

  /** Appends what is buffered: tallies first, then the snapshots rows that make them count. */
  async flush(): Promise<FlushResult | null> {
    if (this.#pendingInputs.length === 0) return null;
    const result: FlushResult = { inputs: this.#pendingInputs, error: null };
    const tallies = this.#tallies;
    const snapshots = this.#snapshots;
    this.#tallies = emptyColumns(TALLY_COLUMNS.length);
    this.#snapshots = emptyColumns(SNAPSHOT_COLUMNS.length);
    this.#pendingKeys = new Set();
    this.#pendingInputs = [];
    try {
      await this.engine.append('tallies', TALLY_COLUMNS, tallies);
      await this.engine.append('snapshots', SNAPSHOT_COLUMNS, snapshots);
    } catch (error) {
      result.error = error instanceof Error ? error : new Error(String(error));
    }
    return result;
  }
}

/** One capture, appended now (writers: capture, watch, health). Throws when the insert fails. */
export async function loadCapture(engine: StoreEngine, capture: Capture, host: string, nowMs: number): Promise<CaptureLoad> {
  const loader = new StoreLoader(engine, 0);
  const { load, flushed } = await loader.add(capture, host, nowMs);
  if (flushed?.error) throw flushed.error;
  return load;
}
