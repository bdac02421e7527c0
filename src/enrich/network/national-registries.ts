// National Internet Registries under APNIC: where APNIC's RDAP answer names a national
// registry instead of the network's own contact (Korean networks come back with
// KRNIC's IRT 'IRT-KRNIC-KR' as their abuse role), the registry's whois has the contact.
import type { RegistryName } from '../../model/network.js';
import { parseJpnicWhois, parseKrnicWhois, type WhoisContact } from './whois-parse.js';

export interface NationalRegistry {
  registry: RegistryName;
  country: string;
  /** Pattern found in a handle, the network name or a remark when the registry is involved. */
  marker: RegExp;
  whoisHost: string;
  /** The question as the server expects it ('/e' asks JPNIC for English). */
  query: (ip: string) => string;
  parse: (answer: string) => WhoisContact | null;
}

export const NATIONAL_REGISTRIES: readonly NationalRegistry[] = [
  { registry: 'KRNIC', country: 'KR', marker: /KRNIC|KISA/i, whoisHost: 'whois.kisa.or.kr', query: (ip) => ip, parse: parseKrnicWhois },
  { registry: 'JPNIC', country: 'JP', marker: /JPNIC|JNIC\d/i, whoisHost: 'whois.nic.ad.jp', query: (ip) => `${ip}/e`, parse: parseJpnicWhois },
];

/**
 * The national registry to ask about a network APNIC answered for, or null.
 * @param answer the registry's whole answer (RDAP JSON or whois text): its handles, names
 *   and remarks are where the national registry shows.
 */
export function nationalRegistryFor(network: { registry: RegistryName; country: string | null }, answer: unknown): NationalRegistry | null {
  if (network.registry !== 'APNIC' || !network.country) return null;
  const candidates = NATIONAL_REGISTRIES.filter((nir) => nir.country === network.country);
  if (candidates.length === 0) return null;
  const haystack = (typeof answer === 'string' ? answer : JSON.stringify(answer) ?? '').slice(0, 200_000);
  return candidates.find((nir) => nir.marker.test(haystack)) ?? null;
}
