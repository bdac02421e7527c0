// Writing a report file without ever clobbering a user's file by accident:
// the text goes to a temporary file in the same directory, then is linked into
// place (link() fails with EEXIST, so no race with a file created meanwhile),
// or renamed over the target when --force was given.
import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, unlink, writeFile, copyFile, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** `text` may come in pieces (written in order, as they are made). */
export async function writeReportFile(path: string, text: string | Iterable<string | Uint8Array>, options: { force: boolean; displayName?: string }): Promise<void> {
  const shown = options.displayName ?? path;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // `-o case-2026-11-28/report.md`: a new case folder is made, never an existing file replaced.
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    // A full disk fails half way: the partial temp file is ours to remove (EEXIST: the name was not ours).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(temp).catch(() => {});
    throw new UserError(`${shown}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 2);
  }
  try {
    if (options.force) {
      await rename(temp, path);
      return;
    }
    try {
      await link(temp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError(`${shown}: already exists; not overwriting it (use --force to replace it)`, 2);
      // Filesystems without hard links: an exclusive copy is still no-clobber.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') await copyFile(temp, path, constants.COPYFILE_EXCL);
      else throw error;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`${shown}: already exists; not overwriting it (use --force to replace it)`, 2);
    throw new UserError(`${shown}: cannot write (${code ?? (error as Error).message})`, 2);
  } finally {
    await unlink(temp).catch(() => {});
  }
}
