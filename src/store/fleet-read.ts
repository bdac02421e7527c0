// The store -> what the analysis reads. Aggregation is done by the engine: the tallies of the
// selected snapshots come back summed per analysis capture (one per snapshot, or per time bucket
// when there are too many snapshots to analyse one by one), ready for analyze() as snapshot
// tallies; per remote and host, first and last sighting and connections, for "Across hosts".
import { CONNECTION_STATES, type CaptureInfo } from '../model/connection.js';
import { TALLY_FLAG_IPV6, TALLY_FLAG_PEER_SERVICE, type SnapshotTally } from '../model/tally.js';
import { isWildcardAddress, parseIpAddress } from '../net/ip.js';
import { UserError } from '../errors.js';
import { intDivSql, sqlString, toNumber, type StoreEngine } from './engine.js';

export interface FleetSelection {
  /** Empty = every host. */
  hosts: string[];
  /** Milliseconds since 1970, inclusive; null = open. */
  sinceMs: number | null;
  untilMs: number | null;
}

/** One stored snapshot, as the report's evidence lists it. */
export interface StoredSnapshot {
  id: string;
  host: string;
  capturedMs: number;
  info: CaptureInfo;
  connections: number;
  listening: number;
}

export interface RemoteHostRow {
  remote: string;
  host: string;
  firstMs: number;
  lastMs: number;
  connections: number;
}

export interface FleetData {
  snapshots: StoredSnapshot[];
  /** One per analysis capture, in time order. */
  tallies: SnapshotTally[];
  /** For each snapshot (parallel to `snapshots`), its analysis capture index. */
  captureOfSnapshot: number[];
  /** null when each snapshot is its own capture. */
  bucketMs: number | null;
  /** Distinct public-or-not IP remotes, heaviest first (ties by address). */
  remotes: string[];
  remoteHosts: RemoteHostRow[];
}

/** At most this many analysis captures: beyond it, snapshots are grouped by time. */
export const DEFAULT_MAX_CAPTURES = 240;

const NICE_WIDTHS_MS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800].map((seconds) => seconds * 1000);

/** The narrowest width from NICE_WIDTHS_MS (else whole weeks) that fits the span in `maxBuckets` buckets. */
export function bucketWidthMs(spanMs: number, maxBuckets: number): number {
  for (const width of NICE_WIDTHS_MS) if (Math.floor(spanMs / width) + 1 <= maxBuckets) return width;
  const week = 604800_000;
  return Math.ceil((spanMs + 1) / (maxBuckets * week)) * week;
}

