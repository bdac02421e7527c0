// The store -> what the analysis reads. Aggregation is done by the engine: the tallies of the
// selected snapshots come back summed per analysis capture (one per snapshot, or per time bucket
// when there are too many snapshots to analyse one by one), ready for analyze() as snapshot
// tallies; per remote and host, first and last sighting and connections, for "Across hosts".
import { CONNECTION_STATES, type CaptureInfo } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { isWildcardAddress, parseIpAddress } from '../net/ip.js';
import type { Aggregate, RemoteStats } from '../analyze/aggregate.js';
import { DEFAULT_ANALYSIS_OPTIONS } from '../analyze/options.js';
import { PortTally } from '../analyze/port-tally.js';
import { compareIdentities, identifyRemote, type RemoteIdentity } from '../analyze/remote-key.js';
import { ESTABLISHED_INDEX, addStates, newStateArray } from '../analyze/state-counts.js';
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
  /** One per analysis capture, in time order: what the evidence names, with its totals (no groups: the sums are in `aggregate`). */
  tallies: SnapshotTally[];
  /** The analysis' per-remote and per-capture sums, computed by the engine. */
  aggregate: Aggregate;
  /** For each snapshot (parallel to `snapshots`), its analysis capture index. */
  captureOfSnapshot: number[];
  /** null when each snapshot is its own capture. */
  bucketMs: number | null;
  /** Distinct public-or-not IP remotes, heaviest first (ties by address). */
  remotes: string[];
  remoteHosts: RemoteHostRow[];
  /** Distinct remotes of the selection; `aggregate.remotes` lists the heaviest of them. */
  remoteCount: number;
}

/** The heaviest remotes the report lists and analyses one by one (0: all); the totals count every remote. */
export const DEFAULT_LISTED_REMOTES = 10_000;

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

/**
 * How the queries read the tallies: DuckDB's numbers (`tally_rows`, remotes and programs by
 * number, state by index) or the text `tallies` of ClickHouse and version 1 stores.
 */
interface TallySource {
  /** FROM ... WHERE: the selected snapshots' tally rows, with `host` and `captured_ms`. */
  from: string;
  /** The same rows for sums that need neither time nor host (the store's own table when every row is selected). */
  remoteFrom: string;
  /** The analysis capture key of a row. */
  key: string;
  /** True for ESTABLISHED rows. */
  established: string;
  remote: string;
  state: string;
  program: string;
  hasProgram: string;
  /** A row's host (DuckDB: its position in the selection's host names), and back to the name. */
  host: string;
  hostName: (key: unknown) => string;
  /** A time aggregate (milliseconds) as the engine should return it (DuckDB: a double, not a BIGINT). */
  time: (aggregate: string) => string;
  /** Remote key from the engine -> its text. */
  remoteText: (key: unknown) => string;
  programText: (key: unknown) => string;
  /** State from the engine -> index into CONNECTION_STATES. */
  stateIndex: (value: unknown) => number;
  /** A sum (DuckDB: as INTEGER, read as whole columns; the sums of one selection fit). */
  sum: (expression: string) => string;
  /**
   * A condition keeping the rows of these remotes (keys as the engine gave them), all of
   * `atLeast` connections or more; it may keep a few more (ties), never fewer.
   */
  only: (keys: unknown[], atLeast: number) => string;
}

const UNKNOWN_STATE = CONNECTION_STATES.length - 1;

