// Location hints from router hostnames, in the spirit of CAIDA's Hoiho: operators embed
// place codes in interface names ('ae-4.r30.tokyjp05.jp.bb.gin.ntt.net', 'ae-72-72.ebr2.Paris1.Level3.net',
// '76-220-24-1.lightspeed.sntcca.sbcglobal.net'). Hoiho learns each operator's convention; we have no
// training data, so each hint carries a confidence that says how specific the pattern was:
//   high    a CLLI-style code whose country/state suffix agrees, and the ccTLD agrees too
//   medium  CLLI-style city+country/state ('tokyjp', 'sttlwa'), UN/LOCODE ('krsel'), a full city name
//   low     a bare 3-letter IATA code ('fra', 'lax') or a country-code TLD ('.kr')
import { parse } from 'tldts';
import type { LocationHint } from '../model/trace.js';
import { loadLocationCodes, type LocationCodes } from './location-codes.js';

// Labels and tokens that are router vocabulary, never places, even where they collide with IATA codes.
const NOT_PLACES = new Set([
  'net', 'com', 'org', 'edu', 'gov', 'www', 'bb', 'gin', 'ntt', 'ae', 'xe', 'ge', 'te', 'et', 'hu', 'be', 'po', 'bar', 'csw', 'ebr', 'rtr',
  'cor', 'core', 'agg', 'edge', 'edg', 'gw', 'ip', 'ipv', 'static', 'dsl', 'dyn', 'mail', 'vlan', 'peer', 'link', 'int', 'ixp', 'bgp', 'cr', 'ar',
  'br', 'er', 'pe', 'ce', 'sw', 'fw', 'lo', 'eth', 'mpls', 'ten', 'gig', 'tge', 'hge', 'ash', 'can', 'for', 'per', 'man', 'san', 'rec', 'los',
  'bos', 'del', 'lis', 'par', 'ham', 'was', 'mil', 'rom', 'ber', 'str', 'sto', 'pit', 'las', 'aus', 'got', 'bio', 'inn', 'lux', 'oak', 'sea',
  'has', 'any', 'the', 'and', 'res', 'cust', 'host', 'server', 'router', 'nic', 'cdn', 'dns', 'ns', 'mx', 'tor', 'exit', 'node',
]);
// Generic-use ccTLDs: '.io', '.co', '.tv', '.me', '.ai' say nothing about place.
const GENERIC_CCTLDS = new Set(['io', 'co', 'tv', 'me', 'ai', 'fm', 'ly', 'cc', 'ws', 'to', 'gg', 'sh', 'ac', 'nu', 'tk', 'la', 'am', 'im', 'vc', 'su']);

function hint(source: string, country: string | null, city: string | null, confidence: LocationHint['confidence'], reason: string): LocationHint {
  return { source, country, city, confidence, reason };
}

/** Country of a country-code TLD ('kr' -> 'KR'), null for generic or non-country suffixes. */
export function countryOfTld(hostname: string): string | null {
  const suffix = parse(hostname.toLowerCase(), { allowPrivateDomains: false }).publicSuffix;
  if (!suffix) return null;
  const tld = suffix.split('.').pop() ?? '';
  if (!/^[a-z]{2}$/.test(tld) || GENERIC_CCTLDS.has(tld)) return null;
  return tld === 'uk' ? 'GB' : tld.toUpperCase();
}

// Router names repeat across traces (every path to a region crosses the same routers): memoised
// for the shipped table; bounded so a huge input cannot grow it without limit.
const MEMO_LIMIT = 50_000;
const memo = new Map<string, readonly LocationHint[]>();

/** Location hints for one hostname; strongest first (ties: source order). */
export function hostnameHints(hostname: string | null, codes?: LocationCodes): LocationHint[] {
  if (hostname === null) return [];
  if (codes !== undefined) return computeHints(hostname, codes);
  const known = memo.get(hostname);
  // A fresh array of frozen hints: callers may sort or extend their list without touching the memo.
  if (known) return [...known];
  const hints = computeHints(hostname, loadLocationCodes()).map((entry) => Object.freeze(entry));
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(hostname, hints);
  return [...hints];
}

function computeHints(hostname: string, codes: LocationCodes): LocationHint[] {
  const name = hostname.toLowerCase().replace(/\.$/, '').replace(/^[a-z]+:\/\//, '');
  if (!/^[a-z0-9._-]+$/.test(name) || !name.includes('.')) return [];
  const parsed = parse(name, { allowPrivateDomains: false });
  const tldCountry = countryOfTld(name);
  const hints: LocationHint[] = [];
  const subdomain = parsed.subdomain ?? '';
  // Tokens from the labels left of the operator's domain: split at '.', '-', '_' and letter/digit boundaries.
  const tokens = subdomain.split(/[._-]+/).flatMap((label) => label.match(/[a-z]+/g) ?? []);
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token) || NOT_PLACES.has(token)) continue;
    seen.add(token);
    if (token.length === 6) {
      const place = codes.clli[token.slice(0, 4)];
      const suffix = token.slice(4);
      const suffixCountry = codes.usStates.includes(suffix) ? 'US' : suffix.toUpperCase();
      if (place && place.country === suffixCountry) {
        const agrees = tldCountry === place.country;
        hints.push(hint(token, place.country, place.city ?? null, agrees ? 'high' : 'medium', `CLLI-style code '${token}' = ${place.city}, ${place.country}${agrees ? ' (ccTLD agrees)' : ''}`));
        continue;
      }
    }
    if (token.length === 5 && codes.locode[token]) {
      const place = codes.locode[token];
      hints.push(hint(token, place.country, place.city ?? null, 'medium', `UN/LOCODE '${token.toUpperCase()}' = ${place.city}, ${place.country}`));
      continue;
    }
    if (token.length >= 4 && codes.cities[token]) {
      const place = codes.cities[token];
      hints.push(hint(token, place.country, place.city ?? token, 'medium', `city name '${token}' = ${place.city ?? token}, ${place.country}`));
      continue;
    }
    if (token.length === 3 && codes.iata[token]) {
      const place = codes.iata[token];
      const agrees = tldCountry === place.country;
      hints.push(hint(token, place.country, place.city ?? null, agrees ? 'medium' : 'low', `IATA code '${token}' = ${place.city}, ${place.country}${agrees ? ' (ccTLD agrees)' : ''}`));
    }
  }
  if (tldCountry) hints.push(hint(`.${name.split('.').pop()}`, tldCountry, null, 'low', `hostname ends in .${name.split('.').pop()}`));
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return hints.map((entry, index) => ({ entry, index })).sort((a, b) => rank[a.entry.confidence] - rank[b.entry.confidence] || a.index - b.index).map(({ entry }) => entry);
}
