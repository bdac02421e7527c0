// What enrichment learns about one IP: geography, network, institution, reverse DNS.

export type InstitutionType =
  | 'academic'
  | 'research'
  | 'government'
  | 'isp'
  | 'mobile'
  | 'hosting'
  | 'business'
  | 'unknown';

/**
 * What decided a classification, strongest first: a curated ASN list beats the university
 * list and PTR domains, which beat a word in the AS name.
 */
export type InstitutionBasis = 'curated-asn' | 'university-list' | 'ptr-domain' | 'user-type' | 'as-name' | 'ptr-name' | 'none';
export type InstitutionConfidence = 'high' | 'medium' | 'low' | 'none';

export interface Institution {
  /** Display name (usually the AS organisation, or a curated name). */
  name: string;
  type: InstitutionType;
  /** The kind of rule that decided the type. */
  basis?: InstitutionBasis;
  /** high: curated list; medium: university list, PTR domain or GeoIP2 user type; low: a word in a name. */
  confidence?: InstitutionConfidence;
  /** Human-readable reasons for the type; disagreeing signals follow as 'outweighed: …'. */
  evidence: string[];
}

/** Label from the IANA special-purpose registries (private, loopback, documentation...). */
export interface SpecialRange {
  /** Short machine label: 'private', 'loopback', 'link-local', 'cgnat', 'documentation', ... */
  kind: string;
  /** The registry block it falls in, e.g. '10.0.0.0/8'. */
  prefix: string;
  /** Registry name of the block, e.g. 'Private-Use'. */
  name: string;
  /** RFC that defines it. */
  rfc: string;
}

/** One data source in use, for `netsleuth sources` and the report's data-sources section. */
export interface DataSource {
  id: string;
  /** e.g. 'GeoLite2-City (ip-location-db)', 'GeoIP2-ISP'. */
  name: string;
  kind: 'city' | 'country' | 'asn' | 'isp' | 'enterprise' | 'rules';
  path: string;
  /** ISO date of the database build, when known. */
  buildDate: string | null;
  licence: string;
  attribution: string;
}

export type RdnsStatus =
  | 'ok'
  | 'nxdomain'
  | 'nodata'
  | 'servfail'
  | 'refused'
  | 'timeout'
  | 'error'
  | 'skipped';

export interface RdnsResult {
  status: RdnsStatus;
  /** Validated, sanitized PTR names (may be empty). */
  names: string[];
  ttl: number | null;
  /** Server that answered (host:port) or null. */
  server: string | null;
  /** Forward confirmation of the PTR names: confirmed when a name resolves back to the IP. */
  fcrdns?: 'confirmed' | 'mismatch' | 'unknown';
  /** Evidence: when the answer was received (ISO UTC) and its rcode. */
  queriedAt?: string;
  rcode?: string;
  /** Why the result is an error, when status is 'error'. */
  detail?: string;
}

/** What we say about an address reverse DNS never looked at: nothing. */
export const SKIPPED_RDNS: RdnsResult = Object.freeze({ status: 'skipped', names: [], ttl: null, server: null }) as RdnsResult;

/**
 * The routed block that holds an address: the largest aligned prefix of its ASN data range
 * (or of its special-purpose block). Prefix clusters never climb above it.
 */
export interface RoutePrefix {
  version: 4 | 6;
  /** IPv4 as an unsigned integer, IPv6 as a 128-bit integer. */
  network: number | bigint;
  length: number;
}

export interface IpAttribution {
  ip: string;
  /** Set when the address is in an IANA special-purpose block; such addresses never get a country. */
  special: SpecialRange | null;
  country: string | null;
  countryName: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  asn: number | null;
  asOrg: string | null;
  isp: string | null;
  organization: string | null;
  /** Registered country when it differs from the located country. */
  registeredCountry: string | null;
  institution: Institution | null;
  /** Field name -> data source id that supplied it. */
  sources: Record<string, string>;
}
