// The I/O edge for /proc: every reader takes the proc root so tests can point it elsewhere.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OptionTable } from '../option-table.js';
import { countProcessNames, type ProcessCount } from './process-counts.js';

export const DEFAULT_PROC_ROOT = '/proc';

/** The flag of the commands that read this machine's /proc. */
export const PROC_ROOT_OPTION = {
  'proc-root': { type: 'string', arg: 'DIR', help: `read the /proc files from DIR instead of ${DEFAULT_PROC_ROOT} (a copy of another machine's, tests)` },
} as const satisfies OptionTable;

export async function readProcFile(procRoot: string, name: string): Promise<string> {
  return readFile(join(procRoot, name), 'utf8');
}

/** Names of all processes; a process that exits while we look is skipped. */
export async function readProcessNames(procRoot: string): Promise<string[]> {
  const entries = await readdir(procRoot);
  const names: string[] = [];
  await Promise.all(entries.filter((entry) => /^\d+$/.test(entry)).map(async (pid) => {
    try {
      names.push(await readFile(join(procRoot, pid, 'comm'), 'utf8'));
    } catch {
      // ENOENT/ESRCH: the process is gone; that is normal on a busy box.
    }
  }));
  return names;
}

export async function readProcessCounts(procRoot: string): Promise<ProcessCount[]> {
  return countProcessNames(await readProcessNames(procRoot));
}
