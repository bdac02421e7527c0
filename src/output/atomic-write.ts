// Files appear whole or not at all: write to a hidden temp name in the same directory, then
// rename over the target (atomic on one file system), or, where nothing may be replaced, link
// it into place: link() fails with EEXIST, so a file created meanwhile is never clobbered.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARKER = '.netsleuth-tmp-';

export function tempPathFor(path: string): string {
  // node:crypto on first write only: modules that can write a cache load this one on every start.
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return join(dirname(path), `${TEMP_MARKER}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

export interface AtomicWriteOptions {
  /** Refuse (EEXIST) instead of replacing an existing file. */
  exclusive?: boolean;
  /** Permissions of a new file (default 0o644; 0o600 for private caches). */
  mode?: number;
  /** fsync before the rename, so a crash cannot leave an empty file under the name (default true). */
  fsync?: boolean;
}

/** `data` may come in pieces (written in order, as they are made). */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  // node:fs/promises on first use too: `lookup` reaches this module but only writes synchronously.
  const { constants, copyFile, link, open, rename, rm, writeFile } = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await writeFile(handle, data);
      if (options.fsync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    if (!options.exclusive) {
      await rename(temp, path);
      return;
    }
    try {
      await link(temp, path);
    } catch (error) {
      // File systems without hard links: an exclusive copy is still no-clobber.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') await copyFile(temp, path, constants.COPYFILE_EXCL);
      else throw error;
    }
  } finally {
    // After a rename there is nothing left; after a link or a failure (a full disk) the temp name is ours.
    await rm(temp, { force: true });
  }
}

/** The same for callers that cannot wait (caches written at exit, install steps): replaces. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: Omit<AtomicWriteOptions, 'exclusive'> = {}): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      writeFileSync(fd, data);
      if (options.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Creates a file that did not exist: base.ext, base-2.ext, base-3.ext ... (never touching one that does). */
export async function writeNewFile(directory: string, base: string, extension: string, content: string): Promise<string> {
  for (let attempt = 1; attempt <= 1000; attempt++) {
    const path = join(directory, `${base}${attempt === 1 ? '' : `-${attempt}`}.${extension}`);
    try {
      await writeFileAtomic(path, content, { exclusive: true });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
  }
  throw new Error(`no free file name for ${base}.${extension} in ${directory}`);
}
