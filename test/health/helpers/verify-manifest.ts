// Check a capture directory against its SHA256SUMS: every listed file hashes as listed.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The listed file names; throws when a file is missing or its hash differs. */
export async function verifyManifest(captureDir: string): Promise<string[]> {
  const manifest = await readFile(join(captureDir, 'SHA256SUMS'), 'utf8');
  const names: string[] = [];
  for (const line of manifest.split('\n').filter(Boolean)) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) throw new Error(`bad SHA256SUMS line: ${line}`);
    const actual = createHash('sha256').update(await readFile(join(captureDir, match[2]!))).digest('hex');
    if (actual !== match[1]) throw new Error(`${match[2]} does not match SHA256SUMS`);
    names.push(match[2]!);
  }
  return names;
}