export async function readFleet(
  engine: StoreEngine,
  selection: FleetSelection,
  maxCaptures = DEFAULT_MAX_CAPTURES,
  webPorts: readonly number[] = DEFAULT_ANALYSIS_OPTIONS.webPorts,
  listedRemotes = DEFAULT_LISTED_REMOTES,
): Promise<FleetData> {
  const where = selectionWhere(engine, selection);
  const { snapshots, duplicates, hosts } = await readSnapshots(engine, where);
  if (snapshots.length === 0) throw new UserError(`${engine.display}: no stored snapshots match${where ? ' the selection (--host, --since, --until)' : ''}`, 2);

  // Each snapshot its own capture when they are few enough: then the report equals the one
  // from the same files. Otherwise buckets of a fixed width, aligned on the first known time.
  const known = snapshots.filter((snapshot) => snapshot.capturedMs > 0);
  let bucketMs: number | null = null;
  let keySql = 'snapshot_id';
  let keyOf: (snapshot: StoredSnapshot) => string = (snapshot) => snapshot.id;
  if (snapshots.length > maxCaptures) {
    const originMs = known[0]?.capturedMs ?? 0;
    const spanMs = known.length > 0 ? known[known.length - 1]!.capturedMs - originMs : 0;
    const width = bucketWidthMs(spanMs, Math.max(1, maxCaptures - 1));
    bucketMs = width;
    // Snapshots without a time share one bucket, before the others.
    keySql = `CASE WHEN captured_ms > 0 THEN ${intDivSql(engine.dialect, `captured_ms - ${originMs}`, String(width))} ELSE -1 END`;
    keyOf = (snapshot) => String(snapshot.capturedMs > 0 ? Math.floor((snapshot.capturedMs - originMs) / width) : -1);
  }
  const captureIndexOfKey = new Map<string, number>();
  const captureOfSnapshot = snapshots.map((snapshot) => {
    const key = keyOf(snapshot);
    let index = captureIndexOfKey.get(key);
    if (index === undefined) captureIndexOfKey.set(key, (index = captureIndexOfKey.size));
    return index;
  });
  const captureCount = captureIndexOfKey.size;
  // Bucket keys are small integers (-1 for no time): an array finds their capture at once.
  let maxBucket = 0;
  for (const key of captureIndexOfKey.keys()) maxBucket = Math.max(maxBucket, Number(key));
  const bucketCapture = bucketMs === null ? null : new Int32Array(maxBucket + 2).fill(-1);
  if (bucketCapture) for (const [key, index] of captureIndexOfKey) bucketCapture[Number(key) + 1] = index;
  const captureOf = (key: unknown): number =>
    bucketCapture && typeof key === 'number' ? (bucketCapture[key + 1] ?? -1) : (captureIndexOfKey.get(String(key)) ?? -1);

  // One row per (sha256, snapshot index): two loaders racing on one file may both have written it.
  const selected = `SELECT min(snapshot_id) FROM snapshots ${where} GROUP BY sha256, snapshot_index`;
  const source = (await hasTallyRows(engine)) ? await numberSource(engine, selected, keySql, where === '' && duplicates === 0, hosts) : textSource(selected, keySql);
  const web = webPorts.length > 0 ? `local_port IN (${webPorts.map((port) => Math.trunc(port)).join(', ')})` : '1 = 0';
  const chunks = (sql: string, visit: (columns: ArrayLike<unknown>[], rows: number) => void): Promise<void> => eachChunk(engine, sql, visit);
  const sum = source.sum;

  // Every remote's connections by state, then the heaviest `listedRemotes` in detail: past a
  // few thousand remotes, the per-remote series and enrichment of the long tail cost more than
  // the engine's sums (a day of 100 hosts: 95k remotes, 9.7M remote x capture sums).
  const totalKeys: unknown[] = [];
  const totalVersions: number[] = [];
  const totalConnections: number[] = [];
  const indexOfKey = new Map<unknown, number>();
  let stateRows: StateRows = { remote: new Int32Array(1 << 16), state: new Uint8Array(1 << 16), count: new Float64Array(1 << 16), length: 0 };
  await chunks(`SELECT ${source.remote} AS r, ${source.state} AS st, max(ip_version) AS v, ${sum('connections')} AS c ${source.remoteFrom} GROUP BY r, st`, (
    [stateRemote, stateState, stateVersion, stateConnections],
    rows,
  ) => {
    if (stateRows.length + rows > stateRows.remote.length) stateRows = growStateRows(stateRows, stateRows.length + rows);
    for (let i = 0; i < rows; i++) {
      const key = stateRemote![i];
      let index = indexOfKey.get(key);
      if (index === undefined) {
        index = totalKeys.length;
        indexOfKey.set(key, index);
        totalKeys.push(key);
        totalVersions.push(0);
        totalConnections.push(0);
      }
      const count = toNumber(stateConnections![i]);
      totalConnections[index]! += count;
      totalVersions[index] = Math.max(totalVersions[index]!, toNumber(stateVersion![i]));
      const row = stateRows.length++;
      stateRows.remote[row] = index;
      stateRows.state[row] = source.stateIndex(stateState![i]);
      stateRows.count[row] = count;
    }
  });
  const remoteCount = totalKeys.length;
  const identities: (RemoteIdentity | undefined)[] = new Array(remoteCount);
  const identityOf = (index: number): RemoteIdentity =>
    (identities[index] ??= identifyRemote(source.remoteText(totalKeys[index]), totalVersions[index] === 6 ? 6 : 4));
  const order = Array.from({ length: remoteCount }, (_, index) => index);
  const limit = listedRemotes > 0 ? listedRemotes : remoteCount;
  if (remoteCount > limit) {
    // By connections; the address decides only among equal counts.
    order.sort((a, b) => totalConnections[b]! - totalConnections[a]! || compareIdentities(identityOf(a), identityOf(b)));
    order.length = limit;
  }
  const listed = order.length < remoteCount ? ` AND ${source.only(order.map((index) => totalKeys[index]), totalConnections[order[order.length - 1]!] ?? 0)}` : '';
  const builderAt = new Int32Array(remoteCount).fill(-1);
  const builders = order.map((index, position) => {
    builderAt[index] = position;
    return new RemoteBuilder(identityOf(index), captureCount);
  });
  for (let row = 0; row < stateRows.length; row++) {
    const builder = builders[builderAt[stateRows.remote[row]!]!];
    if (!builder) continue;
    builder.connections += stateRows.count[row]!;
    builder.states[stateRows.state[row]!]! += stateRows.count[row]!;
  }
  stateRows = growStateRows(stateRows, 0);
  // Remote numbers (DuckDB) are small integers: an array finds their builder at once.
  const numbered = totalKeys.every((key) => typeof key === 'number');
  let maxRemote = 0;
  if (numbered) for (const key of totalKeys) maxRemote = Math.max(maxRemote, key as number);
  const slotOf = numbered ? new Int32Array(maxRemote + 1).fill(-1) : null;
  if (slotOf) totalKeys.forEach((key, index) => (slotOf[key as number] = builderAt[index]!));
  const builderOf = (key: unknown): RemoteBuilder | undefined => {
    const index = slotOf && typeof key === 'number' ? slotOf[key] : builderAt[indexOfKey.get(key) ?? -1];
    return index === undefined || index < 0 ? undefined : builders[index];
  };

  // Local ports (and whether each was reached inbound), and programs.
  await chunks(`SELECT ${source.remote} AS r, local_port AS p, ${sum('connections')} AS c, max(inbound) AS ib ${source.remoteFrom}${listed} AND local_port >= 0 GROUP BY r, p ORDER BY r, p`, (
    [portRemote, portPort, portConnections, portInbound],
    rows,
  ) => {
    for (let i = 0; i < rows; i++) {
      builderOf(portRemote![i])?.localPorts.addCount(toNumber(portPort![i]), toNumber(portConnections![i]), toNumber(portInbound![i]) === 1);
    }
  });
  await chunks(`SELECT ${source.remote} AS r, ${source.program} AS pr, ${sum('connections')} AS c ${source.remoteFrom}${listed} AND ${source.hasProgram} GROUP BY r, pr ORDER BY r, pr`, (
    [programRemote, programKey, programConnections],
    rows,
  ) => {
    for (let i = 0; i < rows; i++) {
      const builder = builderOf(programRemote![i]);
      if (!builder) continue;
      const name = source.programText(programKey![i]);
      builder.programs.set(name, (builder.programs.get(name) ?? 0) + toNumber(programConnections![i]));
    }
  });

  // Per listed remote and capture: connections, and idle ESTABLISHED sockets on a web port.
  const captures = Array.from({ length: captureCount }, () => ({ connections: 0, remotes: 0, listening: 0, states: newStateArray(), webConnections: 0, idleWebConnections: 0 }));
  // A large result (listed remotes x captures) is consumed a chunk at a time. A capture's
  // `remotes` counts the listed ones (every remote when all are listed).
  await chunks(
    `SELECT ${source.key} AS k, ${source.remote} AS r, ${sum('connections')} AS c, ${sum(`CASE WHEN ${source.established} AND ${web} THEN idle ELSE 0 END`)} AS i ${source.from}${listed} GROUP BY k, r`,
    ([seriesKey, seriesRemote, seriesConnections, seriesIdle], rows) => {
      for (let i = 0; i < rows; i++) {
        const capture = captureOf(seriesKey![i]);
        const builder = builderOf(seriesRemote![i]);
        if (capture < 0 || !builder) continue; // a snapshot stored while we read
        const count = toNumber(seriesConnections![i]);
        const idle = toNumber(seriesIdle![i]);
        builder.perCapture[capture]! += count;
        builder.idleWebPerCapture[capture]! += idle;
        if (capture < builder.firstCapture) builder.firstCapture = capture;
        if (capture > builder.lastCapture) builder.lastCapture = capture;
        captures[capture]!.remotes++;
      }
    },
  );
  await chunks(
    `SELECT ${source.key} AS k, ${source.state} AS st, ${sum('connections')} AS c, ${sum(`CASE WHEN ${web} THEN connections ELSE 0 END`)} AS w, ${sum(`CASE WHEN ${source.established} AND ${web} THEN idle ELSE 0 END`)} AS i ${source.from} GROUP BY k, st`,
    ([captureKey, captureState, captureConnections, captureWeb, captureIdle], rows) => {
      for (let i = 0; i < rows; i++) {
        const capture = captures[captureOf(captureKey![i])];
        if (!capture) continue;
        const count = toNumber(captureConnections![i]);
        capture.connections += count;
        capture.states[source.stateIndex(captureState![i])]! += count;
        capture.webConnections += toNumber(captureWeb![i]);
        capture.idleWebConnections += toNumber(captureIdle![i]);
      }
    },
  );
  for (const [position, snapshot] of snapshots.entries()) captures[captureOfSnapshot[position]!]!.listening += snapshot.listening;

  const remotes = builders.map((builder) => builder.finish());
  remotes.sort((a, b) => b.connections - a.connections || compareIdentities(a.identity, b.identity));
  const totalStates = newStateArray();
  for (const capture of captures) addStates(totalStates, capture.states);
  const aggregate: Aggregate = {
    remotes,
    captures,
    connections: captures.reduce((sum, capture) => sum + capture.connections, 0),
    listening: captures.reduce((sum, capture) => sum + capture.listening, 0),
    states: totalStates,
    remoteCount,
  };

  const infos = captureInfos(snapshots, captureOfSnapshot, captureCount, bucketMs);
  const tallies = infos.map((info, index) => emptyTally(info, captures[index]!));

  const remoteHosts: RemoteHostRow[] = [];
  await chunks(`SELECT ${source.remote} AS r, ${source.host} AS h, ${source.time('min(captured_ms)')} AS f, ${source.time('max(captured_ms)')} AS l, ${sum('connections')} AS c ${source.from}${listed} GROUP BY r, h`, (
    [hostRemote, hostHost, hostFirst, hostLast, hostConnections],
    rows,
  ) => {
    for (let i = 0; i < rows; i++) {
      const builder = builderOf(hostRemote![i]);
      if (!builder) continue;
      remoteHosts.push({ remote: builder.identity.ip, host: source.hostName(hostHost![i]), firstMs: toNumber(hostFirst![i]), lastMs: toNumber(hostLast![i]), connections: toNumber(hostConnections![i]) });
    }
  });

  const byWeight = remotes.filter((stats) => !isWildcardAddress(stats.identity.ip) && parseIpAddress(stats.identity.ip) !== null).map((stats) => [stats.identity.ip, stats.connections] as const);
  byWeight.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { snapshots, tallies, aggregate, captureOfSnapshot, bucketMs, remotes: byWeight.map(([ip]) => ip), remoteHosts, remoteCount };
}

