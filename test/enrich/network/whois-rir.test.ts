import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRirWhois, parseWhoisRange, whoisReferral } from '../../../src/enrich/network/whois-rir.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const recorded = JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois/whois.json'), 'utf8')) as Record<string, { response: string }>;
const read = (ip: string): string => recorded[ip]!.response;
const summary = (ip: string): Record<string, unknown> => {
  const parsed = parseRirWhois(read(ip), ip);
  if (!parsed) return { parsed: null };
  const { text, ipRange, ...rest } = parsed;
  return { ...rest, hasRange: ipRange !== null, textLength: text.length > 0 };
};

describe('parseRirWhois on the recorded port-43 answers of the five RIRs', () => {
  it('RIPE: inetnum section, the abuse comment for that range, dates', () => {
    expect(summary('62.239.237.1')).toMatchObject({ range: '62.239.237.0 - 62.239.237.255', handle: '62.239.237.0 - 62.239.237.255', name: 'BT-CORPORATE', country: 'GB', org: 'UDC', registered: '2008-08-14T14:54:30.000Z', lastChanged: '2008-08-14T14:54:30.000Z', emails: ['protect@bt.com'], hasRange: true });
    expect(summary('2a00:2381:ffff::1')).toMatchObject({ range: '2a00:2381:ffff::/64', name: 'BT-WORLD-IPVSIX-LAUNCH', emails: ['protect@bt.com'] });
  });

  it('ARIN: NetRange block, NetHandle, OrgAbuse POC', () => {
    expect(summary('2001:4860:4860::8888')).toMatchObject({ handle: 'NET6-2001-4860-1', name: 'GOOGLE-IPV6', org: 'Google Inc.', country: 'US', registered: '2005-03-14T00:00:00.000Z', lastChanged: '2012-02-24T00:00:00.000Z', emails: ['arin-contact@google.com'], phones: ['+1-650-253-0000'], abuseHandle: 'ZG39-ARIN' });
    expect(summary('74.125.225.229')).toMatchObject({ name: expect.any(String), emails: expect.arrayContaining([expect.stringContaining('@')]) });
  });

  it("APNIC: the most specific section (not KRNIC's mirror below it), the IRT as abuse contact", () => {
    expect(summary('210.107.73.73')).toMatchObject({ range: '210.107.0.0 - 210.107.127.255', name: 'BORANET-NET-210-107', country: 'KR', org: 'DACOM Corp.', emails: ['hostmaster@nic.or.kr'], abuseHandle: 'IRT-KRNIC-KR', lastChanged: '2002-10-25T00:00:00.000Z' });
  });

  it('AFRINIC: abuse address from a remark, organisation name', () => {
    expect(summary('196.11.240.215')).toMatchObject({ range: '196.11.239.0 - 196.11.246.255', name: 'NET-196-11-239-0', org: 'MTN SA', country: 'ZA', emails: ['abuse@mtnbusiness.co.za'] });
  });

  it('LACNIC (CRLF): abuse-c handle -> that person\'s e-mail and phone', () => {
    expect(summary('2801:10:c000::')).toMatchObject({ range: '2801:10:c000::/48', org: 'Universidad Catolica de Oriente', country: 'CO', registered: '2013-10-29T00:00:00.000Z', emails: ['sistemas.red@uco.edu.co'], abuseHandle: 'JDM7', phones: ['+57 4 5699090 [312]'] });
  });

  it('every recorded answer names a network containing its address, and its registry', () => {
    for (const ip of Object.keys(recorded)) expect(summary(ip), ip).toMatchObject({ hasRange: true, registry: expect.stringMatching(/^(ARIN|RIPE NCC|APNIC|LACNIC|AFRINIC)$/) });
    expect(summary('2001:240:10c:1::ca20:9d1d').registry).toBe('APNIC');
    expect(summary('200.57.141.161').registry).toBe('LACNIC');
  });

  it('LACNIC abbreviated IPv4 prefixes', () => {
    expect(parseWhoisRange('200.57.128/19')).toEqual({ version: 4, start: (200n << 24n) + (57n << 16n) + (128n << 8n), end: (200n << 24n) + (57n << 16n) + (159n << 8n) + 255n });
    expect(parseWhoisRange('10/8')?.end).toBe((10n << 24n) + (1n << 24n) - 1n);
  });

  it('IANA referral', () => {
    expect(whoisReferral('% IANA WHOIS server\n\nrefer:        whois.apnic.net\n\ninetnum:      210.0.0.0 - 210.255.255.255\n')).toBe('whois.apnic.net');
    expect(whoisReferral(read('62.239.237.1'))).toBeNull();
  });

  it('empty, garbage and hostile answers', () => {
    expect(parseRirWhois('')).toBeNull();
    expect(parseRirWhois('\u0000\u0001garbage\n%%%%\n<html></html>')).toBeNull();
    const evil = '\u001b]8;;http://x\u0007\u202e<b>|`x`';
    const parsed = parseRirWhois(`inetnum: 10.0.0.0 - 10.0.0.255\nnetname: ${evil}\ncountry: ${evil}\ndescr: ${evil}\nabuse-mailbox: ${evil}@x, real@example.net\nchanged: ${evil}\n`, '10.0.0.1');
    expect(parsed?.emails).toEqual(['real@example.net']);
    expect(JSON.stringify({ ...parsed, ipRange: null, text: '' })).not.toMatch(/\\u001b|\\u0007|\u202e/);
  });
});
