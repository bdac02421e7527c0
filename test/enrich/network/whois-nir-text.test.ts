// The samples below are SYNTHETIC: written for these tests in the layouts TWNIC, CNNIC and
// IDNIC answer in (TWNIC's indented Netname/Netblock/contact sections; RPSL for CNNIC and
// IDNIC), with invented names and addresses under the reserved .example domain.
import { describe, expect, it } from 'vitest';
import { lookupNetworks } from '../../../src/enrich/network/lookup-networks.js';
import { NATIONAL_REGISTRIES, nationalRegistryFor } from '../../../src/enrich/network/national-registries.js';
import { loadBootstrap } from '../../../src/enrich/network/rdap-bootstrap.js';
import { parseRpslNirWhois, parseTwnicWhois } from '../../../src/enrich/network/whois-nir-text.js';
import { startRdapReplay, startWhoisReplay } from '../../support/registry-servers.js';

const SYNTHETIC_TWNIC = [
  '[whois.twnic.net]',
  '',
  '   Example Telecom Data Communication Group',
  '   No.1, Example Rd., Taipei',
  '',
  '   Netname: EXAMPLE-TW-NET',
  '   Netblock: 114.45.0.0/16',
  '',
  '   Administrator contact:',
  '      Net Admin  network-adm@tw-isp.example',
  '      +886-2-5550-0100',
  '',
  '   Technical contact:',
  '      noc@tw-isp.example',
  '',
  '   Spam/Abuse contact:',
  '      abuse@tw-isp.example',
  '      +886-2-5550-0199',
  '',
].join('\r\n');

const SYNTHETIC_CNNIC = `% [ipwhois.cnnic.cn]
% Information related to '159.226.0.0 - 159.226.255.255'

inetnum:        159.226.0.0 - 159.226.255.255
netname:        EXAMPLE-CN-NET
descr:          Example Academy Network Center
country:        CN
admin-c:        EX1-CN
tech-c:         EX1-CN
mnt-by:         MAINT-CNNIC-AP
mnt-irt:        IRT-EXAMPLE-CN
status:         ALLOCATED PORTABLE
last-modified:  2020-05-06T07:08:09Z
source:         CNNIC

irt:            IRT-EXAMPLE-CN
e-mail:         noc@cn-net.example
abuse-mailbox:  abuse@cn-net.example
source:         CNNIC

person:         Example Contact
nic-hdl:        EX1-CN
phone:          +86-10-5550-0100
source:         CNNIC
`;

const SYNTHETIC_IDNIC = `% [whois.idnic.net]

inetnum:        103.18.32.0 - 103.18.33.255
netname:        EXAMPLE-ID
descr:          PT Example Data
country:        ID
abuse-c:        EXA1-ID
mnt-by:         MNT-APJII-ID
source:         IDNIC

role:           Example Abuse Team
nic-hdl:        EXA1-ID
abuse-mailbox:  abuse@id-net.example
phone:          +62-21-5550-0100
source:         IDNIC
`;

/** A synthetic APNIC RDAP answer for a network a national registry manages (its IRT as abuse role). */
function apnicAnswer(start: string, end: string, country: string, irt: string, maintainer: string): unknown {
  return {
    objectClassName: 'ip network',
    handle: `${start} - ${end}`,
    startAddress: start,
    endAddress: end,
    name: `${country}-EXAMPLE`,
    country,
    port43: 'whois.apnic.net',
    remarks: [{ title: 'remarks', description: [`Maintained by ${maintainer}`] }],
    entities: [{ handle: irt, roles: ['abuse'], vcardArray: ['vcard', [['fn', {}, 'text', irt], ['email', {}, 'text', 'hostmaster@registry.example']]] }],
  };
}

