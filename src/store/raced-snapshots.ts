// ClickHouse takes inserts from many hosts at once and has no unique keys: two loaders that both
// find a snapshot missing both insert it (Debian's 18.16 has no insert deduplication outside
// replicated tables). Each loader, after its insert, looks for snapshots of its files stored more
// than once and deletes every copy but the one with the smallest snapshot_id (the one reports
// keep meanwhile), tallies first. Whichever loader checks last sees every copy, so the store ends
// with one copy of each snapshot; the deletes are ClickHouse mutations, applied in the background.
import { sqlString, type StoreEngine } from './engine.js';

/** Snapshot ids of the copies of these files' snapshots to delete (all but the first of each). */
export async function racedCopies(engine: StoreEngine, sha256s: readonly string[]): Promise<string[]> {
  if (sha256s.length === 0) return [];
  const list = [...new Set(sha256s)].map((sha256) => sqlString(engine.dialect, sha256)).join(', ');
  const result = await engine.query(
    `SELECT snapshot_id FROM snapshots WHERE sha256 IN (${list}) AND snapshot_id NOT IN ` +
      `(SELECT min(snapshot_id) FROM snapshots WHERE sha256 IN (${list}) GROUP BY sha256, snapshot_index) ORDER BY snapshot_id`,
  );
  return result.rows.map((row) => String(row[0]));
}

/** Deletes the extra copies of these files' snapshots; returns how many snapshot rows go. */
export async function removeRacedCopies(engine: StoreEngine, sha256s: readonly string[]): Promise<number> {
  const copies = await racedCopies(engine, sha256s);
  if (copies.length === 0) return 0;
  const ids = copies.map((id) => sqlString(engine.dialect, id)).join(', ');
  // Tallies first: a snapshot row whose tallies are gone would count as empty until it goes too.
  await engine.exec(`ALTER TABLE tallies DELETE WHERE snapshot_id IN (${ids})`);
  await engine.exec(`ALTER TABLE snapshots DELETE WHERE snapshot_id IN (${ids})`);
  return copies.length;
}
