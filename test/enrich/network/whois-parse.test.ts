import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJpnicWhois, parseKrnicWhois } from '../../../src/enrich/network/whois-parse.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const read = (file: string, key: string): string => (JSON.parse(readFileSync(join(FIXTURES, 'real/ipwhois', file), 'utf8')) as Record<string, { response: string }>)[key]!.response;

describe('whois parsers', () => {
  it('KRNIC (KISA): the most specific assignment and its own contact', () => {
    const contact = parseKrnicWhois(read('krnic.json', '115.1.2.3'));
    expect(contact).toEqual({ range: '115.1.2.0 - 115.1.2.63', org: 'KT', name: 'CUSTOMER', registered: '2015-03-17', emails: ['kornet_ip@kt.com'], phones: ['+82-2-500-6630'] });
  });

  it('JPNIC: network number, name and organisation', () => {
    const contact = parseJpnicWhois(read('jpnic.json', '133.1.2.5'));
    expect(contact).toMatchObject({ range: '133.1.0.0/16', name: 'OSAKAU-NET', org: 'Osaka University', emails: [] });
  });

  it('empty and garbage answers give null', () => {
    for (const parse of [parseKrnicWhois, parseJpnicWhois]) {
      expect(parse('')).toBeNull();
      expect(parse('\u0000\u0001garbage\n%%%%\n<html></html>')).toBeNull();
    }
  });

  it('hostile values are sanitised; only well-formed e-mails are kept', () => {
    const text = '# ENGLISH\n[ Network Information ]\nIPv4 Address : 10.0.0.0 - 10.0.0.255\nOrganization Name : \u001b[2Jevil\u202e|name\nE-Mail : <script>@x, real@example.kr\n';
    const contact = parseKrnicWhois(text);
    expect(contact?.org).toBe('evil|name');
    expect(contact?.emails).toEqual(['real@example.kr']);
  });
});
