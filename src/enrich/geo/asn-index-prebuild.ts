// Run by `npm install` (the prepare script, after the build): parses the embedded ASN
// CSVs into dist/asn-index/, so the first lookup after installing reads that file
// instead of spending seconds on the CSVs, classifies every AS name in it
// (institution-facts.ts) and writes ICU's country names (country-names.ts).
// Idempotent: an index and facts for the installed data and rules are kept; those for
// other data are removed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asnIndexCacheFileName, openAsnIndexFile, readAsnIndexCache, removeStaleIndexFiles, writeAsnIndexCache } from './asn-index-cache.js';
import { writeCountryNameTable } from './country-names.js';
import { buildEmbeddedAsnIndex, embeddedAsnSource, PREBUILT_ASN_INDEX_DIR } from './embedded-data.js';
import { buildInstitutionFacts, institutionFactsFileName, institutionFactsKey, openInstitutionFacts, recordRulesFingerprint, writeInstitutionFacts } from './institution-facts.js';

export async function prebuildAsnIndex(dir = PREBUILT_ASN_INDEX_DIR): Promise<{ path: string; built: boolean; factsPath: string; factsBuilt: boolean }> {
  const source = embeddedAsnSource();
  const name = asnIndexCacheFileName(source.key);
  const path = join(dir, name);
  const factsKey = institutionFactsKey(source.key);
  const factsPath = join(dir, institutionFactsFileName(factsKey));
  recordRulesFingerprint(dir);
  const existing = openAsnIndexFile(path, source.key);
  let orgNames: string[] | null = null;
  if (existing) {
    const facts = openInstitutionFacts(factsPath, factsKey, existing.orgCount);
    existing.close();
    removeStaleIndexFiles(dir, name, Date.now(), 0);
    if (facts) {
      facts.close();
      return { path, built: false, factsPath, factsBuilt: false };
    }
    orgNames = readAsnIndexCache(dir, source.key)?.orgNames ?? null;
  }
  let built = false;
  if (!orgNames) {
    const index = await buildEmbeddedAsnIndex(source);
    if (!writeAsnIndexCache(dir, source.key, index, Date.now(), 0)) throw new Error(`cannot write the ASN index into ${dir}`);
    orgNames = index.orgNames;
    built = true;
  }
  // What the rules say of each AS name, once here instead of at every run's first sight of it.
  writeInstitutionFacts(dir, factsKey, buildInstitutionFacts(orgNames));
  return { path, built, factsPath, factsBuilt: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { path, built, factsBuilt } = await prebuildAsnIndex();
  writeCountryNameTable();
  process.stdout.write(`netsleuth: ASN index ${built ? 'built' : 'up to date'}${factsBuilt ? ', institution facts built' : ''}: ${path} (${Math.round(performance.now() - started)} ms)\n`);
}
