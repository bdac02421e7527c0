// An RDAP `ip network` object (RFC 9083 §5.4) -> the registration we report. Pure.
// Every string is the registry's (or whoever answered in its place): sanitised here.
// Registry quirks seen in the recorded answers (ipwhois' rdap.json): RIPE writes prefix
// lengths into start/end ('62.239.237.0/32') and a range as handle; ARIN zero-pads IPv4
// and nests the abuse contact inside the registrant entity; APNIC names KRNIC's IRT as
// the abuse role of Korean networks; AFRINIC gives entities without roles.
import type { AbuseContact, NetworkRegistration, RegistryName } from '../../model/network.js';
import { parseRegistryAddress, rangeToCidrs, type IpRange } from '../../net/ip-range.js';
import { sanitizeText } from '../../net/sanitize.js';
import { registryFromHost } from './rdap-bootstrap.js';

export type ParsedNetwork = Omit<NetworkRegistration, 'status' | 'url' | 'fetchedAt' | 'source'> & { ipRange: IpRange | null };

type Json = Record<string, unknown>;

const MAX_ENTITIES = 200;
const MAX_DEPTH = 4;
const MAX_CONTACT_VALUES = 10;

function text(value: unknown, maxLength = 200): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = sanitizeText(value.replace(/\s+/g, ' ').trim(), maxLength);
  return cleaned === '' ? null : cleaned;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface VcardFields {
  fn: string | null;
  org: string | null;
  emails: string[];
  phones: string[];
}

/** jCard (RFC 7095): ['vcard', [[name, params, type, value], ...]]. */
export function vcardFields(vcardArray: unknown): VcardFields {
  const fields: VcardFields = { fn: null, org: null, emails: [], phones: [] };
  if (!Array.isArray(vcardArray) || !Array.isArray(vcardArray[1])) return fields;
  for (const property of (vcardArray[1] as unknown[]).slice(0, 200)) {
    if (!Array.isArray(property) || typeof property[0] !== 'string') continue;
    const name = property[0].toLowerCase();
    const raw = Array.isArray(property[3]) ? property[3].filter((part) => typeof part === 'string').join(' ') : property[3];
    const value = text(raw);
    if (!value) continue;
    if (name === 'fn' && !fields.fn) fields.fn = value;
    else if (name === 'org' && !fields.org) fields.org = value;
    else if (name === 'email') pushUnique(fields.emails, emailOf(value));
    else if (name === 'tel') {
      const params = isObject(property[1]) ? property[1] : {};
      const type = JSON.stringify(params.type ?? '').toLowerCase();
      // Fax numbers are no way to report abuse.
      if (!type.includes('fax')) pushUnique(fields.phones, value.replace(/^tel:/i, ''));
    }
  }
  return fields;
}