function stateFromIndex(value: unknown): number {
  const index = toNumber(value);
  return index >= 0 && index < CONNECTION_STATES.length ? index : UNKNOWN_STATE;
}

function stateFromName(value: unknown): number {
  const index = CONNECTION_STATES.indexOf(String(value) as (typeof CONNECTION_STATES)[number]);
  return index < 0 ? UNKNOWN_STATE : index;
}

async function hasTallyRows(engine: StoreEngine): Promise<boolean> {
  if (engine.dialect !== 'duckdb') return false;
  const result = await engine.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'tally_rows'");
  return toNumber(result.rows[0]?.[0]) > 0;
}

/** DuckDB: tally_rows joined with the selected snapshots; remotes and programs by number. */
async function numberSource(engine: StoreEngine, selected: string, keySql: string, everyRow: boolean, hosts: string[]): Promise<TallySource> {
  const remotes = new Map<number, string>();
  const [remoteNo, remoteText] = await queryColumns(engine, 'SELECT remote_no, remote FROM remotes');
  let maxRemoteNo = 0;
  for (let i = 0; i < (remoteNo?.length ?? 0); i++) {
    const no = toNumber(remoteNo![i]);
    remotes.set(no, String(remoteText![i]));
    if (no > maxRemoteNo) maxRemoteNo = no;
  }
  const programs = new Map<number, string>();
  const [programNo, programText] = await queryColumns(engine, 'SELECT program_no, program FROM programs');
  for (let i = 0; i < (programNo?.length ?? 0); i++) programs.set(toNumber(programNo![i]), String(programText![i]));
  const joined =
    `FROM tally_rows t JOIN (SELECT snapshot_no, CAST(list_position([${hosts.map((host) => sqlString('duckdb', host)).join(', ')}], host) AS INTEGER) AS hn, captured_ms, ${keySql === 'snapshot_id' ? keySql : `CAST(${keySql} AS INTEGER)`} AS k FROM snapshots WHERE snapshot_id IN (${selected})) s ` +
      'ON s.snapshot_no = t.snapshot_no WHERE 1 = 1';
  return {
    from: joined,
    // A snapshot's tally rows are written in the transaction that stores it: with every
    // snapshot selected (none twice), the table itself is the selection, no join needed.
    remoteFrom: everyRow ? 'FROM tally_rows t WHERE 1 = 1' : joined,
    key: 'k',
    established: `state = ${ESTABLISHED_INDEX}`,
    remote: 'remote_no',
    state: 'state',
    program: 'program_no',
    hasProgram: 'program_no >= 0',
    // Host numbers, not names: a name per remote and host was a string to decode per row.
    host: 'hn',
    hostName: (key) => hosts[toNumber(key) - 1] ?? '',
    time: (aggregate) => `CAST(${aggregate} AS DOUBLE)`,
    remoteText: (key) => remotes.get(toNumber(key)) ?? '',
    programText: (key) => programs.get(toNumber(key)) ?? '',
    stateIndex: stateFromIndex,
    sum: (expression) => `CAST(sum(${expression}) AS INTEGER)`,
    only: (keys) => remoteBitmapTest(keys, maxRemoteNo),
  };
}

