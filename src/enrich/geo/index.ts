// PLACEHOLDER until the geo issue lands: the signature is the contract.
import type { DataSource, IpAttribution } from '../../model/attribution.js';
import type { GeoLookup } from '../../model/services.js';

export interface GeoOpenOptions {
  /** --geo-dir: user MaxMind databases take precedence over the embedded data. */
  geoDir?: string | null;
  env: NodeJS.ProcessEnv;
  /** Where the ASN index cache lives; null disables it. Defaults to defaultCacheDir(env). */
  cacheDir?: string | null;
}

export interface GeoService extends GeoLookup {
  close(): void;
}

export function emptyAttribution(ip: string): IpAttribution {
  return { ip, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, isp: null, organization: null, registeredCountry: null, institution: null, sources: {} };
}

export async function openGeo(_options: GeoOpenOptions): Promise<GeoService> {
  const sources: DataSource[] = [];
  return { lookup: emptyAttribution, sources, close() {} };
}
