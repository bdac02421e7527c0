// The data that installs with netsleuth: ip-location-db's GeoLite2 City mmdb and its ASN CSVs.
// One opened service for the file (opening and, the first time, building the ASN index is the slow part).
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asnIndexCacheFileName } from '../../../src/enrich/geo/asn-index-cache.js';
import { prebuildAsnIndex } from '../../../src/enrich/geo/asn-index-prebuild.js';
import { embeddedAsnSource, PREBUILT_ASN_INDEX_DIR } from '../../../src/enrich/geo/embedded-data.js';
import { institutionFactsFileName, institutionFactsKey, RULES_FINGERPRINT_FILE } from '../../../src/enrich/geo/institution-facts.js';
import { attributionOf, openGeo, type OpenGeoService } from '../../../src/enrich/geo/index.js';
import { ipv4ToInt } from '../../../src/net/ip.js';
import { ASN_CACHE_BUILD_TIMEOUT_MS, ensureTestAsnCache, fixtureGeoDir, TEST_CACHE_DIR } from './helpers.js';

let geo: OpenGeoService;
beforeAll(async () => {
  await ensureTestAsnCache();
  geo = await openGeo({ env: {}, cacheDir: TEST_CACHE_DIR, systemGeoDirs: [] });
}, ASN_CACHE_BUILD_TIMEOUT_MS);
afterAll(() => geo.close());

describe('the issue 3 verification list', () => {
  it.each([
    ['147.46.10.10', 'KR', 'South Korea', 9488, 'Seoul National University', 'academic'],
    ['141.223.1.1', 'KR', 'South Korea', 3784, 'Pohang University of Science and Technology', 'academic'],
    ['134.75.30.1', 'KR', 'South Korea', 1237, 'KISTI', 'research'],
    ['8.8.8.8', 'US', 'United States', 15169, 'Google LLC', 'hosting'],
    ['2001:4860:4860::8888', 'US', 'United States', 15169, 'Google LLC', 'hosting'],
    ['2406:da14::1', 'JP', 'Japan', 16509, 'Amazon.com, Inc.', 'hosting'],
  ])('%s -> %s (%s) AS%s %s, %s', (ip, country, countryName, asn, asOrg, type) => {
    const attribution = geo.lookup(ip);
    expect(attribution).toMatchObject({ ip, special: null, country, countryName, asn, asOrg, institution: { name: asOrg, type } });
    expect(attribution.institution?.evidence.length).toBeGreaterThan(0);
    expect(attribution.sources.country).toMatch(/^geolite2-city-ipv[46]$/);
    expect(attribution.sources.asn).toBe('ip-location-db-asn');
  });

  it('Seoul National University is in Seoul, with coordinates', () => {
    expect(geo.lookup('147.46.10.10')).toMatchObject({ region: 'Seoul', city: 'Seoul', latitude: 37.5658, longitude: 126.978 });
  });

  it('evidence says why: the AS name, or the curated list', () => {
    expect(geo.lookup('147.46.10.10').institution?.evidence).toContain("AS name 'Seoul National University' contains 'University'");
    expect(geo.lookup('134.75.30.1').institution?.evidence[0]).toContain('AS1237 is in the curated research list (KREONET (KISTI))');
  });

  it('10.0.0.1 is private and gets no country', () => {
    expect(geo.lookup('10.0.0.1')).toMatchObject({ special: { kind: 'private', prefix: '10.0.0.0/8', rfc: 'RFC 1918' }, country: null, asn: null, institution: null });
  });

  it.each(['3ffe::1', '4000::1'])('%s is in no database: unknown, not an error', (ip) => {
    expect(geo.lookup(ip)).toMatchObject({ ip, special: null, country: null, asn: null, institution: null, sources: {} });
  });

  it('an address with a country but no ASN row has no institution', () => {
    expect(geo.lookup('2001:220::1')).toMatchObject({ country: 'KR', asn: null, institution: null });
  });

  it('invalid text comes back empty, never looked up', () => {
    expect(geo.lookup('not-an-ip')).toMatchObject({ ip: 'not-an-ip', country: null, sources: {} });
  });
});