export function selectionWhere(engine: StoreEngine, selection: FleetSelection): string {
  const parts: string[] = [];
  if (selection.hosts.length > 0) parts.push(`host IN (${selection.hosts.map((host) => sqlString(engine.dialect, host)).join(', ')})`);
  if (selection.sinceMs !== null) parts.push(`captured_ms >= ${Math.trunc(selection.sinceMs)}`);
  if (selection.untilMs !== null) parts.push(`captured_ms <= ${Math.trunc(selection.untilMs)}`);
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

export async function readFleet(engine: StoreEngine, selection: FleetSelection, maxCaptures = DEFAULT_MAX_CAPTURES): Promise<FleetData> {
  const where = selectionWhere(engine, selection);
  const snapshots = await readSnapshots(engine, where);
  if (snapshots.length === 0) throw new UserError(`${engine.display}: no stored snapshots match${where ? ' the selection (--host, --since, --until)' : ''}`, 2);

  // Each snapshot its own capture when they are few enough: then the report equals the one
  // from the same files. Otherwise buckets of a fixed width, aligned on the first known time.
  const known = snapshots.filter((snapshot) => snapshot.capturedMs > 0);
  let bucketMs: number | null = null;
  let keySql = 'snapshot_id';
  const keyOfSnapshot: (snapshot: StoredSnapshot) => string = (snapshot) => snapshot.id;
  let keyOf = keyOfSnapshot;
  let originMs = 0;
  if (snapshots.length > maxCaptures) {
    originMs = known[0]?.capturedMs ?? 0;
    const spanMs = known.length > 0 ? known[known.length - 1]!.capturedMs - originMs : 0;
    bucketMs = bucketWidthMs(spanMs, Math.max(1, maxCaptures - 1));
    // Snapshots without a time share one bucket, before the others.
    keySql = `CASE WHEN captured_ms > 0 THEN ${intDivSql(engine.dialect, `captured_ms - ${originMs}`, String(bucketMs))} ELSE -1 END`;
    const width = bucketMs;
    keyOf = (snapshot) => String(snapshot.capturedMs > 0 ? Math.floor((snapshot.capturedMs - originMs) / width) : -1);
  }
  const captureIndexOfKey = new Map<string, number>();
  const captureOfSnapshot = snapshots.map((snapshot) => {
    const key = keyOf(snapshot);
    let index = captureIndexOfKey.get(key);
    if (index === undefined) captureIndexOfKey.set(key, (index = captureIndexOfKey.size));
    return index;
  });
  const infos = captureInfos(snapshots, captureOfSnapshot, captureIndexOfKey.size, bucketMs);
  const builders = infos.map((info) => new TallyColumns(info));
  for (const [position, snapshot] of snapshots.entries()) builders[captureOfSnapshot[position]!]!.listening += snapshot.listening;

  const inSelection = `snapshot_id IN (SELECT snapshot_id FROM snapshots ${where})`;
  const groups = await engine.query(
    `SELECT ${keySql} AS k, remote, ip_version, state, local_port, program, inbound, sum(connections) AS c, sum(idle) AS i ` +
      `FROM tallies WHERE ${inSelection} GROUP BY k, remote, ip_version, state, local_port, program, inbound`,
  );
  const remotes = new InternStrings();
  const programs = new InternStrings();
  const weight = new Map<string, number>();
  for (const row of groups.rows) {
    const index = captureIndexOfKey.get(String(row[0]));
    if (index === undefined) continue; // a snapshot stored while we read
    const remote = String(row[1]);
    const connections = toNumber(row[7]);
    const program = String(row[5] ?? '');
    const state = CONNECTION_STATES.indexOf(String(row[3]) as (typeof CONNECTION_STATES)[number]);
    builders[index]!.add(
      remotes.intern(remote),
      state < 0 ? CONNECTION_STATES.length - 1 : state,
      toNumber(row[4]),
      program === '' ? -1 : programs.intern(program),
      (toNumber(row[2]) === 6 ? TALLY_FLAG_IPV6 : 0) | (toNumber(row[6]) === 1 ? 0 : TALLY_FLAG_PEER_SERVICE),
      connections,
      toNumber(row[8]),
    );
    weight.set(remote, (weight.get(remote) ?? 0) + connections);
  }
  const tallies = builders.map((builder) => builder.finish(remotes.values, programs.values));

  const hostRows = await engine.query(
    `SELECT remote, host, min(captured_ms) AS f, max(captured_ms) AS l, sum(connections) AS c FROM tallies WHERE ${inSelection} GROUP BY remote, host`,
  );
  const remoteHosts: RemoteHostRow[] = hostRows.rows.map((row) => ({
    remote: String(row[0]),
    host: String(row[1]),
    firstMs: toNumber(row[2]),
    lastMs: toNumber(row[3]),
    connections: toNumber(row[4]),
  }));

  const byWeight = [...weight].filter(([ip]) => !isWildcardAddress(ip) && parseIpAddress(ip) !== null);
  byWeight.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { snapshots, tallies, captureOfSnapshot, bucketMs, remotes: byWeight.map(([ip]) => ip), remoteHosts };
}

async function readSnapshots(engine: StoreEngine, where: string): Promise<StoredSnapshot[]> {
  // One row per (sha256, snapshot index): two loaders racing on one file may both have written it.
  const result = await engine.query(
    'SELECT snapshot_id, host, captured_ms, file, sha256, snapshot_index, snapshot_count, first_line, parser, size_bytes, lines, parsed, skipped, connections, listening ' +
      `FROM snapshots ${where} ORDER BY captured_ms, host, file, snapshot_index, snapshot_id`,
  );
  const seen = new Set<string>();
  const snapshots: StoredSnapshot[] = [];
  for (const row of result.rows) {
    const sha256 = String(row[4]);
    const index = toNumber(row[5]);
    if (seen.has(`${sha256}/${index}`)) continue;
    seen.add(`${sha256}/${index}`);
    const capturedMs = toNumber(row[2]);
    const count = toNumber(row[6]);
    const file = String(row[3]);
    const info: CaptureInfo = {
      path: count > 1 ? `${file} #${index}/${count}` : file,
      sizeBytes: toNumber(row[9]),
      sha256,
      format: String(row[8]),
      capturedAt: capturedMs > 0 ? new Date(capturedMs).toISOString() : null,
      host: String(row[1]),
      ...(count > 1 ? { snapshot: { index, count, file, firstLine: toNumber(row[7]) } } : {}),
      lines: toNumber(row[10]),
      parsed: toNumber(row[11]),
      skipped: toNumber(row[12]),
    };
    snapshots.push({ id: String(row[0]), host: String(row[1]), capturedMs, info, connections: toNumber(row[13]), listening: toNumber(row[14]) });
  }
  return snapshots;
}

/** The evidence entry of each analysis capture: the snapshot itself, or a time bucket of several. */
function captureInfos(snapshots: StoredSnapshot[], captureOfSnapshot: number[], count: number, bucketMs: number | null): CaptureInfo[] {
  if (bucketMs === null) return snapshots.map((snapshot) => snapshot.info);
  const members: StoredSnapshot[][] = Array.from({ length: count }, () => []);
  snapshots.forEach((snapshot, position) => members[captureOfSnapshot[position]!]!.push(snapshot));
  return members.map((group) => {
    const first = group[0]!;
    const hosts = new Set(group.map((snapshot) => snapshot.host)).size;
    const at = first.capturedMs > 0 ? new Date(first.capturedMs).toISOString() : null;
    return {
      path: `${at ? at.slice(0, 16).replace('T', ' ') : 'time unknown'} (${group.length} snapshot${group.length === 1 ? '' : 's'}, ${hosts} host${hosts === 1 ? '' : 's'})`,
      sizeBytes: group.reduce((sum, snapshot) => sum + snapshot.info.sizeBytes, 0),
      sha256: '',
      format: 'store',
      capturedAt: at,
      host: null,
      lines: group.reduce((sum, snapshot) => sum + snapshot.info.lines, 0),
      parsed: group.reduce((sum, snapshot) => sum + snapshot.info.parsed, 0),
      skipped: group.reduce((sum, snapshot) => sum + snapshot.info.skipped, 0),
    };
  });
}

class InternStrings {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();
  intern(value: string): number {
    let index = this.#index.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#index.set(value, index);
    }
    return index;
  }
}

