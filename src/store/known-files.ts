// Files the store holds already, found before parsing: a file whose every snapshot is stored
// (same sha256) is skipped after hashing it, which costs a fraction of reading its rows. Only
// files whose size some stored snapshot has are hashed first: equal bytes have equal sizes, so
// a new file is not read twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sqlString, toNumber, type StoreEngine } from './engine.js';

export class KnownFiles {
  private constructor(private readonly engine: StoreEngine, private readonly sizes: Set<number>) {}

  /** The sizes of the files stored so far (one small query). */
  static async open(engine: StoreEngine): Promise<KnownFiles> {
    const result = await engine.query('SELECT DISTINCT size_bytes FROM snapshots');
    return new KnownFiles(engine, new Set(result.rows.map((row) => toNumber(row[0]))));
  }

  /**
   * The sha256 of the file at `path` when some stored file has its size (it may be stored); null
   * when it cannot be (or is not a regular file: it is then read as usual, and any error is
   * reported there). Reads the file (through `hash`: a parse worker's, say), but asks the store nothing.
   */
  async hashIfKnownSize(path: string, hash: (path: string) => Promise<string> = fileSha256): Promise<string | null> {
    try {
      const info = await stat(path);
      if (!info.isFile() || !this.sizes.has(info.size)) return null;
      return await hash(path);
    } catch {
      return null;
    }
  }

  /** How many snapshots the file with this sha256 has, when every one is stored; else null. */
  async storedWhole(sha256: string): Promise<number | null> {
    const result = await this.engine.query(
      `SELECT max(snapshot_count), count(DISTINCT snapshot_index) FROM snapshots WHERE sha256 = ${sqlString(this.engine.dialect, sha256)}`,
    );
    const count = toNumber(result.rows[0]?.[0]);
    const stored = toNumber(result.rows[0]?.[1]);
    return stored > 0 && stored >= count ? stored : null;
  }
}

/** The sha256 of a file's bytes, as the capture readers compute it (raw bytes, gzip or not). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
