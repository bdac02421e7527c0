// A case folder holds one capture per directory, named by its UTC time (20261128T170500Z).
// Each capture is built in a hidden staging directory and renamed into place in one step,
// so a crash (even SIGKILL) never leaves half a capture under a real name; stale staging
// directories of dead processes are removed the next time netsleuth writes there.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatLiveCapture } from './capture-format.js';
import type { LiveSnapshot } from './capture-live.js';
import { TEMP_MARKER, writeFileAtomic } from '../output/atomic-write.js';
import { formatProcessCounts } from './process-counts.js';
import { utcStamp } from '../time/utc.js';

export const CONNECTIONS_FILE = 'connections.txt';
export const MANIFEST_FILE = 'SHA256SUMS';
const STAGING_MARKER = `${TEMP_MARKER}capture-`;

export interface CaptureFile {
  name: string;
  content: string;
}

/** The files one snapshot becomes, in a fixed order. */
export function snapshotFiles(snapshot: LiveSnapshot): CaptureFile[] {
  const files: CaptureFile[] = [{
    name: CONNECTIONS_FILE,
    content: formatLiveCapture({ host: snapshot.host, capturedAt: snapshot.capturedAt.toISOString(), source: snapshot.connections.source || '/proc/net/tcp' }, snapshot.connections.connections),
  }];
  for (const tool of snapshot.tools) files.push({ name: tool.fileName, content: `# ${tool.command.join(' ')}\n${tool.text}` });
  files.push({ name: 'processes.txt', content: formatProcessCounts(snapshot.processes) });
  if (snapshot.meminfo !== null) files.push({ name: 'meminfo.txt', content: snapshot.meminfo });
  if (snapshot.loadavg !== null) files.push({ name: 'loadavg.txt', content: snapshot.loadavg });
  return files;
}

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** `sha256sum -c` format: "<hex>  <name>", sorted by name. */
export function formatManifest(files: readonly CaptureFile[]): string {
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((file) => `${sha256Hex(file.content)}  ${file.name}`)
    .join('\n') + '\n';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove staging directories and temp files left by processes that no longer run. */
export async function removeStaleStaging(caseDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(caseDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(TEMP_MARKER)) continue;
    const pid = Number(/\.(\d+)(?:\.[0-9a-f]+)?$/.exec(entry)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid) continue;
    await rm(join(caseDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Write `files` plus SHA256SUMS as the directory `finalDir`, atomically. `extraFiles` can be
 * produced from the staging directory (the report reads the capture there) before the rename.
 */
export async function writeCaptureDirectory(
  finalDir: string,
  files: readonly CaptureFile[],
  beforeCommit?: (stagingDir: string) => Promise<CaptureFile[]>,
): Promise<string> {
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  if (await exists(finalDir)) throw new Error(`${finalDir} already exists`);
  // pid for removeStaleStaging, random so that two captures of one process never share it.
  const staging = join(parent, `${STAGING_MARKER}${basename(finalDir)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    const all = [...files];
    for (const file of files) await writeFileAtomic(join(staging, file.name), file.content);
    if (beforeCommit) {
      for (const file of await beforeCommit(staging)) {
        await writeFileAtomic(join(staging, file.name), file.content);
        all.push(file);
      }
    }
    await writeFileAtomic(join(staging, MANIFEST_FILE), formatManifest(all));
    return await commitStaging(staging, finalDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Rename staging into place. Another run capturing into the same case folder in the same
 * second chose the same name while both were writing: the loser takes the next free suffix
 * (rename onto a non-empty directory fails with ENOTEMPTY/EEXIST), so no capture is lost.
 */
async function commitStaging(staging: string, finalDir: string): Promise<string> {
  const base = finalDir.replace(/-\d+$/, '');
  let target = finalDir;
  for (let suffix = 2; ; suffix += 1) {
    try {
      await rename(staging, target);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || suffix > 1000) throw error;
      target = `${base}-${suffix}`;
    }
  }
}

/** A capture directory name inside caseDir that does not exist yet. */
export async function newCaptureDir(caseDir: string, capturedAt: Date): Promise<string> {
  const stamp = utcStamp(capturedAt);
  let candidate = join(caseDir, stamp);
  for (let suffix = 2; await exists(candidate); suffix += 1) candidate = join(caseDir, `${stamp}-${suffix}`);
  return candidate;
}

/** Capture directories in caseDir (by name), oldest first. */
export async function listCaptureDirs(caseDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(caseDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && /^\d{8}T\d{6}Z(?:-\d+)?$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => captureOrder(a) - captureOrder(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function captureOrder(name: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(name);
  if (!match) return 0;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
}

export function captureTimeMs(name: string): number {
  return captureOrder(name);
}
