import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseIpAddress } from '../../src/net/ip.js';
import { ASN_CACHE_BUILD_TIMEOUT_MS, CORRUPT_MMDB, ensureTestAsnCache, fixtureGeoDir, TEST_CACHE_DIR } from '../enrich/geo/helpers.js';
import { FIXTURES, runBin, runCli } from '../helpers/run-cli.js';

const ENV = { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR };

beforeAll(ensureTestAsnCache, ASN_CACHE_BUILD_TIMEOUT_MS);
const lookup = (argv: string[], stdin?: string) => runCli(['lookup', ...argv], { env: ENV, ...(stdin === undefined ? {} : { stdin }) });

// Issue 3, item 7: exactly these fields, `asn` an integer.
const JSON_FIELDS = ['ip', 'special', 'country', 'countryName', 'region', 'city', 'latitude', 'longitude', 'asn', 'asOrg', 'institution', 'rdns', 'sources'].sort();

describe('netsleuth lookup --format json', () => {
  it('answers the verification list in input order with exactly the documented fields', async () => {
    const ips = ['8.8.8.8', '147.46.10.10', '10.0.0.1', '141.223.1.1', '2001:4860:4860::8888', '134.75.30.1'];
    const { code, stdout, stderr } = await lookup(['--no-dns', '--format', 'json', ...ips]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Record<string, unknown>[];
    expect(results.map((result) => result.ip)).toEqual(ips);
    for (const result of results) expect(Object.keys(result).sort()).toEqual(JSON_FIELDS);
    expect(results.map((result) => [result.country, result.asn, result.asOrg, (result.institution as { type: string } | null)?.type ?? null])).toEqual([
      ['US', 15169, 'Google LLC', 'hosting'],
      ['KR', 9488, 'Seoul National University', 'academic'],
      [null, null, null, null],
      ['KR', 3784, 'Pohang University of Science and Technology', 'academic'],
      ['US', 15169, 'Google LLC', 'hosting'],
      ['KR', 1237, 'KISTI', 'research'],
    ]);
    expect(results[2]?.special).toEqual({ kind: 'private', prefix: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918' });
    for (const result of results) expect(result.rdns).toEqual({ status: 'skipped', names: [], ttl: null, server: null });
  });

  it('reads a list on stdin (lines, spaces, commas, # comments), one result per distinct address', async () => {
    const { code, stdout } = await lookup(['--no-dns', '-f', 'json', '-'], '# suspects\n147.46.10.10, 8.8.8.8\n\n147.46.10.10 ::ffff:8.8.8.8\r\n');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { ip: string }[]).map((result) => result.ip)).toEqual(['147.46.10.10', '8.8.8.8']);
  });

  it('reports invalid items as invalid (not looked up) and exits 1', async () => {
    const { code, stdout, stderr } = await lookup(['--no-dns', '-f', 'json', '147.46.10.10', 'not-an-ip', '999.1.1.1']);
    expect(code).toBe(1);
    expect(stderr).toContain('2 items are not an IP address');
    const results = JSON.parse(stdout) as Record<string, unknown>[];
    expect(results[1]).toMatchObject({ ip: 'not-an-ip', error: 'not an IP address', country: null, asn: null, sources: {} });
    expect(results[2]).toMatchObject({ ip: '999.1.1.1', error: 'not an IP address' });
  });

  it('an address in no database is unknown, exit 0', async () => {
    const { code, stdout } = await lookup(['--no-dns', '-f', 'json', '3ffe::1']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ ip: '3ffe::1', country: null, asn: null, institution: null, sources: {} })]);
  });
});

describe('netsleuth lookup --extract', () => {
  it('pulls every address out of a real netstat capture (jc ubuntu-18.04 netstat -aeep), like grepip', async () => {
    const capture = readFileSync(join(FIXTURES, 'real/jc/ubuntu-18.04/netstat-sudo-aeep.out'), 'utf8');
    const rows = JSON.parse(readFileSync(join(FIXTURES, 'real/jc/ubuntu-18.04/netstat-sudo-aeep.json'), 'utf8')) as Record<string, unknown>[];
    const expected = new Set<string>();
    for (const row of rows) {
      for (const field of ['local_address', 'foreign_address']) {
        const parsed = typeof row[field] === 'string' ? parseIpAddress(row[field] as string) : null;
        if (parsed) expected.add(parsed.text);
      }
    }
    expect(expected.size).toBeGreaterThan(0);
    const { code, stdout } = await lookup(['--no-dns', '--extract', '-f', 'json'], capture);
    expect(code).toBe(0);
    const found = (JSON.parse(stdout) as { ip: string }[]).map((result) => result.ip);
    expect(new Set(found)).toEqual(expected);
  });

  it('finds nothing in text without addresses: exit 2 with a message', async () => {
    const { code, stderr } = await lookup(['--no-dns', '--extract'], 'no addresses here, just 12:34:56 and 00:1a:2b:3c:4d:5e\n');
    expect(code).toBe(2);
    expect(stderr).toContain('no IP addresses found in the input');
  });
});

