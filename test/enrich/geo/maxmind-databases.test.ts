// MaxMind's own test databases (../shared/fixtures/mmdb, values from its SOURCE.md),
// opened as user databases with the embedded data switched off, so every null is real.
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { openGeo, type GeoService } from '../../../src/enrich/geo/index.js';
import { CORRUPT_MMDB, MMDB_FIXTURES, USABLE_MMDBS, fixtureGeoDir, folderWith } from './helpers.js';

const open = (geoDir: string, systemGeoDirs: string[] = []) => openGeo({ geoDir, env: {}, embedded: false, systemGeoDirs, cacheDir: null });

describe('City databases (GeoIP2-City-Test, nested schema)', () => {
  let geo: GeoService;
  beforeAll(async () => {
    geo = await open(fixtureGeoDir(['GeoIP2-City-Test.mmdb']));
  });
  afterAll(() => geo.close());

  it.each([
    ['81.2.69.160', 'GB', 'US', 'London', 'England', 51.5142, -0.0931],
    ['81.2.69.192', 'GB', 'US', 'London', 'England', 51.5142, -0.0931],
    ['2.125.160.218', 'GB', 'FR', 'Boxford', 'England', 51.75, -1.25],
    ['216.160.83.56', 'US', 'GB', 'Milton', 'Washington', 47.2513, -122.3149],
    ['89.160.20.112', 'SE', 'DE', 'Linköping', 'Östergötland County', 58.4167, 15.6167],
    ['175.16.199.0', 'CN', null, 'Changchun', 'Jilin Sheng', 43.88, 125.3228],
    ['67.43.156.1', 'BT', 'RO', null, null, 27.5, 90.5],
    ['202.196.224.1', 'PH', null, null, null, 13, 122],
    ['2001:218::1', 'JP', null, null, null, 35.68536, 139.75309],
    ['2a02:d300::1', 'UA', null, null, null, 49, 32],
    ['149.101.100.1', 'US', 'GB', null, null, 37.751, -97.822],
  ])('%s -> %s (registered %s) %s', (ip, country, registered, city, region, latitude, longitude) => {
    const attribution = geo.lookup(ip);
    expect(attribution.country).toBe(country);
    expect(attribution.registeredCountry).toBe(registered);
    expect(attribution.city).toBe(city);
    expect(attribution.region).toBe(region);
    expect(attribution.latitude).toBe(latitude);
    expect(attribution.longitude).toBe(longitude);
    expect(attribution.sources.country).toBe('GeoIP2-City');
  });

  it('reads the IPv4 tree through ::ffff:a.b.c.d too', () => {
    expect(geo.lookup('::ffff:81.2.69.160')).toMatchObject({ ip: '81.2.69.160', country: 'GB', city: 'London' });
  });

  it.each(['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888'])('an address not in the database (%s) is unknown, not an error', (ip) => {
    expect(geo.lookup(ip)).toMatchObject({ ip, special: null, country: null, city: null, asn: null, institution: null, sources: {} });
  });

  it('never looks up special addresses', () => {
    expect(geo.lookup('10.0.0.1')).toMatchObject({ special: { kind: 'private' }, country: null, sources: { special: 'iana-special-ranges' } });
  });

  it('lists the database with its build date and licence', () => {
    const source = geo.sources.find((item) => item.id === 'GeoIP2-City');
    expect(source).toMatchObject({ kind: 'city', path: expect.stringContaining('GeoIP2-City-Test.mmdb'), licence: expect.stringContaining('MaxMind') });
    expect(source?.buildDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('GeoLite2-City, Country, ASN and ISP together', () => {
  let geo: GeoService;
  beforeAll(async () => {
    geo = await open(fixtureGeoDir(['GeoLite2-City-Test.mmdb', 'GeoLite2-Country-Test.mmdb', 'GeoLite2-ASN-Test.mmdb', 'GeoIP2-ISP-Test.mmdb']));
  });
  afterAll(() => geo.close());

  it.each([
    // ip, asn, asOrg, isp, organization (SOURCE.md "ASN and ISP"); the ISP DB sorts before GeoLite2.
    ['1.128.0.1', 1221, 'Telstra Pty Ltd', 'Telstra Internet', 'Telstra Internet'],
    ['12.81.92.1', 7018, 'AT&T Services', 'AT&T Services', 'AT&T Services'],
    ['89.160.20.112', 29518, 'Bredband2 AB', 'Bredband2 AB', 'Bevtec'],
    ['149.101.100.1', 6167, 'CELLCO-PART', 'Verizon Wireless', 'Verizon Wireless'],
    ['216.160.83.56', 209, null, 'Century Link', 'Lariat Software'],
    ['67.43.156.1', 35908, null, 'Loud Packet', 'zudoarichikito_'],
    ['2600:6000::1', 237, 'Merit Network Inc.', null, null],
    ['81.2.69.160', null, null, 'Andrews & Arnold Ltd', 'STONEHOUSE office network'],
    ['8.8.8.8', null, null, 'Level 3 Communications', 'Level 3 Communications'],
  ])('%s -> AS%s %s / %s / %s', (ip, asn, asOrg, isp, organization) => {
    const attribution = geo.lookup(ip);
    expect(attribution.asn).toBe(asn);
    expect(attribution.asOrg).toBe(asOrg);
    expect(attribution.isp).toBe(isp);
    expect(attribution.organization).toBe(organization);
  });

  it('names the source of each field', () => {
    const attribution = geo.lookup('89.160.20.112');
    expect(attribution.sources).toMatchObject({ country: 'GeoLite2-City', city: 'GeoLite2-City', asn: 'GeoIP2-ISP', isp: 'GeoIP2-ISP', institution: 'netsleuth-institution-rules' });
  });

  it('classifies the institution from the AS data (curated Merit Network -> research; CELLCO -> mobile)', () => {
    expect(geo.lookup('2600:6000::1').institution?.type).toBe('research');
    expect(geo.lookup('149.101.100.1').institution?.type).toBe('mobile');
  });

  it('the Country DB answers where the City DB has no record (175.16.199.0 is only in City)', () => {
    expect(geo.lookup('175.16.199.0')).toMatchObject({ country: 'CN', city: 'Changchun' });
  });
});

describe('GeoIP2-Enterprise', () => {
  it('89.160.20.112: country, city, ASN, ISP, organisation and user_type from traits', async () => {
    const geo = await open(fixtureGeoDir(['GeoIP2-Enterprise-Test.mmdb']));
    expect(geo.lookup('89.160.20.112')).toMatchObject({
      country: 'SE',
      city: 'Linköping',
      asn: 29518,
      asOrg: 'Bredband2 AB',
      isp: 'Bredband2 AB',
      organization: 'Bevtec',
      institution: { type: 'government', evidence: expect.arrayContaining(["GeoIP2 user type is 'government'"]) },
    });
    geo.close();
  });
});

describe('databases without geo fields are ignored with a note', () => {
  it('Anonymous-IP, Connection-Type and Domain', async () => {
    const geo = await open(fixtureGeoDir(['GeoIP2-Anonymous-IP-Test.mmdb', 'GeoIP2-Connection-Type-Test.mmdb', 'GeoIP2-Domain-Test.mmdb', 'GeoLite2-Country-Test.mmdb']));
    expect(geo.sources.map((source) => source.id)).toEqual(['GeoLite2-Country', 'iana-special-ranges', 'netsleuth-institution-rules']);
    expect(geo.warnings).toHaveLength(3);
    expect(geo.warnings.join('\n')).toContain("database type 'GeoIP2-Anonymous-IP' has no geo, ASN or ISP fields");
    geo.close();
  });
});

describe('bad user databases', () => {
  async function openError(promise: Promise<unknown>): Promise<UserError> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return error as UserError;
  }

  it('a corrupt .mmdb given explicitly is a UserError naming the file and what was expected', async () => {
    const error = await openError(open(fixtureGeoDir(['GeoIP2-City-Test.mmdb', CORRUPT_MMDB])));
    expect(error.message).toContain(CORRUPT_MMDB);
    expect(error.message).toContain('corrupt node count');
    expect(error.message).toContain('expected a MaxMind DB file (.mmdb)');
  });

  it('the same corrupt file as --geo-dir FILE', async () => {
    const error = await openError(open(join(MMDB_FIXTURES, CORRUPT_MMDB)));
    expect(error.message).toContain(CORRUPT_MMDB);
  });

  it.each([
    ['an empty file', ''],
    ['a text file', 'this is not a database\n'],
    ['a truncated database', readFileSync(join(MMDB_FIXTURES, 'GeoLite2-City-Test.mmdb')).subarray(0, 5000)],
    ['a database whose metadata is cut off', readFileSync(join(MMDB_FIXTURES, 'GeoLite2-City-Test.mmdb')).subarray(0, 21000)],
  ])('%s named .mmdb', async (_label, content) => {
    const error = await openError(open(folderWith({ 'GeoLite2-City.mmdb': content })));
    expect(error.message).toMatch(/GeoLite2-City\.mmdb: not a usable MaxMind database: /);
  });

  it('a missing directory', async () => {
    const error = await openError(open('/nonexistent/netsleuth-geo'));
    expect(error.message).toBe("geo database directory '/nonexistent/netsleuth-geo' does not exist (expected a MaxMind DB file (.mmdb) such as GeoLite2-City.mmdb, GeoLite2-ASN.mmdb or GeoIP2-ISP.mmdb)");
  });

  it('a directory without .mmdb files', async () => {
    const error = await openError(open(folderWith({ 'README.txt': 'x' })));
    expect(error.message).toContain('contains no .mmdb files');
  });

  it('an unreadable database (permission denied) when not root', async () => {
    if (process.getuid?.() === 0) return; // root reads everything: nothing to test here
    const dir = folderWith({ 'GeoLite2-City.mmdb': readFileSync(join(MMDB_FIXTURES, 'GeoLite2-City-Test.mmdb')) });
    chmodSync(join(dir, 'GeoLite2-City.mmdb'), 0o000);
    const error = await openError(open(dir));
    expect(error.message).toContain('permission denied');
  });

  it('a corrupt database in a folder we only probe (geoipupdate folders) is skipped with a warning', async () => {
    const probed = fixtureGeoDir([CORRUPT_MMDB, 'GeoLite2-ASN-Test.mmdb']);
    const geo = await openGeo({ geoDir: null, env: {}, embedded: false, systemGeoDirs: [probed, '/nonexistent/GeoIP'], cacheDir: null });
    expect(geo.sources.map((source) => source.id)).toContain('GeoLite2-ASN');
    expect(geo.warnings.join('\n')).toContain(`skipped ${join(probed, CORRUPT_MMDB)}: not a usable MaxMind database`);
    expect(geo.lookup('1.128.0.1').asn).toBe(1221);
    geo.close();
  });

  it('NETSLEUTH_GEO_DIR counts as explicit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsleuth-geo-empty-'));
    await openError(openGeo({ env: { NETSLEUTH_GEO_DIR: dir }, embedded: false, systemGeoDirs: [], cacheDir: null }));
  });
});

it('every usable fixture database opens together, and lookups of anything never throw', async () => {
  const geo = await open(fixtureGeoDir(USABLE_MMDBS));
  for (const input of ['', 'garbage', '999.1.1.1', '::ffff:1.2.3.4', 'fe80::1%eth0', '[2001:218::1]', '1.2.3.4\u0000']) expect(() => geo.lookup(input)).not.toThrow();
  expect(geo.lookup('garbage')).toMatchObject({ ip: 'garbage', country: null, sources: {} });
  geo.close();
});
