import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { classifyInstitution, defaultInstitutionRules, type InstitutionRules } from '../../../src/enrich/geo/institutions.js';

const classify = (asOrg: string | null, asn: number | null = null, ptrNames: string[] = []) => classifyInstitution({ asn, asOrg, ptrNames });

describe('classifyInstitution from the AS organisation name', () => {
  it.each([
    // Names as the embedded ASN data spells them.
    ['Seoul National University', 'academic', 'University'],
    ['Pohang University of Science and Technology', 'academic', 'University'],
    ['Korea Advanced Institute of Science and Technology', 'academic', 'Institute of Science and Technology'],
    ['Universidade de Sao Paulo', 'academic', 'Universidade'],
    ['Universidad Nacional Autonoma de Mexico', 'academic', 'Universidad'],
    ['Technische Universität München', 'academic', 'Universität'],
    ['Université de Strasbourg', 'academic', 'Université'],
    ['Massachusetts Institute of Technology', 'academic', 'Institute of Technology'],
    ['東京大学', 'academic', '大学'],
    ['서울대학교', 'academic', '대학교'],
    ['Helsingin yliopisto', 'academic', 'yliopisto'],
    ['Chinese Academy of Sciences', 'research', 'Academy of Sciences'],
    ['Korea Institute of Science and Technology Information research network', 'research', 'Science and Technology Information'],
    ['Energy Research Laboratory', 'research', 'Research'],
    ['Ministry of Education', 'government', 'Ministry'],
    ['DoD Network Information Center', 'government', 'DoD'],
    ['Hetzner Online GmbH', 'hosting', 'Hetzner'],
    ['Some Hosting Company', 'hosting', 'Hosting'],
    ['Verizon Wireless', 'mobile', 'Verizon Wireless'],
    ['Natural State Wireless, LLC', 'isp', 'Wireless'],
    ['Apple Inc.', 'business', 'Inc.'],
    ['Mercedes-Benz Group AG', 'business', 'AG'],
    ['Bank of America, National Association', 'business', 'Bank'],
    ['Abacus Research AG', 'business', 'AG'],
    ['Rostelecom', 'isp', 'Rostelecom'],
    ['Jerome County Idaho', 'government', 'County'],
    ['Headquarters, USAISC', 'government', 'Headquarters, USAISC'],
    ['NubaCloud B.V.', 'hosting', 'Cloud'],
    ['Korea Telecom', 'isp', 'Telecom'],
    ['Bredband2 AB', 'isp', 'Bredband2'],
  ])('%s -> %s', (asOrg, type, word) => {
    const institution = classify(asOrg);
    expect(institution?.type).toBe(type);
    expect(institution?.name).toBe(asOrg);
    expect(institution?.evidence.join('\n')).toContain(`'${word}'`);
  });

  it('does not mistake similar words', () => {
    // 'Universal' is not 'Universit…': a company, by its 'Group'.
    expect(classify('Universal Music Group')).toMatchObject({ type: 'business', basis: 'as-name', confidence: 'low' });
    expect(classify('Colombia Movil')?.type).toBe('mobile'); // 'Movil', not 'colo'
  });

  it('says so when no rule matches', () => {
    expect(classify('Zudoarichikito', 64512)).toEqual({ name: 'Zudoarichikito', type: 'unknown', basis: 'none', confidence: 'none', evidence: ["no rule matched AS name 'Zudoarichikito'"] });
    // A legal form alone says it is some company: business, with low confidence.
    expect(classify('Zudoarichikito Ltd', 64512)).toMatchObject({ type: 'business', basis: 'as-name', confidence: 'low' });
  });
});

describe('classifyInstitution from curated ASN lists', () => {
  it.each([
    [1237, 'KISTI', 'research', 'KREONET'],
    [15169, 'Google LLC', 'hosting', 'Google'],
    [4538, 'China Education and Research Network Center', 'research', 'CERNET'],
    [9644, 'SK Telecom', 'mobile', 'SK Telecom'],
  ])('AS%i %s -> %s', (asn, asOrg, type, listed) => {
    const institution = classify(asOrg, asn);
    expect(institution?.type).toBe(type);
    expect(institution?.evidence[0]).toContain(`AS${asn} is in the curated ${type} list (${listed}`);
  });

  it('a curated list outweighs a keyword (SK Telecom says Telecom but is a mobile operator)', () => {
    const institution = classify('SK Telecom', 9644);
    expect(institution?.type).toBe('mobile');
    expect(institution?.evidence.some((line) => line.startsWith('outweighed:') && line.includes('Telecom'))).toBe(true);
  });

  it('uses the curated name when the AS has no organisation name', () => {
    expect(classify(null, 1237)).toMatchObject({ name: 'KREONET (KISTI)', type: 'research' });
  });
});