describe('TWNIC, CNNIC and IDNIC whois parsers (synthetic samples)', () => {
  it('TWNIC: Netblock, Netname, holder, the abuse section before the administrator', () => {
    expect(parseTwnicWhois(SYNTHETIC_TWNIC, '114.45.70.76')).toEqual({ range: '114.45.0.0/16', org: 'Example Telecom Data Communication Group', name: 'EXAMPLE-TW-NET', registered: null, emails: ['abuse@tw-isp.example'], phones: ['+886-2-5550-0199'] });
    const withoutAbuse = SYNTHETIC_TWNIC.split('   Spam/Abuse contact:')[0]!;
    expect(parseTwnicWhois(withoutAbuse)).toMatchObject({ emails: ['network-adm@tw-isp.example'], phones: ['+886-2-5550-0100'] });
    // A block that does not hold the address asked about is not an answer for it.
    expect(parseTwnicWhois(SYNTHETIC_TWNIC, '8.8.8.8')).toBeNull();
  });

  it('CNNIC and IDNIC: RPSL, the mnt-irt / abuse-c object as contact', () => {
    expect(parseRpslNirWhois(SYNTHETIC_CNNIC, '159.226.1.1')).toEqual({ range: '159.226.0.0 - 159.226.255.255', org: 'Example Academy Network Center', name: 'EXAMPLE-CN-NET', registered: null, emails: ['abuse@cn-net.example'], phones: [] });
    expect(parseRpslNirWhois(SYNTHETIC_IDNIC, '103.18.33.4')).toMatchObject({ range: '103.18.32.0 - 103.18.33.255', name: 'EXAMPLE-ID', emails: ['abuse@id-net.example'], phones: ['+62-21-5550-0100'] });
    expect(parseRpslNirWhois(SYNTHETIC_IDNIC, '10.0.0.1')).toBeNull();
  });

  it('empty, garbage and hostile answers', () => {
    for (const parse of [parseTwnicWhois, parseRpslNirWhois]) {
      expect(parse('')).toBeNull();
      expect(parse('\u0000\u0001garbage\n%%%%\n<html></html>')).toBeNull();
    }
    const evil = '\u001b[2J\u202eevil|`x`';
    const hostile = parseTwnicWhois(`${evil}\nNetname: ${evil}\nNetblock: 10.0.0.0/8 ${evil}\nAdministrator contact:\n ${evil}@x real@example.tw\n`);
    expect(hostile?.emails).toEqual(['real@example.tw']);
    expect(JSON.stringify(hostile)).not.toMatch(/\\u001b|\u202e/);
  });

  it('APNIC answers naming each registry select it; every registry has a server and a parser', () => {
    const cases: [string, string, string][] = [['TW', 'IRT-TWNIC-AP', 'TWNIC'], ['CN', 'IRT-CNNIC-CN', 'CNNIC'], ['ID', 'IRT-IDNIC-ID', 'IDNIC'], ['ID', 'MNT-APJII-ID', 'IDNIC']];
    for (const [country, marker, registry] of cases) {
      expect(nationalRegistryFor({ registry: 'APNIC', country }, apnicAnswer('1.0.0.0', '1.0.0.255', country, marker, marker))?.registry).toBe(registry);
    }
    expect(nationalRegistryFor({ registry: 'RIPE NCC', country: 'CN' }, apnicAnswer('1.0.0.0', '1.0.0.255', 'CN', 'IRT-CNNIC-CN', 'x'))).toBeNull();
    expect(nationalRegistryFor({ registry: 'APNIC', country: 'CN' }, apnicAnswer('1.0.0.0', '1.0.0.255', 'CN', 'IRT-EXAMPLE-CN', 'MAINT-EXAMPLE'))).toBeNull();
    for (const nir of NATIONAL_REGISTRIES) expect(nir.whoisHost).toMatch(/^[a-z0-9.-]+$/);
  });
});

describe('lookupNetworks asks TWNIC, CNNIC and IDNIC (loopback servers)', () => {
  const cases = [
    { ip: '114.45.70.76', answer: apnicAnswer('114.45.0.0', '114.45.255.255', 'TW', 'IRT-TWNIC-AP', 'MAINT-TW-TWNIC'), whois: SYNTHETIC_TWNIC, registry: 'TWNIC', email: 'abuse@tw-isp.example' },
    { ip: '159.226.1.1', answer: apnicAnswer('159.226.0.0', '159.226.255.255', 'CN', 'IRT-CNNIC-CN', 'MAINT-CNNIC-AP'), whois: SYNTHETIC_CNNIC, registry: 'CNNIC', email: 'abuse@cn-net.example' },
    { ip: '103.18.33.4', answer: apnicAnswer('103.18.32.0', '103.18.33.255', 'ID', 'IRT-IDNIC-ID', 'MNT-APJII-ID'), whois: SYNTHETIC_IDNIC, registry: 'IDNIC', email: 'abuse@id-net.example' },
  ];

  it.each(cases)('$registry: the national whois supplies the network\'s own contact', async ({ ip, answer, whois: text, registry, email }) => {
    const rdap = await startRdapReplay([answer]);
    const whois = await startWhoisReplay(() => text);
    try {
      const { networks } = await lookupNetworks([ip], { bootstrap: loadBootstrap(null), server: rdap.url, whoisServer: whois.server, cacheDir: null, ratePerSecond: 0, timeoutMs: 1000, retries: 0 });
      expect(whois.queries).toEqual([ip]);
      expect(networks.get(ip)).toMatchObject({ status: 'ok', source: 'rdap+whois', registry: 'APNIC', abuse: { emails: [email] }, nir: { registry, status: 'ok' } });
    } finally {
      await rdap.close();
      await whois.close();
    }
  });
});
