// Files the store holds already, found before parsing: a file whose every snapshot is stored
// (same sha256) is skipped after hashing it, which costs a fraction of reading its rows. Only
// files whose size some stored snapshot has are hashed first: equal bytes have equal sizes, so
// a new file is not read twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sqlString, toNumber, type StoreEngine } from './engine.js';

export interface KnownFile {
  sha256: string;
  /** Snapshots in the file, all stored. */
  snapshots: number;
}

export class KnownFiles {
  private constructor(private readonly engine: StoreEngine, private readonly sizes: Set<number>) {}

  /** The sizes of the files stored so far (one small query). */
  static async open(engine: StoreEngine): Promise<KnownFiles> {
    const result = await engine.query('SELECT DISTINCT size_bytes FROM snapshots');
    return new KnownFiles(engine, new Set(result.rows.map((row) => toNumber(row[0]))));
  }

  /**
   * The stored file with the bytes of `path`, when every one of its snapshots is stored; null
   * when it is new or partly stored, or not a regular file (then it is read as usual, and any
   * error is reported there).
   */
  async find(path: string): Promise<KnownFile | null> {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      size = info.size;
    } catch {
      return null;
    }
    if (!this.sizes.has(size)) return null;
    const sha256 = await fileSha256(path).catch(() => null);
    if (sha256 === null) return null;
    const result = await this.engine.query(
      `SELECT max(snapshot_count), count(DISTINCT snapshot_index) FROM snapshots WHERE sha256 = ${sqlString(this.engine.dialect, sha256)}`,
    );
    const count = toNumber(result.rows[0]?.[0]);
    const stored = toNumber(result.rows[0]?.[1]);
    return stored > 0 && stored >= count ? { sha256, snapshots: stored } : null;
  }
}

/** The sha256 of a file's bytes, as the capture readers compute it (raw bytes, gzip or not). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