/**
 * True for the rows of these remote numbers: one bit per number, looked up by position. An
 * IN list of 10,000 numbers cost DuckDB about 1 s of CPU per pass over 28M rows, the bits 0.25 s.
 * The bits cover every number of the dictionary (`maxRemoteNo`), so no row looks past the end.
 */
function remoteBitmapTest(keys: unknown[], maxRemoteNo: number): string {
  const numbers = keys.map((key) => Math.trunc(toNumber(key)));
  let last = maxRemoteNo;
  for (const no of numbers) if (no > last) last = no;
  const bits = new Uint8Array(last + 1).fill(48);
  for (const no of numbers) if (no >= 0) bits[no] = 49;
  return `get_bit('${Buffer.from(bits).toString('latin1')}'::BIT, remote_no) = 1`;
}

/** ClickHouse and version 1 stores: the text tallies of the selected snapshots. */
function textSource(selected: string, keySql: string): TallySource {
  return {
    from: `FROM tallies WHERE snapshot_id IN (${selected})`,
    remoteFrom: `FROM tallies WHERE snapshot_id IN (${selected})`,
    key: keySql,
    established: "state = 'ESTABLISHED'",
    remote: 'remote',
    state: 'state',
    program: 'program',
    hasProgram: "program != ''",
    host: 'host',
    hostName: String,
    time: (aggregate) => aggregate,
    remoteText: String,
    programText: String,
    stateIndex: stateFromName,
    sum: (expression) => `sum(${expression})`,
    // Not the addresses themselves: a long list would pass ClickHouse's query size limit.
    only: (_keys, atLeast) => `remote IN (SELECT remote FROM tallies WHERE snapshot_id IN (${selected}) GROUP BY remote HAVING sum(connections) >= ${Math.trunc(atLeast)})`,
  };
}