describe('classifyInstitution from PTR names (tldts public suffixes)', () => {
  it.each([
    ['ns.snu.ac.kr', 'academic', '.ac.kr'],
    ['www.mit.edu', 'academic', '.edu'],
    ['mail.ox.ac.uk', 'academic', '.ac.uk'],
    ['www.korea.go.kr', 'government', '.go.kr'],
    ['www.nasa.gov', 'government', '.gov'],
    ['kreonet.re.kr', 'research', '.re.kr'],
    ['ec2-54-1-2-3.compute-1.amazonaws.com', 'hosting', 'amazonaws.com'],
    ['dhcp-10-1-2-3.dynamic.example-isp.net', 'isp', 'dynamic'],
    ['www.uni-heidelberg.de', 'academic', 'uni-heidelberg.de'],
  ])('%s -> %s', (name, type, evidence) => {
    const institution = classify(null, null, [name]);
    expect(institution?.type).toBe(type);
    expect(institution?.evidence.join('\n')).toContain(evidence);
  });

  it('a PTR name refines an AS with no telling name (the pipeline does this after reverse DNS)', () => {
    expect(classify('KRNIC', 64000)?.type).toBe('unknown');
    const refined = classify('KRNIC', 64000, ['gw.kaist.ac.kr.']);
    expect(refined).toMatchObject({ name: 'KRNIC', type: 'academic' });
    expect(refined?.evidence[0]).toBe("PTR name 'gw.kaist.ac.kr.' is under '.ac.kr' (academic domain)");
  });

  it('ignores PTR names that are not host names', () => {
    expect(classify(null, null, ['', '1.2.3.4', 'localhost', '..', '\u0000'])).toBeNull();
  });
});

describe('classifyInstitution edge cases', () => {
  it('returns null when there is nothing to go on', () => {
    expect(classify(null)).toBeNull();
  });

  it('uses GeoIP2 user_type when a commercial database has it', () => {
    expect(classifyInstitution({ asn: 29518, asOrg: 'Bredband2 AB', ptrNames: [], userType: 'government' })).toMatchObject({ type: 'government' });
  });

  it('never throws and always explains itself', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 })), fc.option(fc.string()), fc.array(fc.string(), { maxLength: 3 }), (asn, asOrg, ptrNames) => {
        const institution = classifyInstitution({ asn, asOrg, ptrNames });
        if (institution) expect(institution.evidence.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('ASCII text takes regexes without the u flag', () => {
  const rules = defaultInstitutionRules();
  // The same rules with the u flag on every text: what the fast path must agree with.
  const unicodeOnly = (compiled: { regex: RegExp; asciiRegex: RegExp }[]) => compiled.map((rule) => ({ ...rule, asciiRegex: rule.regex }));
  const reference: InstitutionRules = {
    ...rules,
    asName: rules.asName.map((combined) => ({ ...combined, asciiRegex: combined.regex, rules: unicodeOnly(combined.rules) as typeof combined.rules })),
    ptrSuffix: unicodeOnly(rules.ptrSuffix) as typeof rules.ptrSuffix,
    ptrDomain: unicodeOnly(rules.ptrDomain) as typeof rules.ptrDomain,
    ptrName: unicodeOnly(rules.ptrName) as typeof rules.ptrName,
  };

  it('every rule has a fast twin (no rule needs the u flag on ASCII text)', () => {
    for (const combined of rules.asName) {
      expect(combined.asciiRegex.flags).toBe('i');
      for (const rule of combined.rules) expect(rule.asciiRegex.flags).toBe('i');
    }
  });

  it('classifies real AS organisation names exactly as the u-flag rules do', () => {
    // Every 150th row of the embedded IPv4 ASN data, and the hand-labelled names.
    const csv = readFileSync(createRequire(import.meta.url).resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8').split('\n');
    const labelled = JSON.parse(readFileSync(new URL('./labelled-as-organisations.json', import.meta.url), 'utf8')) as { entries: { name: string }[] };
    const names = new Set<string>(labelled.entries.map((entry) => entry.name));
    for (let line = 0; line < csv.length; line += 150) {
      const name = (csv[line] ?? '').split(',').slice(3).join(',').replace(/^"|"$/g, '');
      if (name !== '') names.add(name);
    }
    expect(names.size).toBeGreaterThan(1000);
    let differing = 0;
    for (const name of names) {
      const input = { asn: null, asOrg: name, ptrNames: [] };
      if (JSON.stringify(classifyInstitution(input, rules)) !== JSON.stringify(classifyInstitution(input, reference))) differing++;
    }
    expect(differing).toBe(0);
  });

  it('agrees on text made of rule words in any case, with the letters whose case folding is ASCII', () => {
    const words = ['university', 'UNIVERSIT', 'Telecom', 'tél', 'inc', 'Inc.', 'K', '\u212a', 's', '\u017f', 'LTD', 'mobile', 'Hosting', 'cloud', 'gov', 'ministry', 'research', 'net', 'é', '大学', '-', ' ', ',', '.', '&', 'of', 'the'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 8 }), fc.array(fc.array(fc.constantFrom('edu', 'ac', 'kr', 'dyn', 'lte', 'host', '\u212a', 'x'), { minLength: 2, maxLength: 4 }), { maxLength: 2 }), (parts, hosts) => {
        const input = { asn: null, asOrg: parts.join(''), ptrNames: hosts.map((labels) => labels.join('.')) };
        expect(classifyInstitution(input, rules)).toEqual(classifyInstitution(input, reference));
      }),
      { numRuns: 300 },
    );
  });
});
