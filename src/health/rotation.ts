// Old captures go by count (--keep N) and age (--max-age 7d). A capture is renamed to a
// temp name before it is deleted, so a crash mid-delete never leaves a partial capture under
// a real name (the temp name is cleaned up by the next run).
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_MARKER } from '../output/atomic-write.js';
import { captureTimeMs, listCaptureDirs, MANIFEST_FILE } from './case-folder.js';

/**
 * Pure: which capture names to delete, oldest first. `current` (the capture just taken) is never
 * among them, however short --max-age is: a watch must not delete the evidence it just wrote.
 */
export function capturesToRotate(names: readonly string[], keep: number, maxAgeMs: number | null, nowMs: number, current: string | null = null): string[] {
  const doomed = new Set<string>();
  const excess = names.length - keep;
  for (let i = 0; i < excess; i++) doomed.add(names[i]!);
  if (maxAgeMs !== null) for (const name of names) if (nowMs - captureTimeMs(name) > maxAgeMs) doomed.add(name);
  if (current !== null) doomed.delete(current);
  return names.filter((name) => doomed.has(name));
}

export async function rotateCaptures(caseDir: string, keep: number, maxAgeMs: number | null, nowMs: number, current: string | null = null): Promise<string[]> {
  const names = await listCaptureDirs(caseDir);
  const removed: string[] = [];
  for (const name of capturesToRotate(names, keep, maxAgeMs, nowMs, current)) {
    const entries = await readdir(join(caseDir, name));
    // Only directories netsleuth wrote (they have a manifest) are ever deleted.
    if (!entries.includes(MANIFEST_FILE)) continue;
    const doomed = join(caseDir, `${TEMP_MARKER}rotate-${name}.${process.pid}`);
    await rename(join(caseDir, name), doomed);
    await rm(doomed, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