/** The result a chunk at a time, column-major (the engine's streaming path when it has one). */
async function eachChunk(engine: StoreEngine, sql: string, visit: (columns: ArrayLike<unknown>[], rows: number) => void): Promise<void> {
  if (engine.queryChunks) return engine.queryChunks(sql, visit);
  const columns = await queryColumns(engine, sql);
  visit(columns, columns[0]?.length ?? 0);
}

/** Column-major results (the engine's fast path when it has one). */
async function queryColumns(engine: StoreEngine, sql: string): Promise<ArrayLike<unknown>[]> {
  if (engine.queryColumns) return engine.queryColumns(sql);
  const result = await engine.query(sql);
  return result.columns.map((_, column) => result.rows.map((row) => row[column]));
}

/** The evidence entry of an analysis capture with its totals; its groups were summed by the engine. */
function emptyTally(info: CaptureInfo, totals: { connections: number; listening: number; states: Int32Array }): SnapshotTally {
  return {
    info,
    diagnostics: [],
    totals: { connections: totals.connections, listening: totals.listening, states: [...totals.states] },
    listenerPorts: [],
    groups: {
      length: 0,
      remotes: [],
      programs: [],
      remote: new Uint32Array(0),
      state: new Uint8Array(0),
      localPort: new Int32Array(0),
      program: new Int32Array(0),
      flags: new Uint8Array(0),
      connections: new Uint32Array(0),
      idle: new Uint32Array(0),
    },
  };
}

