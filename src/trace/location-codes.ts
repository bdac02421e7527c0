// The curated table of place codes seen in router hostnames (geo-data/location-codes.json).
import { readFileSync } from 'node:fs';

export interface Place {
  city?: string;
  country: string;
}

export interface LocationCodes {
  iata: Record<string, Place>;
  clli: Record<string, Place>;
  locode: Record<string, Place>;
  cities: Record<string, Place>;
  usStates: string[];
}

const LOCATION_CODES_URL = new URL('../../geo-data/location-codes.json', import.meta.url);
let cached: LocationCodes | null = null;

/** Loaded once; static data shipped with the package. */
export function loadLocationCodes(): LocationCodes {
  cached ??= JSON.parse(readFileSync(LOCATION_CODES_URL, 'utf8')) as LocationCodes;
  return cached;
}
