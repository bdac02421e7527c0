// National Internet Registries under APNIC: where APNIC's answer names a national
// registry instead of the network's own contact (Korean networks come back with
// KRNIC's IRT 'IRT-KRNIC-KR' as their abuse role), the registry's whois has the contact.
// One entry per registry: its country, how APNIC's answer shows it, its server, its format.
import type { RegistryName } from '../../model/network.js';
import { parseRpslNirWhois, parseTwnicWhois } from './whois-nir-text.js';
import type { WhoisContact } from '../../model/network.js';
import { parseJpnicWhois, parseKrnicWhois } from './whois-parse.js';

export interface NationalRegistry {
  registry: RegistryName;
  country: string;
  /** Pattern found in a handle, the network name or a remark when the registry is involved. */
  marker: RegExp;
  whoisHost: string;
  /** The question as the server expects it ('/e' asks JPNIC for English). */
  query: (ip: string) => string;
  /** The answer -> the contact; null when it names no network (holding the address, when given). */
  parse: (answer: string, ip?: string) => WhoisContact | null;
}

export const NATIONAL_REGISTRIES: readonly NationalRegistry[] = [
  { registry: 'KRNIC', country: 'KR', marker: /KRNIC|KISA/i, whoisHost: 'whois.kisa.or.kr', query: (ip) => ip, parse: parseKrnicWhois },
  { registry: 'JPNIC', country: 'JP', marker: /JPNIC|JNIC\d/i, whoisHost: 'whois.nic.ad.jp', query: (ip) => `${ip}/e`, parse: parseJpnicWhois },
  // APNIC's objects for these registries' members carry their maintainers and IRTs:
  // MAINT-TW-TWNIC / IRT-TWNIC-AP, MAINT-CNNIC-AP / IRT-CNNIC-CN, MNT-APJII-ID / IRT-IDNIC-ID.
  { registry: 'TWNIC', country: 'TW', marker: /TWNIC/i, whoisHost: 'whois.twnic.net.tw', query: (ip) => ip, parse: parseTwnicWhois },
  { registry: 'CNNIC', country: 'CN', marker: /CNNIC/i, whoisHost: 'ipwhois.cnnic.cn', query: (ip) => ip, parse: parseRpslNirWhois },
  { registry: 'IDNIC', country: 'ID', marker: /IDNIC|APJII/i, whoisHost: 'whois.idnic.net', query: (ip) => ip, parse: parseRpslNirWhois },
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