/** A plausible mailbox, lower-cased domain; anything else (spaces, markup) is dropped. */
export function emailOf(value: string): string | null {
  const trimmed = value.replace(/^mailto:/i, '').trim();
  const match = /^([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)$/.exec(trimmed);
  if (!match?.[1] || !match[2]) return null;
  return `${match[1]}@${match[2].toLowerCase()}`;
}

function pushUnique(list: string[], value: string | null): void {
  if (value && !list.includes(value) && list.length < MAX_CONTACT_VALUES) list.push(value);
}

interface FlatEntity {
  handle: string | null;
  roles: string[];
  vcard: VcardFields;
}

/** Entities and their nested entities (ARIN nests the abuse POC under the registrant), bounded. */
function flattenEntities(entities: unknown, depth = 0, out: FlatEntity[] = []): FlatEntity[] {
  if (!Array.isArray(entities) || depth > MAX_DEPTH) return out;
  for (const entity of entities) {
    if (out.length >= MAX_ENTITIES) break;
    if (!isObject(entity)) continue;
    const roles = Array.isArray(entity.roles) ? entity.roles.filter((role): role is string => typeof role === 'string').map((role) => role.toLowerCase()) : [];
    out.push({ handle: text(entity.handle, 100), roles, vcard: vcardFields(entity.vcardArray) });
    flattenEntities(entity.entities, depth + 1, out);
  }
  return out;
}

function eventDate(events: unknown, action: string): string | null {
  if (!Array.isArray(events)) return null;
  for (const event of events) {
    if (!isObject(event) || typeof event.eventAction !== 'string' || event.eventAction.toLowerCase() !== action) continue;
    const date = typeof event.eventDate === 'string' ? Date.parse(event.eventDate) : Number.NaN;
    if (!Number.isNaN(date)) return new Date(date).toISOString();
  }
  return null;
}

const HANDLE_SUFFIXES: [RegExp, RegistryName][] = [
  [/-ARIN$/i, 'ARIN'],
  [/-RIPE$/i, 'RIPE NCC'],
  [/-AP$/i, 'APNIC'],
  [/-AFRINIC$/i, 'AFRINIC'],
  [/-LACNIC$/i, 'LACNIC'],
];

function registryOf(object: Json, entities: FlatEntity[], fallback: RegistryName): RegistryName {
  const fromPort43 = registryFromHost(typeof object.port43 === 'string' ? object.port43 : null);
  if (fromPort43) return fromPort43;
  for (const entity of entities) {
    for (const [pattern, name] of HANDLE_SUFFIXES) if (entity.handle && pattern.test(entity.handle)) return name;
  }
  return fallback;
}

function remarksDescription(remarks: unknown): string | null {
  if (!Array.isArray(remarks)) return null;
  for (const remark of remarks) {
    if (!isObject(remark) || !Array.isArray(remark.description)) continue;
    const title = typeof remark.title === 'string' ? remark.title.toLowerCase() : '';
    if (title !== 'description' && title !== '') continue;
    const first = text(remark.description[0]);
    if (first) return first;
  }
  return null;
}

/**
 * @param fallbackRegistry the registry the bootstrap (or the server's host) points at,
 *   used when the answer does not say which registry it is.
 */
export function parseRdapNetwork(json: unknown, fallbackRegistry: RegistryName): ParsedNetwork | { error: string } {
  if (!isObject(json)) return { error: 'the answer is not a JSON object' };
  const objectClass = typeof json.objectClassName === 'string' ? json.objectClassName.toLowerCase() : '';
  if (objectClass !== 'ip network' && !('startAddress' in json)) return { error: 'the answer is not an RDAP ip network object' };
  const start = typeof json.startAddress === 'string' ? parseRegistryAddress(json.startAddress) : null;
  const end = typeof json.endAddress === 'string' ? parseRegistryAddress(json.endAddress) : null;
  const ipRange = start && end && start.version === end.version && start.value <= end.value ? { version: start.version, start: start.value, end: end.value } : null;
  const entities = flattenEntities(json.entities);
  const abuseEntity = entities.find((entity) => entity.roles.includes('abuse'));
  const registrant = entities.find((entity) => entity.roles.includes('registrant'));
  let abuse: AbuseContact | null = null;
  if (abuseEntity) {
    abuse = { emails: [...abuseEntity.vcard.emails], phones: [...abuseEntity.vcard.phones], handle: abuseEntity.handle, name: abuseEntity.vcard.fn };
  }
  const cidrs = ipRange ? rangeToCidrs(ipRange) : [];
  return {
    handle: text(json.handle, 100),
    name: text(json.name, 100),
    range: cidrs.length > 0 ? cidrs.slice(0, 8).join(' ') : null,
    startAddress: ipRange ? rangeToCidrs({ ...ipRange, end: ipRange.start })[0]?.replace(/\/\d+$/, '') ?? null : null,
    endAddress: ipRange ? rangeToCidrs({ ...ipRange, start: ipRange.end })[0]?.replace(/\/\d+$/, '') ?? null : null,
    country: text(json.country, 8)?.toUpperCase() ?? null,
    registry: registryOf(json, entities, fallbackRegistry),
    registered: eventDate(json.events, 'registration'),
    lastChanged: eventDate(json.events, 'last changed'),
    org: registrant?.vcard.fn ?? registrant?.vcard.org ?? remarksDescription(json.remarks) ?? null,
    abuse,
    ipRange,
  };
}