interface StateRows {
  remote: Int32Array;
  state: Uint8Array;
  count: Float64Array;
  length: number;
}

/** Room for `rows` rows (0: let the columns go). */
function growStateRows(from: StateRows, rows: number): StateRows {
  const size = rows === 0 ? 0 : Math.max(rows, from.remote.length * 2);
  const to = { remote: new Int32Array(size), state: new Uint8Array(size), count: new Float64Array(size), length: Math.min(from.length, size) };
  to.remote.set(from.remote.subarray(0, to.length));
  to.state.set(from.state.subarray(0, to.length));
  to.count.set(from.count.subarray(0, to.length));
  return to;
}

/** One remote's sums as they arrive from the engine. */
class RemoteBuilder {
  connections = 0;
  readonly states = new Array<number>(CONNECTION_STATES.length).fill(0);
  readonly localPorts = new PortTally();
  readonly programs = new Map<string, number>();
  readonly perCapture: number[];
  readonly idleWebPerCapture: number[];
  firstCapture = Number.MAX_SAFE_INTEGER;
  lastCapture = -1;

  constructor(readonly identity: RemoteIdentity, captureCount: number) {
    this.perCapture = new Array<number>(captureCount).fill(0);
    this.idleWebPerCapture = new Array<number>(captureCount).fill(0);
  }

  finish(): RemoteStats {
    return {
      identity: this.identity,
      connections: this.connections,
      states: this.states,
      localPorts: this.localPorts,
      programs: this.programs,
      perCapture: this.perCapture,
      idleWebPerCapture: this.idleWebPerCapture,
      firstCapture: this.firstCapture === Number.MAX_SAFE_INTEGER ? 0 : this.firstCapture,
      lastCapture: Math.max(0, this.lastCapture),
    };
  }
}

/** The selected snapshots, each once, and how many stored copies were left out. */
async function readSnapshots(engine: StoreEngine, where: string): Promise<{ snapshots: StoredSnapshot[]; duplicates: number; hosts: string[] }> {
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
  const hosts = [...new Set(result.rows.map((row) => String(row[1])))];
  return { snapshots, duplicates: result.rows.length - snapshots.length, hosts };
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
