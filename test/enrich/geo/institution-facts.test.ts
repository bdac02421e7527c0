import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { asnIndexCacheFileName, readAsnIndexCache } from '../../../src/enrich/geo/asn-index-cache.js';
import { embeddedAsnSource, PREBUILT_ASN_INDEX_DIR } from '../../../src/enrich/geo/embedded-data.js';
import { openGeo } from '../../../src/enrich/geo/index.js';
import {
  buildInstitutionFacts,
  institutionFactsFileName,
  institutionFactsKey,
  openInstitutionFacts,
  recordedRulesFingerprint,
  recordRulesFingerprint,
  RULES_FINGERPRINT_FILE,
  serializeInstitutionFacts,
  writeInstitutionFacts,
} from '../../../src/enrich/geo/institution-facts.js';
import { asNameFacts, classifyInstitution, classifyWithAsNameFacts, encodeAsNameFacts, institutionRulesFingerprint } from '../../../src/enrich/geo/institutions.js';
import { ASN_CACHE_BUILD_TIMEOUT_MS, ensureTestAsnCache, TEST_CACHE_DIR } from './helpers.js';

/** [asn, AS name] from every 300th row of the embedded IPv4 ASN data, and curated ASNs with those names. */
function samplePairs(): [number, string][] {
  const lines = readFileSync(createRequire(import.meta.url).resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8').split('\n');
  const pairs: [number, string][] = [];
  for (let line = 0; line < lines.length; line += 300) {
    const cells = (lines[line] ?? '').split(',');
    const name = cells.slice(3).join(',').replace(/^"|"$/g, '');
    if (name !== '') pairs.push([Number(cells[2]), name]);
  }
  // Curated ASNs (a tier above the name) with their real names and someone else's.
  pairs.push([15169, 'Google LLC'], [1237, 'KISTI'], [9644, 'SK Telecom'], [15169, 'Seoul National University']);
  return pairs;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netsleuth-facts-'));
}

describe('AS-name facts computed ahead of time', () => {
  const pairs = samplePairs();
  const names = [...new Set(pairs.map(([, name]) => name))];
  const key = institutionFactsKey('test data');

  it('classify exactly as classifyInstitution does, through the file', () => {
    const dir = tempDir();
    const path = writeInstitutionFacts(dir, key, buildInstitutionFacts(names));
    const table = openInstitutionFacts(path, key, names.length);
    expect(table).not.toBeNull();
    let compared = 0;
    for (const [asn, name] of pairs) {
      const facts = table?.factsOf(names.indexOf(name)) ?? null;
      expect(facts).toEqual(asNameFacts(name));
      expect(classifyWithAsNameFacts(asn, name, facts)).toEqual(classifyInstitution({ asn, asOrg: name, ptrNames: [] }));
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
    table?.close();
  });

  it('are not used for another key, another index size, or a damaged file', () => {
    const dir = tempDir();
    const path = writeInstitutionFacts(dir, key, buildInstitutionFacts(names.slice(0, 20)));
    expect(openInstitutionFacts(path, institutionFactsKey('other data'), 20)).toBeNull();
    expect(openInstitutionFacts(path, institutionFactsKey('test data', 'other rules'), 20)).toBeNull();
    expect(openInstitutionFacts(path, key, 21)).toBeNull();
    const bytes = readFileSync(path);
    const truncated = join(dir, 'truncated.bin');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1));
    expect(openInstitutionFacts(truncated, key, 20)).toBeNull();
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, 'not a facts file at all');
    expect(openInstitutionFacts(garbage, key, 20)).toBeNull();
    expect(openInstitutionFacts(join(dir, 'missing.bin'), key, 20)).toBeNull();
  });

  it('a damaged entry gives no facts (the lookup classifies the name itself); ids out of range none', () => {
    const dir = tempDir();
    const path = join(dir, 'facts.bin');
    writeFileSync(path, serializeInstitutionFacts(['{not json', '[[["nonsense",1,"x"]],null]', encodeAsNameFacts(asNameFacts('Korea Telecom'))], key));
    const table = openInstitutionFacts(path, key, 3);
    expect(table?.factsOf(0)).toBeNull();
    expect(table?.factsOf(1)).toBeNull();
    expect(table?.factsOf(2)).toEqual(asNameFacts('Korea Telecom'));
    expect(table?.factsOf(3)).toBeNull();
    expect(table?.factsOf(-1)).toBeNull();
    table?.close();
  });

  it('writing keeps only the facts of the current key in the folder', () => {
    const dir = tempDir();
    const old = writeInstitutionFacts(dir, institutionFactsKey('old data'), ['']);
    const current = writeInstitutionFacts(dir, key, ['']);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(current)).toBe(true);
  });
});

