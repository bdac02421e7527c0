// A fresh NETSLEUTH_CACHE_DIR for a test that must not see (or leave) RDAP answers and
// blocklists, seeded with the ASN index already built so each run does not rebuild it.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../../src/cache-dir.js';
import { ASN_INDEX_CACHE_FILE } from '../../src/enrich/geo/asn-index-cache.js';

export function seededCacheDir(path: string = mkdtempSync(join(tmpdir(), 'netsleuth-cache-'))): string {
  mkdirSync(path, { recursive: true });
  const built = join(defaultCacheDir(process.env), ASN_INDEX_CACHE_FILE);
  if (existsSync(built) && !existsSync(join(path, ASN_INDEX_CACHE_FILE))) copyFileSync(built, join(path, ASN_INDEX_CACHE_FILE));
  return path;
}