describe('netsleuth lookup --format csv and table', () => {
  it('csv: one header, one row per address, formula-looking text neutralised', async () => {
    const { stdout } = await lookup(['--no-dns', '-f', 'csv', '147.46.10.10', '=HYPERLINK("x")']);
    const parsed = Papa.parse<Record<string, string>>(stdout.trim(), { header: true });
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[0]).toMatchObject({ ip: '147.46.10.10', country: 'KR', asn: '9488', asOrg: 'Seoul National University', institutionType: 'academic', rdnsStatus: 'skipped' });
    expect(parsed.data[1]?.ip).toBe(`'=HYPERLINK("x")`);
  });

  it('table: aligned columns, special and invalid rows spelled out, control characters removed', async () => {
    const { stdout } = await lookup(['--no-dns', '-f', 'table', '147.46.10.10', '192.168.1.1', 'bad\u001b[31mred']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IP\s+COUNTRY\s+CITY\s+ASN\s+AS ORGANISATION\s+INSTITUTION\s+REVERSE DNS$/);
    expect(lines[1]).toMatch(/^147\.46\.10\.10\s+KR\s+Seoul\s+AS9488\s+Seoul National University\s+academic\s+skipped$/);
    expect(lines[2]).toContain('special: private (192.168.0.0/16)');
    expect(lines[3]).toMatch(/^badred\s+invalid/);
    expect(stdout).not.toContain('\u001b');
  });
});

describe('netsleuth lookup with user databases and bad input', () => {
  it('--geo-dir databases take precedence', async () => {
    const { stdout } = await lookup(['--no-dns', '-f', 'json', '--geo-dir', fixtureGeoDir(['GeoIP2-City-Test.mmdb']), '81.2.69.160']);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ city: 'London', sources: expect.objectContaining({ city: 'GeoIP2-City' }) })]);
  });

  it('a corrupt database: exit 2, the file named, no stack trace', async () => {
    const { code, stderr, stdout } = await lookup(['--no-dns', '--geo-dir', fixtureGeoDir([CORRUPT_MMDB]), '8.8.8.8']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${CORRUPT_MMDB}: not a usable MaxMind database`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--format', 'xml', '8.8.8.8'], "--format 'xml' is not one of json, csv, table"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['8.8.8.8', '-'], "'-' (stdin) cannot be mixed"],
    [['--dns-timeout', 'soon', '8.8.8.8'], "--dns-timeout 'soon'"],
  ])('usage error %j -> exit 2', async (argv, message) => {
    const { code, stderr } = await lookup(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('empty stdin: exit 2, says what it wanted', async () => {
    const { code, stderr } = await lookup(['--no-dns'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('no addresses given');
  });
});

describe('netsleuth lookup with reverse DNS', () => {
  const dnsServer = inject('dnsServer');
  it.skipIf(!dnsServer)('asks the test DNS server and reports the PTR names', async () => {
    const { code, stdout } = await lookup(['-f', 'json', '--dns-server', dnsServer as string, '203.0.113.1', '203.0.113.4']);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { ip: string; special: { kind: string } | null; rdns: { status: string; names: string[]; ttl: number | null; server: string | null } }[];
    expect(results[0]).toMatchObject({ ip: '203.0.113.1', special: { kind: 'documentation' }, rdns: { status: 'ok', names: ['host1.example.test'], server: dnsServer } });
    expect(results[0]?.rdns.ttl).toBeGreaterThan(0);
    expect(results[1]?.rdns).toMatchObject({ status: 'nxdomain', names: [], server: dnsServer });
  });
});

it('the compiled binary answers a lookup', () => {
  const { code, stdout } = runBin(['lookup', '--no-dns', '-f', 'json', '141.223.1.1'], { env: ENV });
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ ip: '141.223.1.1', country: 'KR', asn: 3784 })]);
});
