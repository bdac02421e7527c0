// A GeoLookup over a small table, for attribution and verdict tests.
import type { IpAttribution } from '../../src/model/attribution.js';
import type { GeoLookup } from '../../src/model/services.js';

export function blankAttribution(ip: string): IpAttribution {
  return { ip, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, isp: null, organization: null, registeredCountry: null, institution: null, sources: {} };
}

export function fakeGeo(table: Record<string, Partial<IpAttribution>>): GeoLookup & { looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    sources: [],
    lookup(ip: string) {
      looked.push(ip);
      const prefix = Object.keys(table).filter((key) => ip === key || (key.endsWith('.') && ip.startsWith(key))).sort((a, b) => b.length - a.length)[0];
      return { ...blankAttribution(ip), ...(prefix ? table[prefix] : {}) };
    },
  };
}

export const KOREA_GEO = {
  '198.51.100.': { special: { kind: 'documentation', prefix: '198.51.100.0/24', name: 'Documentation (TEST-NET-2)', rfc: 'RFC 5737' } },
  '129.250.': { asn: 2914, asOrg: 'NTT America, Inc.', country: 'US' },
  '112.174.': { asn: 4766, asOrg: 'Korea Telecom', country: 'KR' },
  '112.188.': { asn: 4766, asOrg: 'Korea Telecom', country: 'KR', institution: { name: 'Korea Telecom', type: 'isp', evidence: ['test table'] } },
  '147.46.': { asn: 9488, asOrg: 'Seoul National University', country: 'KR' },
} satisfies Record<string, Partial<IpAttribution>>;
