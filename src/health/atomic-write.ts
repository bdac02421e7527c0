// Files appear whole or not at all: write to a hidden temp name in the same directory, fsync,
// then rename (atomic on one file system).
import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARKER = '.netsleuth-tmp-';

export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_MARKER}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { exclusive?: boolean } = {}): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  if (options.exclusive) {
    // link() fails with EEXIST instead of replacing: never overwrite a user's file.
    try {
      await link(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
    return;
  }
  await rename(temp, path);
}