describe('openGeo with the facts beside the index built at install', () => {
  let prebuiltDir = '';
  let orgNames: string[] = [];
  beforeAll(async () => {
    await ensureTestAsnCache();
    const source = embeddedAsnSource();
    const name = asnIndexCacheFileName(source.key);
    const built = [join(TEST_CACHE_DIR, name), join(PREBUILT_ASN_INDEX_DIR, name)].find((path) => existsSync(path));
    prebuiltDir = tempDir();
    copyFileSync(built as string, join(prebuiltDir, name));
    orgNames = readAsnIndexCache(prebuiltDir, source.key)?.orgNames ?? [];
  }, ASN_CACHE_BUILD_TIMEOUT_MS);

  const addresses = ['8.8.8.8', '147.46.10.10', '134.75.30.1', '141.223.1.1', '2001:4860:4860::8888', '2406:da14::1', '1.1.1.1', '9.9.9.9', '195.113.1.1', '200.160.2.3', '41.203.18.1', '103.1.1.1'];

  it('the facts are what the lookup uses', async () => {
    // Facts that say 'FAKE' for every name: the lookup must show them.
    writeInstitutionFacts(prebuiltDir, institutionFactsKey(embeddedAsnSource().key), orgNames.map(() => encodeAsNameFacts({ matches: [['research', 2, 'FAKE']], university: null })));
    const geo = await openGeo({ env: {}, cacheDir: null, prebuiltIndexDir: prebuiltDir, systemGeoDirs: [] });
    expect(geo.lookup('147.46.10.10').institution?.evidence).toContain("AS name 'Seoul National University' contains 'FAKE'");
    geo.close();
  });

  it('real facts give the same answers as classifying each name at run time', async () => {
    const without = await openGeo({ env: {}, cacheDir: TEST_CACHE_DIR, prebuiltIndexDir: null, systemGeoDirs: [] });
    // Facts for the names these addresses have (the rest left empty: building all 81k takes seconds).
    const used = new Set(addresses.map((ip) => without.lookup(ip).asOrg));
    expect(used.size).toBeGreaterThan(8);
    writeInstitutionFacts(prebuiltDir, institutionFactsKey(embeddedAsnSource().key), orgNames.map((name) => (used.has(name) ? encodeAsNameFacts(asNameFacts(name)) : '')));
    const withFacts = await openGeo({ env: {}, cacheDir: null, prebuiltIndexDir: prebuiltDir, systemGeoDirs: [] });
    for (const ip of addresses) expect(withFacts.lookup(ip)).toEqual(without.lookup(ip));
    expect(existsSync(join(prebuiltDir, institutionFactsFileName(institutionFactsKey(embeddedAsnSource().key))))).toBe(true);
    withFacts.close();
    without.close();
  }, ASN_CACHE_BUILD_TIMEOUT_MS);
});

describe('the rules fingerprint recorded at install', () => {
  it('is used while the rule files keep their size and time, and hashed again otherwise', () => {
    const dir = tempDir();
    const hashed = institutionRulesFingerprint();
    expect(recordedRulesFingerprint(dir)).toBe(hashed); // nothing recorded
    recordRulesFingerprint(dir);
    const record = JSON.parse(readFileSync(join(dir, RULES_FINGERPRINT_FILE), 'utf8')) as { stamp: string; fingerprint: string };
    expect(record.fingerprint).toBe(hashed);
    // The record is what answers (a stand-in fingerprint comes back) ...
    writeFileSync(join(dir, RULES_FINGERPRINT_FILE), JSON.stringify({ stamp: record.stamp, fingerprint: 'recorded' }));
    expect(recordedRulesFingerprint(dir)).toBe('recorded');
    // ... only while its stamp matches the files; a stale or damaged record is ignored.
    writeFileSync(join(dir, RULES_FINGERPRINT_FILE), JSON.stringify({ stamp: record.stamp.replace(/^\d+/, '1'), fingerprint: 'recorded' }));
    expect(recordedRulesFingerprint(dir)).toBe(hashed);
    writeFileSync(join(dir, RULES_FINGERPRINT_FILE), '{"stamp":');
    expect(recordedRulesFingerprint(dir)).toBe(hashed);
  });
});