/** One analysis capture's groups as they arrive from SQL (already summed: no lookup needed). */
class TallyColumns {
  remote: number[] = [];
  state: number[] = [];
  localPort: number[] = [];
  program: number[] = [];
  flags: number[] = [];
  connections: number[] = [];
  idle: number[] = [];
  listening = 0;

  constructor(readonly info: CaptureInfo) {}

  add(remote: number, state: number, localPort: number, program: number, flags: number, connections: number, idle: number): void {
    this.remote.push(remote);
    this.state.push(state);
    this.localPort.push(localPort);
    this.program.push(program);
    this.flags.push(flags);
    this.connections.push(connections);
    this.idle.push(idle);
  }

  finish(remotes: readonly string[], programs: readonly string[]): SnapshotTally {
    const states = new Array<number>(CONNECTION_STATES.length).fill(0);
    let connections = 0;
    for (let i = 0; i < this.state.length; i++) {
      states[this.state[i]!]! += this.connections[i]!;
      connections += this.connections[i]!;
    }
    return {
      info: this.info,
      diagnostics: [],
      totals: { connections, listening: this.listening, states },
      // Inbound was decided at load time with each snapshot's listeners (the PEER_SERVICE flag
      // is set exactly when it was not), so no listener ports are needed here.
      listenerPorts: [],
      groups: {
        length: this.remote.length,
        remotes,
        programs,
        remote: Uint32Array.from(this.remote),
        state: Uint8Array.from(this.state),
        localPort: Int32Array.from(this.localPort),
        program: Int32Array.from(this.program),
        flags: Uint8Array.from(this.flags),
        connections: Uint32Array.from(this.connections),
        idle: Uint32Array.from(this.idle),
      },
    };
  }
}
