// A fresh NETSLEUTH_CACHE_DIR for a test that must not see (or leave) RDAP answers and
// blocklists, seeded with the ASN index already built so each run does not rebuild it.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../../src/cache-dir.js';

export function seededCacheDir(path: string = mkdtempSync(join(tmpdir(), 'netsleuth-cache-'))): string {
  mkdirSync(path, { recursive: true });
  const source = defaultCacheDir(process.env);
  let files: string[] = [];
  try {
    files = readdirSync(source).filter((file) => /^asn-index-.*\.bin$/.test(file));
  } catch {
    // Nothing built yet: the first run builds it.
  }
  for (const file of files) if (!existsSync(join(path, file))) copyFileSync(join(source, file), join(path, file));
  return path;
}
