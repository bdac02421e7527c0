import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBootstrap, loadBootstrap, parseBootstrapFile, registryFromHost } from '../../../src/enrich/network/rdap-bootstrap.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const file = (path: string) => parseBootstrapFile(readFileSync(join(FIXTURES, path), 'utf8'));

describe('RDAP bootstrap', () => {
  it('the bundled copy picks each RIR by longest prefix, https first', () => {
    const bootstrap = loadBootstrap(null);
    expect(bootstrap.publication).toEqual({ 4: '2019-06-07T19:00:02Z', 6: '2024-11-01T22:00:01Z' });
    expect(bootstrap.baseUrlFor('210.107.73.73')).toBe('https://rdap.apnic.net/');
    expect(bootstrap.baseUrlFor('62.239.237.1')).toBe('https://rdap.db.ripe.net/');
    expect(bootstrap.baseUrlFor('196.11.240.215')).toBe('https://rdap.afrinic.net/rdap/');
    expect(bootstrap.baseUrlFor('200.57.141.161')).toBe('https://rdap.lacnic.net/rdap/');
    expect(bootstrap.baseUrlFor('74.125.225.229')).toBe('https://rdap.arin.net/registry/');
    expect(bootstrap.baseUrlFor('2001:240:10c:1::ca20:9d1d')).toBe('https://rdap.apnic.net/');
    expect(bootstrap.baseUrlFor('not an ip')).toBeNull();
  });

  it('answers the same from the 2015 OpenRDAP snapshot for long-allocated /8s', () => {
    const old = compileBootstrap({ 4: file('real/openrdap/ipv4.json'), 6: file('real/arin-rdap-bootstrap/v6_bootstrap.json') }, { 4: 'a', 6: 'b' });
    expect(old.baseUrlFor('210.107.73.73')).toBe('https://rdap.apnic.net/');
    expect(old.baseUrlFor('196.11.240.215')).toBe('https://rdap.afrinic.net/rdap/');
  });

  it('refuses files that are not bootstrap registries', () => {
    expect(() => parseBootstrapFile('{}')).toThrow(/not an RDAP bootstrap/);
    expect(() => parseBootstrapFile('garbage')).toThrow();
    expect(registryFromHost('whois.apnic.net')).toBe('APNIC');
    expect(registryFromHost('rdap.db.ripe.net')).toBe('RIPE NCC');
    expect(registryFromHost('127.0.0.1')).toBeNull();
  });
});
