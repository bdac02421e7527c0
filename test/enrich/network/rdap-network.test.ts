import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRdapNetwork } from '../../../src/enrich/network/rdap-network.js';
import { nationalRegistryFor } from '../../../src/enrich/network/national-registries.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const recorded = JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/rdap.json'), 'utf8')) as Record<string, { response: unknown }>;
const answer = (ip: string): unknown => recorded[ip]!.response;

function parsed(ip: string) {
  const network = parseRdapNetwork(answer(ip), 'unknown');
  if ('error' in network) throw new Error(network.error);
  return network;
}

describe('parseRdapNetwork on the recorded answers of all five RIRs', () => {
  it('APNIC, Korea: range, dates, and KRNIC IRT as abuse role', () => {
    const network = parsed('210.107.73.73');
    expect(network).toMatchObject({
      handle: '210.107.0.0 - 210.107.127.255',
      name: 'BORANET-NET-210-107',
      range: '210.107.0.0/17',
      country: 'KR',
      registry: 'APNIC',
      lastChanged: '2015-08-26T01:25:35.000Z',
      org: 'DACOM Corp.',
    });
    expect(network.abuse).toEqual({ emails: ['hostmaster@nic.or.kr'], phones: [], handle: 'IRT-KRNIC-KR', name: 'IRT-KRNIC-KR' });
    expect(nationalRegistryFor(network, answer('210.107.73.73'))?.registry).toBe('KRNIC');
  });

  it('ARIN: zero-padded IPv4, registrant organisation, nested abuse POC', () => {
    const v4 = parsed('74.125.225.229');
    expect(v4).toMatchObject({ handle: 'NET-74-125-0-0-1', name: 'GOOGLE', range: '74.125.0.0/16', registry: 'ARIN', org: 'Google Inc.' });
    const v6 = parsed('2001:4860:4860::8888');
    expect(v6).toMatchObject({ range: '2001:4860::/32', registry: 'ARIN' });
    expect(v6.abuse?.handle).toBe('ZG39-ARIN');
    expect(v6.abuse?.emails).toContain('arin-contact@google.com');
  });

  it('RIPE: prefix lengths in start/end, abuse role entity', () => {
    const network = parsed('62.239.237.1');
    expect(network).toMatchObject({ range: '62.239.237.0/24', registry: 'RIPE NCC', country: 'GB', name: 'BT-CORPORATE' });
    expect(network.abuse?.handle).toBe('BTCR3-RIPE');
    expect(parsed('2a00:2381:ffff::1').range).toBe('2a00:2381:ffff::/64');
  });

  it('LACNIC single-address network and AFRINIC non-CIDR range without roles', () => {
    const lacnic = parsed('200.57.141.161');
    expect(lacnic).toMatchObject({ range: '200.57.141.161/32', registry: 'LACNIC', country: 'MX' });
    expect(lacnic.abuse?.handle).toBe('RYT2');
    const afrinic = parsed('196.11.240.215');
    expect(afrinic).toMatchObject({ registry: 'AFRINIC', range: '196.11.239.0/24 196.11.240.0/22 196.11.244.0/23 196.11.246.0/24' });
    expect(afrinic.abuse).toBeNull();
  });

  it('JPNIC-managed APNIC network points at JPNIC', () => {
    const network = parsed('2001:240:10c:1::ca20:9d1d');
    expect(network.registry).toBe('APNIC');
    expect(nationalRegistryFor(network, answer('2001:240:10c:1::ca20:9d1d'))?.registry).toBe('JPNIC');
    expect(nationalRegistryFor(parsed('62.239.237.1'), answer('62.239.237.1'))).toBeNull();
  });

  it('empty, garbage and non-network answers are errors, not exceptions', () => {
    for (const bad of [null, 42, 'text', [], {}, { objectClassName: 'entity' }]) expect(parseRdapNetwork(bad, 'APNIC')).toHaveProperty('error');
  });

  it('hostile strings in every field come out sanitised and bounded', () => {
    const evil = '\u001b[31mred\u001b[0m\u202eevil|`<script>`\nnext' + 'x'.repeat(5000);
    const hostile = {
      objectClassName: 'ip network',
      handle: evil,
      name: evil,
      country: evil,
      startAddress: '10.0.0.0',
      endAddress: '10.0.0.255',
      port43: evil,
      events: [{ eventAction: 'registration', eventDate: evil }],
      remarks: [{ title: 'description', description: [evil] }],
      entities: [{ handle: evil, roles: ['abuse'], vcardArray: ['vcard', [['fn', {}, 'text', evil], ['email', {}, 'text', evil], ['email', {}, 'text', 'ok@example.net'], ['tel', {}, 'text', evil]]] }],
    };
    const network = parseRdapNetwork(hostile, 'APNIC');
    if ('error' in network) throw new Error(network.error);
    const { ipRange: _range, ...fields } = network;
    const strings = JSON.stringify(fields);
    expect(strings).not.toMatch(/\\u001b|\u202e|\\n/);
    expect(network.handle!.length).toBeLessThanOrEqual(100);
    expect(network.abuse?.emails).toEqual(['ok@example.net']);
    expect(network.registered).toBeNull();
  });
});