describe('lookup never throws', () => {
  it('for arbitrary text, IPv4 and IPv6 addresses; ip is the canonical address or the text as given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (input) => {
        const attribution = geo.lookup(input);
        expect(typeof attribution.ip).toBe('string');
        if (attribution.special) expect(attribution.country).toBeNull();
        if (attribution.asn !== null) expect(Number.isInteger(attribution.asn)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('results are the caller\'s to change', () => {
  it('changing one result does not change the next lookup of the same address', () => {
    const first = geo.lookup('147.46.10.10');
    first.country = 'XX';
    first.sources = { ...first.sources, country: 'mine' };
    expect(geo.lookup('147.46.10.10')).toMatchObject({ country: 'KR', sources: { country: 'geolite2-city-ipv4' } });
  });

  it('shared nested objects are frozen, so an edit fails loudly instead of leaking', () => {
    const result = geo.lookup('147.46.10.10');
    expect(Object.isFrozen(result.sources)).toBe(true);
    expect(Object.isFrozen(result.institution)).toBe(true);
    expect(() => {
      result.sources.country = 'mine';
    }).toThrow(TypeError);
  });

  it('uncached and memoised lookups agree', () => {
    for (const ip of ['147.46.10.10', '8.8.8.8', '10.0.0.1', '2406:da14::1']) expect(geo.lookupUncached?.(ip)).toEqual(geo.lookup(ip));
  });

  it('resolve() in shared pieces gives the lookup: any address form, special, invalid', () => {
    for (const ip of ['147.46.10.10', '8.8.8.8', '10.0.0.1', '2406:da14::1', '2406:DA14:0::1', '::ffff:8.8.8.8', '[2001:4860:4860::8888]', '203.0.113.9', 'nonsense']) {
      const parts = geo.resolve(ip);
      expect(parts.valid).toBe(ip !== 'nonsense');
      if (parts.valid) expect(attributionOf(parts)).toEqual(geo.lookup(ip));
    }
    const parts = geo.resolveV4('147.46.10.10', ipv4ToInt('147.46.10.10'));
    expect(attributionOf(parts)).toEqual(geo.lookup('147.46.10.10'));
  });

  it('addresses of one city record share one mapping; rows of one AS and name share one network part', () => {
    // 8.8.8.8 and 8.8.4.4: Google's record and AS15169 rows; their institution is classified once.
    const a = geo.resolve('8.8.8.8');
    const [geoA, networkA] = [a.geo, a.network];
    const b = geo.resolve('8.8.8.9');
    expect(b.geo).toBe(geoA);
    expect(b.network).toBe(networkA);
    const c = geo.resolve('8.8.4.4');
    expect(c.network).toBe(networkA);
    expect(c.network.institution).toBe(networkA.institution);
    expect(geo.resolve('147.46.10.10').network).not.toBe(networkA);
  });
});

describe('data sources', () => {
  it('lists the embedded databases with build dates, licences and attributions', () => {
    const ids = geo.sources.map((source) => source.id);
    expect(ids).toEqual(['geolite2-city-ipv4', 'geolite2-city-ipv6', 'ip-location-db-asn', 'iana-special-ranges', 'netsleuth-institution-rules']);
    for (const source of geo.sources.slice(0, 3)) {
      expect(source.buildDate).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(source.licence.length).toBeGreaterThan(0);
      expect(source.attribution.length).toBeGreaterThan(0);
    }
    expect(geo.sources[2]?.licence).toBe('CC BY 4.0');
  });

  it('user databases come first and win; the embedded data fills what they lack', async () => {
    const withUser = await openGeo({ env: {}, geoDir: fixtureGeoDir(['GeoIP2-City-Test.mmdb']), cacheDir: TEST_CACHE_DIR, systemGeoDirs: [] });
    expect(withUser.sources[0]?.id).toBe('GeoIP2-City');
    // MaxMind's fictional record: 81.2.69.160 London (the real data says otherwise).
    expect(withUser.lookup('81.2.69.160')).toMatchObject({ city: 'London', sources: { city: 'GeoIP2-City' } });
    // Not in the test database: the embedded data answers.
    expect(withUser.lookup('147.46.10.10')).toMatchObject({ city: 'Seoul', asn: 9488, sources: { city: 'geolite2-city-ipv4' } });
    withUser.close();
  });
});

describe('ASN index cache', () => {
  it('the first open builds the index from the CSVs and caches it; the second reads the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'netsleuth-asn-cache-'));
    const first = await openGeo({ env: {}, cacheDir, prebuiltIndexDir: null, systemGeoDirs: [] });
    expect(first.asnIndexFrom).toBe('csv');
    const ASN_INDEX_CACHE_FILE = asnIndexCacheFileName(embeddedAsnSource().key);
    expect(existsSync(join(cacheDir, ASN_INDEX_CACHE_FILE))).toBe(true);
    const size = statSync(join(cacheDir, ASN_INDEX_CACHE_FILE)).size;
    const second = await openGeo({ env: {}, cacheDir, prebuiltIndexDir: null, systemGeoDirs: [] });
    expect(second.asnIndexFrom).toBe('cache');
    expect(second.lookup('141.223.1.1')).toEqual(first.lookup('141.223.1.1'));
    expect(statSync(join(cacheDir, ASN_INDEX_CACHE_FILE)).size).toBe(size);
    first.close();
    second.close();
  }, ASN_CACHE_BUILD_TIMEOUT_MS);
});

describe('the ASN index built at install', () => {
  it('is read when the cache dir has none, and the cache dir stays empty', async () => {
    const name = asnIndexCacheFileName(embeddedAsnSource().key);
    const built = [join(TEST_CACHE_DIR, name), join(PREBUILT_ASN_INDEX_DIR, name)].find((path) => existsSync(path));
    expect(built, 'ensureTestAsnCache left an index in one of them').toBeDefined();
    const prebuiltDir = mkdtempSync(join(tmpdir(), 'netsleuth-prebuilt-'));
    copyFileSync(built as string, join(prebuiltDir, name));
    writeFileSync(join(prebuiltDir, 'asn-index-0123456789abcdef.bin'), 'an index for data no longer installed');
    const cacheDir = mkdtempSync(join(tmpdir(), 'netsleuth-empty-cache-'));
    const opened = await openGeo({ env: {}, cacheDir, prebuiltIndexDir: prebuiltDir, systemGeoDirs: [] });
    expect(opened.asnIndexFrom).toBe('prebuilt');
    expect(opened.lookup('147.46.10.10')).toMatchObject({ asn: 9488, asOrg: 'Seoul National University' });
    expect(readdirSync(cacheDir)).toEqual([]);
    opened.close();
    // The install step keeps an index that is up to date and drops the others; it adds the institution facts.
    const factsName = institutionFactsFileName(institutionFactsKey(embeddedAsnSource().key));
    expect(await prebuildAsnIndex(prebuiltDir)).toEqual({ path: join(prebuiltDir, name), built: false, factsPath: join(prebuiltDir, factsName), factsBuilt: true });
    expect(readdirSync(prebuiltDir).sort()).toEqual([name, factsName, RULES_FINGERPRINT_FILE].sort());
    // Both up to date: nothing is rebuilt.
    expect(await prebuildAsnIndex(prebuiltDir)).toMatchObject({ built: false, factsBuilt: false });
  });
});
