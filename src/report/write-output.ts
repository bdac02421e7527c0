// Writing a report file without ever clobbering a user's file by accident: whole or not at
// all, linked into place (never over an existing file), or renamed over it with --force.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';

/** `text` may come in pieces (written in order, as they are made). */
export async function writeReportFile(path: string, text: string | Iterable<string | Uint8Array>, options: { force: boolean; displayName?: string }): Promise<void> {
  const shown = options.displayName ?? path;
  const failed = (error: unknown) => new UserError(`${shown}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 2);
  try {
    // `-o case-2026-11-28/report.md`: a new case folder is made, never an existing file replaced.
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw failed(error);
  }
  try {
    // Not fsynced: a report can be large, and a lost one is made again from its captures.
    await writeFileAtomic(path, text, { exclusive: !options.force, fsync: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${shown}: already exists; not overwriting it (use --force to replace it)`, 2);
    throw failed(error);
  }
}
