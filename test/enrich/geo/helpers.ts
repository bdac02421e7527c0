// Shared set-up for geo tests: one ASN-index cache for the whole run (building it
// from the CSVs takes about 2 s), and temporary folders of symlinks to MaxMind's
// test databases (the fixtures are never copied).
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedAsnIndex } from '../../../src/enrich/geo/embedded-data.js';
import { FIXTURES } from '../../helpers/run-cli.js';

export const MMDB_FIXTURES = join(FIXTURES, 'mmdb');
export const TEST_CACHE_DIR = join(tmpdir(), 'netsleuth-test-geo-cache');
export const CORRUPT_MMDB = 'GeoIP2-City-Test-Invalid-Node-Count.mmdb';
export const USABLE_MMDBS = [
  'GeoIP2-City-Test.mmdb',
  'GeoIP2-Country-Test.mmdb',
  'GeoIP2-Enterprise-Test.mmdb',
  'GeoIP2-ISP-Test.mmdb',
  'GeoLite2-ASN-Test.mmdb',
  'GeoLite2-City-Test.mmdb',
  'GeoLite2-Country-Test.mmdb',
  'GeoIP2-Anonymous-IP-Test.mmdb',
  'GeoIP2-Connection-Type-Test.mmdb',
  'GeoIP2-Domain-Test.mmdb',
] as const;

/** A fresh folder holding symlinks to the named fixture databases. */
export function fixtureGeoDir(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-geo-'));
  for (const name of names) symlinkSync(join(MMDB_FIXTURES, name), join(dir, name));
  return dir;
}

/** A fresh folder with files of the given contents. */
export function folderWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-geo-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Builds the shared ASN index cache if needed (seconds on a loaded machine); call from beforeAll with a long timeout. */
export async function ensureTestAsnCache(): Promise<void> {
  await loadEmbeddedAsnIndex(TEST_CACHE_DIR);
}

/** beforeAll timeout for ensureTestAsnCache: CSV parsing can take 10 s or more when the machine is busy. */
export const ASN_CACHE_BUILD_TIMEOUT_MS = 180_000;
