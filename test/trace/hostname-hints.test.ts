import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countryOfTld, hostnameHints } from '../../src/trace/hostname-hints.js';

// Real router names from the fixtures (jc generic/traceroute5, traceroute6, traceroute8; osx traceroute;
// win32-tracert) and the Korea Telecom shape of the synthetic sample.
const CASES: { name: string; first: { country: string | null; city: string | null; confidence: string } | null }[] = [
  { name: 'ae-4.r30.tokyjp05.jp.bb.gin.ntt.net', first: { country: 'JP', city: 'Tokyo', confidence: 'medium' } },
  { name: 'xe-0-0-46-2.a00.sttlwa01.us.bb.gin.ntt.net', first: { country: 'US', city: 'Seattle', confidence: 'medium' } },
  { name: '76-220-24-1.lightspeed.sntcca.sbcglobal.net', first: { country: 'US', city: 'Santa Clara', confidence: 'medium' } },
  { name: 'ae-72-72.ebr2.Paris1.Level3.net', first: { country: 'FR', city: 'Paris', confidence: 'medium' } },
  { name: 'ix-xe-1-3-0-0.tcore1.pv9-lisbon.as6453.net', first: { country: 'PT', city: 'Lisbon', confidence: 'medium' } },
  { name: '216-230-231-141.static.houston.tx.oplink.net', first: { country: 'US', city: 'Houston', confidence: 'medium' } },
  { name: 'lax-core1.example.com', first: { country: 'US', city: 'Los Angeles', confidence: 'low' } },
  { name: 'kornet-sel-core.kt.co.kr', first: { country: 'KR', city: 'Seoul', confidence: 'medium' } },
  { name: 'ffm-b4-link.telia.net', first: null },
  { name: 'dsldevice', first: null },
  { name: 'cloudflare-nap.namex.it', first: { country: 'IT', city: null, confidence: 'low' } },
];

describe('hostnameHints', () => {
  it.each(CASES)('$name', ({ name, first }) => {
    const hints = hostnameHints(name);
    if (first === null) expect(hints).toEqual([]);
    else expect(hints[0]).toMatchObject(first);
    for (const entry of hints) expect(entry.reason.length).toBeGreaterThan(0);
  });

  it('adds the ccTLD as a low-confidence hint after the specific ones', () => {
    const hints = hostnameHints('kornet-sel-core.kt.co.kr');
    expect(hints.map((entry) => [entry.source, entry.country, entry.confidence])).toEqual([['sel', 'KR', 'medium'], ['.kr', 'KR', 'low']]);
  });

  it('treats generic ccTLDs as no country', () => {
    expect(countryOfTld('router.example.io')).toBeNull();
    expect(countryOfTld('gw.example.co.uk')).toBe('GB');
    expect(countryOfTld('gw.snu.ac.kr')).toBe('KR');
  });

  it('ignores hostile or odd names without throwing', () => {
    expect(hostnameHints('[x](javascript:alert(1)).kr')).toEqual([]);
    expect(hostnameHints(null)).toEqual([]);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => Array.isArray(hostnameHints(text))));
  });
});
