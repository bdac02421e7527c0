// Run by `npm install` (the prepare script, after the build): parses the embedded ASN
// CSVs into dist/asn-index/, so the first lookup after installing reads that file
// instead of spending seconds on the CSVs. Idempotent: an index for the installed
// data is kept; indexes for other data are removed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asnIndexCacheFileName, openAsnIndexFile, removeStaleIndexFiles, writeAsnIndexCache } from './asn-index-cache.js';
import { buildEmbeddedAsnIndex, embeddedAsnSource, PREBUILT_ASN_INDEX_DIR } from './embedded-data.js';

export async function prebuildAsnIndex(dir = PREBUILT_ASN_INDEX_DIR): Promise<{ path: string; built: boolean }> {
  const source = embeddedAsnSource();
  const name = asnIndexCacheFileName(source.key);
  const path = join(dir, name);
  const existing = openAsnIndexFile(path, source.key);
  if (existing) {
    existing.close();
    removeStaleIndexFiles(dir, name, Date.now(), 0);
    return { path, built: false };
  }
  const index = await buildEmbeddedAsnIndex(source);
  if (!writeAsnIndexCache(dir, source.key, index, Date.now(), 0)) throw new Error(`cannot write the ASN index into ${dir}`);
  return { path, built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { path, built } = await prebuildAsnIndex();
  process.stdout.write(`netsleuth: ASN index ${built ? 'built' : 'up to date'}: ${path} (${Math.round(performance.now() - started)} ms)\n`);
}
