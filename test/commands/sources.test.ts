import { beforeAll, describe, expect, it } from 'vitest';
import { ASN_CACHE_BUILD_TIMEOUT_MS, CORRUPT_MMDB, ensureTestAsnCache, fixtureGeoDir, TEST_CACHE_DIR } from '../enrich/geo/helpers.js';
import { runCli } from '../helpers/run-cli.js';

const ENV = { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR };

beforeAll(ensureTestAsnCache, ASN_CACHE_BUILD_TIMEOUT_MS);

describe('netsleuth sources', () => {
  it('lists the embedded databases with build dates and licences', async () => {
    const { code, stdout } = await runCli(['sources'], { env: ENV });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^netsleuth \d+\.\d+\.\d+\n/);
    expect(stdout).toMatch(/1\. GeoLite2-City IPv4 \(ip-location-db [\d.]+\) \[city\] id=geolite2-city-ipv4\n\s+path:\s+\S+geolite2-city-ipv4\.mmdb\n\s+built:\s+20\d\d-\d\d-\d\d\n\s+licence:\s+CC BY-SA 4\.0 \(GeoLite2 by MaxMind[^\n]*GeoLite2 EULA/);
    expect(stdout).toMatch(/3\. ASN \(ip-location-db [\d.]+: RouteViews \+ NRO \+ DB-IP\) \[asn\][\s\S]*?built:\s+20\d\d-\d\d-\d\d\n\s+licence:\s+CC BY 4\.0/);
    expect(stdout).toContain('IANA IPv4/IPv6 special-purpose address registries');
  });

  it('--version --verbose prints the same list', async () => {
    const { code, stdout } = await runCli(['--version', '--verbose'], { env: ENV });
    expect(code).toBe(0);
    expect(stdout).toContain('id=geolite2-city-ipv6');
  });

  it('json, with user databases first', async () => {
    const { code, stdout } = await runCli(['sources', '--format', 'json', '--geo-dir', fixtureGeoDir(['GeoLite2-ASN-Test.mmdb', 'GeoIP2-City-Test.mmdb'])], { env: ENV });
    expect(code).toBe(0);
    const { sources } = JSON.parse(stdout) as { sources: { id: string; kind: string; buildDate: string | null; licence: string }[] };
    expect(sources.map((source) => source.id)).toEqual(['GeoIP2-City', 'GeoLite2-ASN', 'geolite2-city-ipv4', 'geolite2-city-ipv6', 'ip-location-db-asn', 'iana-special-ranges', 'netsleuth-institution-rules']);
    expect(sources[1]).toMatchObject({ kind: 'asn', licence: 'GeoLite2 End User License Agreement (MaxMind)' });
    expect(sources[0]?.buildDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('NETSLEUTH_GEO_DIR with a corrupt database: exit 2 naming it', async () => {
    const { code, stderr } = await runCli(['sources'], { env: { ...ENV, NETSLEUTH_GEO_DIR: fixtureGeoDir([CORRUPT_MMDB]) } });
    expect(code).toBe(2);
    expect(stderr).toContain(CORRUPT_MMDB);
  });

  it.each([
    [['sources', 'extra'], "'sources' takes no arguments"],
    [['sources', '--format', 'yaml'], "--format 'yaml' is not one of text, json"],
  ])('%j -> exit 2', async (argv, message) => {
    const { code, stderr } = await runCli(argv, { env: ENV });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
