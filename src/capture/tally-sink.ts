// A ParseSink that tallies instead of collecting: rows go into the snapshot their line belongs to,
// and a time line after rows opens the next snapshot (the same rule as parse-capture-text.ts
// collectingSink with capture/snapshots.ts splitSnapshots, so a console log gives the same
// snapshots either way). One intern table of addresses and programs serves every snapshot.
import type { CaptureInfo, Connection, ParseDiagnostic } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { orientFlows, parseLocalNets } from './gateway-sides.js';
import type { CaptureMeta, ParseSink } from './parser-types.js';
import { connectionHasPeer, type RowIndexRecorder } from './row-index.js';
import { InternTable, SnapshotTallyBuilder } from './tally-builder.js';

interface OpenSnapshot {
  firstLine: number;
  capturedAt: string | null;
  builder: SnapshotTallyBuilder;
}

/** What the reader knows about the input once every line went through. */
export interface TalliedInputInfo {
  path: string;
  sizeBytes: number;
  sha256: string;
  format: string;
  lines: number;
}

export class TallySink implements ParseSink {
  readonly remotes = new InternTable();
  readonly programs = new InternTable();
  readonly snapshots: OpenSnapshot[] = [{ firstLine: 1, capturedAt: null, builder: new SnapshotTallyBuilder(this.remotes, this.programs) }];
  readonly found: CaptureMeta = {};
  /** Rows (connections and listeners) since the last time line opened a snapshot. */
  rowsInSnapshot = 0;
  /** Gateway flows wait for the end: which side is remote depends on the whole table (gateway-sides.ts). */
  readonly #flows: Connection[] = [];
  /** Where each remote's rows are, for the drill-down (row-index.ts); null when not asked. */
  rowIndex: RowIndexRecorder | null = null;

  /** `localNets`: --local-net, the inside of a gateway whose conntrack table is read. */
  constructor(readonly localNets?: readonly string[]) {}

  /** The builder rows of `line` belong to (the last snapshot starting at or before it). */
  builderFor(line: number): SnapshotTallyBuilder {
    const snapshots = this.snapshots;
    let index = snapshots.length - 1;
    while (index > 0 && snapshots[index]!.firstLine > line) index--;
    return snapshots[index]!.builder;
  }

  /** The snapshot now being filled (fast scanners read rows in line order). */
  get current(): SnapshotTallyBuilder {
    return this.snapshots[this.snapshots.length - 1]!.builder;
  }

  connection(connection: Connection): void {
    this.rowsInSnapshot++;
    if (connection.flow) this.#flows.push(connection);
    else {
      this.builderFor(connection.source.line).addConnection(connection);
      if (this.rowIndex !== null) this.#indexRow(connection);
    }
  }

  #indexRow(connection: Connection): void {
    this.rowIndex!.connection(connection, connectionHasPeer(connection) ? this.remotes.intern(connection.remoteAddress) : -1);
  }

  diagnostic(diagnostic: ParseDiagnostic): void {
    this.builderFor(diagnostic.line).addDiagnostic(diagnostic);
  }

  meta(meta: CaptureMeta): void {
    Object.assign(this.found, meta);
  }

  timeLine(line: number, capturedAt: string | null): void {
    const current = this.snapshots[this.snapshots.length - 1]!;
    if (this.rowsInSnapshot > 0) {
      this.snapshots.push({ firstLine: line, capturedAt, builder: new SnapshotTallyBuilder(this.remotes, this.programs) });
      this.rowsInSnapshot = 0;
    } else if (current.capturedAt === null) {
      current.capturedAt = capturedAt;
    }
  }

  /** One tally per snapshot; a single table keeps the input's own name and time. */
  finish(input: TalliedInputInfo): SnapshotTally[] {
    if (this.#flows.length > 0) {
      for (const flow of orientFlows(this.#flows, parseLocalNets(this.localNets))) {
        this.builderFor(flow.source.line).addConnection(flow);
        if (this.rowIndex !== null) this.#indexRow(flow);
      }
      this.#flows.length = 0;
    }
    const snapshots = this.snapshots;
    // `(netstat -tan; date)` ends with a time line after the rows: that dates the snapshot before it.
    if (snapshots.length > 1 && this.rowsInSnapshot === 0) {
      const empty = snapshots.pop()!;
      const previous = snapshots[snapshots.length - 1]!;
      if (previous.capturedAt === null) previous.capturedAt = empty.capturedAt;
      for (const diagnostic of empty.builder.diagnostics) previous.builder.addDiagnostic(diagnostic);
      previous.builder.diagnosticCount += empty.builder.diagnosticCount - empty.builder.diagnostics.length;
    }
    const base: CaptureInfo = {
      path: input.path,
      sizeBytes: input.sizeBytes,
      sha256: input.sha256,
      format: input.format,
      capturedAt: this.found.capturedAt ?? null,
      host: this.found.host ?? null,
      lines: input.lines,
      parsed: 0,
      skipped: 0,
      ...(this.found.workers ? { workers: this.found.workers } : {}),
    };
    if (snapshots.length === 1) {
      const { builder } = snapshots[0]!;
      return [builder.finish({ ...base, parsed: builder.rows, skipped: builder.diagnosticCount })];
    }
    return snapshots.map(({ firstLine, capturedAt, builder }, index) => {
      const lastLine = Math.min((snapshots[index + 1]?.firstLine ?? Number.POSITIVE_INFINITY) - 1, input.lines);
      return builder.finish({
        ...base,
        path: `${input.path} #${index + 1}/${snapshots.length}`,
        capturedAt,
        lines: lastLine - firstLine + 1,
        parsed: builder.rows,
        skipped: builder.diagnosticCount,
        snapshot: { index: index + 1, count: snapshots.length, file: input.path, firstLine },
      });
    });
  }
}
