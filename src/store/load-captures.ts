// Captures into the store: each snapshot once (by sha256 + snapshot index), its tallies before
// its snapshots row, so a snapshot that is listed is complete. Inputs arrive as the streaming
// reader's snapshot tallies (capture/read-tallies.ts: no row is kept), and their rows are
// buffered and appended in big batches: a commit per snapshot cost more than the parsing.
import { randomBytes } from 'node:crypto';
import type { CaptureInfo } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { sqlString, type ColumnBatch, type StoreEngine } from './engine.js';
import { SNAPSHOT_COLUMNS } from './schema.js';
import { TallyRowBatch, type TallyRowColumns } from './tally-rows.js';
import { removeRacedCopies } from './raced-snapshots.js';

const SHA256_COLUMN = SNAPSHOT_COLUMNS.findIndex((column) => column.name === 'sha256');

/**
 * One input read into the rows the store keeps (on a parse worker, or here): its snapshots in
 * order, each owning the next `rows` rows of `rows`.
 */
export interface ParsedInput {
  /** The host the capture header names (first snapshot), if any. */
  headerHost: string | null;
  snapshots: { info: CaptureInfo; connections: number; listening: number; rows: number }[];
  rows: TallyRowColumns;
}

/** An input's snapshot tallies as store rows; `batch` (emptied first) is scratch a reader reuses. */
export function parsedInputOf(tallies: readonly SnapshotTally[], batch = new TallyRowBatch(tallies.reduce((sum, tally) => sum + tally.groups.length, 0))): ParsedInput {
  batch.reset();
  const snapshots = tallies.map((tally) => ({
    info: tally.info,
    connections: tally.totals.connections,
    listening: tally.totals.listening,
    rows: batch.addSnapshot(tally, { id: '', host: '', capturedMs: 0 }),
  }));
  return { headerHost: tallies[0]?.info.host ?? null, snapshots, rows: batch.columns() };
}

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
  /** ClickHouse: copies of these snapshots another loader stored at the same time, deleted. */
  racedCopiesRemoved?: number;
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
  #tallies: TallyRowBatch;
  #snapshots = emptyColumns(SNAPSHOT_COLUMNS.length);
  #pendingKeys = new Set<string>();
  #pendingInputs: string[] = [];

  /** @param batchRows flush once this many tally rows are buffered (0: after every capture). */
  constructor(private readonly engine: StoreEngine, private readonly batchRows = 0) {
    this.#tallies = this.#newBatch();
  }

  /** Room for a batch and one large input over it, so the columns rarely regrow. */
  #newBatch(): TallyRowBatch {
    return new TallyRowBatch(this.batchRows > 0 ? this.batchRows + (this.batchRows >> 2) : 0);
  }

  /**
   * Buffers every snapshot of one input not stored yet (its rows, snapshot by snapshot);
   * `host` is already chosen and sanitized. Returns the flush this add triggered, if any.
   */
  async add(parsed: ParsedInput, host: string, nowMs: number, input: string): Promise<{ load: CaptureLoad; flushed: FlushResult | null }> {
    const snapshots = parsed.snapshots;
    const load: CaptureLoad = { snapshots: snapshots.length, added: 0, connections: 0, tallyRows: 0 };
    const first = snapshots[0];
    if (!first) return { load, flushed: null };
    const sha256 = first.info.sha256;
    const stored = await storedSnapshotIndexes(this.engine, sha256);
    let start = 0;
    for (const [position, snapshot] of snapshots.entries()) {
      const end = start + snapshot.rows;
      const info = snapshot.info;
      const index = info.snapshot?.index ?? position + 1;
      const key = `${sha256}/${index}`;
      if (stored.has(index) || this.#pendingKeys.has(key)) {
        start = end;
        continue;
      }
      this.#pendingKeys.add(key);
      const ms = captureMs(info.capturedAt);
      const snapshotId = `${sha256.slice(0, 16)}-${index}-${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`;
      const rows = this.#tallies.addRows(parsed.rows, start, end, { id: snapshotId, host, capturedMs: ms });
      start = end;
      const { connections, listening } = snapshot;
      const values = [
        snapshotId, host, ms, ms > 0 ? new Date(ms).toISOString() : '', info.snapshot?.file ?? info.path, sha256, index,
        info.snapshot?.count ?? 1, info.snapshot?.firstLine ?? 1, info.format, info.sizeBytes, info.lines, info.parsed, info.skipped,
        connections, listening, nowMs,
      ];
      values.forEach((value, column) => this.#snapshots[column]!.push(value));
      load.added++;
      load.connections += connections;
      load.tallyRows += rows;
    }
    if (load.added > 0) this.#pendingInputs.push(input);
    const flushed = this.#tallies.length > this.batchRows || (this.batchRows === 0 && load.added > 0) ? await this.flush() : null;
    return { load, flushed };
  }

  /** Appends what is buffered: tallies first, then the snapshots rows that make them count. */
  async flush(): Promise<FlushResult | null> {
    if (this.#pendingInputs.length === 0) return null;
    const result: FlushResult = { inputs: this.#pendingInputs, error: null };
    const tallies = this.#tallies;
    const snapshots = this.#snapshots;
    this.#snapshots = emptyColumns(SNAPSHOT_COLUMNS.length);
    this.#pendingKeys = new Set();
    this.#pendingInputs = [];
    try {
      await this.engine.appendSnapshots(tallies, snapshots);
    } catch (error) {
      result.error = error instanceof Error ? error : new Error(String(error));
      return result;
    } finally {
      // Adds wait for their flush, so the batch is free again: the next one reuses its columns.
      tallies.reset();
    }
    if (this.engine.dialect === 'clickhouse') {
      // Stored either way: a copy left by a failed clean-up is one reports skip, never counted twice.
      result.racedCopiesRemoved = await removeRacedCopies(this.engine, snapshots[SHA256_COLUMN]!.map(String)).catch(() => 0);
    }
    return result;
  }
}

/** One capture file, appended now (writers: capture, watch, health). Throws when the insert fails. */
export async function loadCaptureFile(engine: StoreEngine, tallies: readonly SnapshotTally[], host: string, nowMs: number, input: string): Promise<CaptureLoad> {
  const loader = new StoreLoader(engine, 0);
  const { load, flushed } = await loader.add(parsedInputOf(tallies), host, nowMs, input);
  if (flushed?.error) throw flushed.error;
  return load;
}
