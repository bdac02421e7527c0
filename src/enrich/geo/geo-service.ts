// The lookup itself: special ranges first (never looked up), then the geo chain
// (first database with a record supplies all geographic fields, so country and
// city never come from two different databases), then network fields (ASN, AS
// organisation, ISP, organisation: first source that has each), then the institution.
import type { DataSource, Institution, IpAttribution, RoutePrefix, SpecialRange } from '../../model/attribution.js';
import { ipv4ToInt, parseIpAddress } from '../../net/ip.js';
import { formatIpv6Words, ipv6ToWords, parseIpv6Words } from '../../net/ipv6-words.js';
import { parseCidr } from '../../net/ip-range.js';
import { largestBlockV4, largestBlockV6, v4Mask, v6Mask, wordsToBigInt } from '../../net/prefix.js';
import { specialRangeV4, specialRangeV6 } from '../../net/special-ranges.js';
import type { AsnTable } from './asn-index.js';
import type { InstitutionFactsTable } from './institution-facts.js';
import { classifyInstitution, classifyWithAsNameFacts } from './institutions.js';
import { mapGeoRecord, mapNetworkRecord, type GeoFields, type NetworkFields } from './record-mapping.js';

export interface MmdbLike {
  get(ip: string): unknown;
}

export interface ChainedReader {
  sourceId: string;
  reader: MmdbLike;
  ipVersion: 4 | 6;
  /** IPv4 integer -> record pointer (-1 = none); lets us skip maxmind for records already mapped. */
  ipv4Walker?: ((value: number) => number) | null;
  ipv6Walker?: ((words: readonly number[]) => number) | null;
  /** Record at a pointer from a walker, decoded without a second walk. */
  recordAt?: ((pointer: number) => unknown) | null;
  /** recordAt with only the keys the geography reads (GEO_RECORD_KEYS) decoded. */
  geoRecordAt?: ((pointer: number) => unknown) | null;
}

export interface GeoServiceParts {
  geoChain: ChainedReader[];
  networkChain: ChainedReader[];
  asnIndex: { sourceId: string; table: AsnTable } | null;
  /** AS-name facts per organisation id of asnIndex, computed at install (institution-facts.ts). */
  institutionFacts?: InstitutionFactsTable | null;
  specialSourceId: string;
  institutionSourceId: string;
  sources: DataSource[];
  /** Distinct addresses remembered; 0 disables the memo. */
  memoEntries?: number;
}

export function emptyAttribution(ip: string): IpAttribution {
  return { ip, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, isp: null, organization: null, registeredCountry: null, institution: null, sources: {} };
}

/** The mapped geography of one database record: shared by every address in that record. */
export interface MappedGeo {
  /** Dense number per engine (0, 1, 2, ...): callers keep per-record tables in arrays by it. */
  readonly id: number;
  readonly fields: GeoFields;
  /** Field -> source id, for the non-null fields (shared, frozen). */
  readonly sources: Readonly<Record<string, string>>;
}

/** The network fields and institution of an address: one shared object per distinct answer (an ASN row, say). */
export interface NetworkPart {
  /** Dense number per engine (0, 1, 2, ...): callers keep per-part tables in arrays by it. */
  readonly id: number;
  readonly asn: number | null;
  readonly asOrg: string | null;
  readonly isp: string | null;
  readonly organization: string | null;
  readonly institution: Institution | null;
  /** Which source gave each field, as "field=token\n" lines in assignment order. */
  readonly assigned: string;
  /** Geo sources object (or none) -> the address's whole sources object. */
  readonly sourcesByGeo: Map<object | null, Readonly<Record<string, string>>>;
}

/**
 * One lookup as shared pieces, without an object per address: the engine's own cursor,
 * overwritten by its next resolve. attributionOf() turns it into an IpAttribution.
 */
export interface LookupParts {
  /** Canonical text of the address (the input as given when it is not one). */
  text: string;
  valid: boolean;
  special: SpecialRange | null;
  geo: MappedGeo | null;
  network: NetworkPart;
  sources: Readonly<Record<string, string>>;
}

/** compute() did not search the ASN index (another source answered). */
const NO_ROW = -2;

const GEO_FIELD_NAMES = ['country', 'countryName', 'region', 'city', 'latitude', 'longitude', 'registeredCountry'] as const;

export class GeoLookupEngine {
  private readonly memo = new Map<string, IpAttribution>();
  /** ASN index row of each remembered address (-1: none), so route() reuses the lookup's search. */
  private readonly rowMemo = new Map<string, number>();
  /** The ASN index row compute() found (-1: none), or NO_ROW when it did not search the index. */
  private lastRow = NO_ROW;
  /** Each special-purpose block's CIDR, parsed once. */
  private readonly specialBlocks = new WeakMap<SpecialRange, [number, number] | [bigint, bigint] | null>();
  private readonly memoEntries: number;
  /** Per decoded record (maxmind returns the same object for the same data offset) and source. */
  private readonly geoMemo = new Map<string, WeakMap<object, MappedGeo | null>>();
  private readonly networkMemo = new WeakMap<object, NetworkFields | null>();
  /** Per source: record pointer (from our own IPv4 tree walk) -> mapping. Records are few, addresses many. */
  private readonly geoByPointer = new Map<string, Map<number, MappedGeo | null>>();
  private readonly networkByPointer = new Map<string, Map<number, NetworkFields | null>>();
  private readonly institutionByAsn = new Map<number, { asOrg: string | null; institution: Institution | null }>();
  private readonly institutionMemo = new Map<string, Institution | null>();
  /** Geo sources object (or none) -> "field=source" lines -> the frozen sources object. */
  private readonly sourcesMemo = new Map<object | null, Map<string, Readonly<Record<string, string>>>>();
  /** Source ids are text from database metadata: the memo keys carry their numbers instead. */
  private readonly sourceTokens = new Map<string, number>();
  private readonly sourceIds: string[] = [];
  /** Network parts per ASN index row (no user network database), and per distinct answer otherwise. */
  private readonly networkByRowV4 = new Map<number, NetworkPart>();
  private readonly networkByRowV6 = new Map<number, NetworkPart>();
  private readonly networkByKey = new Map<string, NetworkPart>();
  /** No network fields at all (special-purpose, invalid, or no data for the address). */
  private readonly emptyNetwork: NetworkPart = { id: 0, asn: null, asOrg: null, isp: null, organization: null, institution: null, assigned: '', sourcesByGeo: new Map() };
  private nextNetworkId = 1;
  private nextGeoId = 0;
  private readonly cursor: LookupParts = { text: '', valid: false, special: null, geo: null, network: this.emptyNetwork, sources: {} };
  /** Databases whose lookups threw (corrupt data past our open-time checks): message per source. */
  readonly lookupErrors = new Map<string, string>();

  constructor(private readonly config: GeoServiceParts) {
    this.memoEntries = config.memoEntries ?? 200_000;
    for (const link of config.geoChain) {
      this.geoMemo.set(link.sourceId, new WeakMap());
      this.geoByPointer.set(link.sourceId, new Map());
    }
    for (const link of config.networkChain) this.networkByPointer.set(link.sourceId, new Map());
  }

  /** Never throws; invalid text comes back as an empty attribution with the text as given. */
  lookup(input: string): IpAttribution {
    const remembered = this.memo.get(input);
    if (remembered) return copyAttribution(remembered);
    const result = this.compute(input);
    // Shared by every copy handed out for this address: frozen so no caller edits the others'.
    Object.freeze(result.sources);
    if (this.memoEntries > 0) {
      if (this.memo.size >= this.memoEntries) {
        this.memo.clear();
        this.rowMemo.clear();
      }
      this.memo.set(input, result);
      if (this.lastRow !== NO_ROW) this.rowMemo.set(input, this.lastRow);
    }
    return copyAttribution(result);
  }

  /** One uncached lookup (no per-address memo), for benchmarks and tests. */
  compute(input: string): IpAttribution {
    const parts = this.resolve(input);
    return parts.valid ? attributionOf(parts) : emptyAttribution(input);
  }

  /** The lookup as shared pieces in the engine's cursor (valid until the next resolve), without the per-address memo. */
  resolve(input: string): LookupParts {
    this.lastRow = NO_ROW;
    const v4 = ipv4ToInt(input);
    if (v4 >= 0) return this.resolveAddress(input, v4, null);
    // Plain IPv6 text takes the fast path; brackets, zones, IPv4-mapped and anything odd go
    // through parseIpAddress (which unmaps ::ffff:a.b.c.d to IPv4).
    const plain = input.includes(':') && !input.includes('.') && !input.includes('[') && !input.includes('%') ? parseIpv6Words(input) : null;
    if (plain && !(plain[0] === 0 && plain[1] === 0 && plain[2] === 0xffff)) return this.resolveAddress(formatIpv6Words(plain), -1, plain);
    const parsed = parseIpAddress(input);
    if (!parsed) {
      const parts = this.cursor;
      parts.text = input;
      parts.valid = false;
      parts.special = null;
      parts.geo = null;
      parts.network = this.emptyNetwork;
      parts.sources = this.internSources(null, '');
      return parts;
    }
    return parsed.version === 4 ? this.resolveAddress(parsed.text, ipv4ToInt(parsed.text), null) : this.resolveAddress(parsed.text, -1, ipv6ToWords(parsed.text));
  }

  /** resolve() of a dotted quad already parsed: `value` is ipv4ToInt(text). */
  resolveV4(text: string, value: number): LookupParts {
    this.lastRow = NO_ROW;
    return this.resolveAddress(text, value, null);
  }

  private resolveAddress(text: string, v4: number, words: readonly number[] | null): LookupParts {
    const parts = this.cursor;
    parts.text = text;
    parts.valid = true;
    const special = words ? specialRangeV6(words) : specialRangeV4(v4);
    parts.special = special;
    if (special) {
      parts.geo = null;
      parts.network = this.emptyNetwork;
      parts.sources = this.internSources(null, `special=${this.token(this.config.specialSourceId)}\n`);
      return parts;
    }
    let geo: MappedGeo | null = null;
    const version = words ? 6 : 4;
    // The first database with a record supplies all geographic fields.
    for (const link of this.config.geoChain) {
      if (version === 6 && link.ipVersion === 4) continue; // an IPv4-only tree answers garbage for IPv6
      geo = this.geoOf(link, text, v4, words);
      if (geo) break;
    }
    parts.geo = geo;
    const network = this.config.networkChain.length === 0 ? this.indexNetwork(v4, words) : this.chainNetwork(text, v4, words);
    parts.network = network;
    const geoSources = geo ? geo.sources : null;
    let sources = network.sourcesByGeo.get(geoSources);
    if (!sources) {
      sources = this.internSources(geoSources, network.assigned);
      network.sourcesByGeo.set(geoSources, sources);
    }
    parts.sources = sources;
    return parts;
  }

  /** Network fields from the ASN index alone (no user ASN/ISP database): one part per index row. */
  private indexNetwork(v4: number, words: readonly number[] | null): NetworkPart {
    const asn = this.config.asnIndex;
    if (!asn) return this.emptyNetwork;
    const row = words ? asn.table.rowV6(words) : asn.table.rowV4(v4);
    this.lastRow = row;
    if (row < 0) return this.emptyNetwork;
    const byRow = words ? this.networkByRowV6 : this.networkByRowV4;
    let network = byRow.get(row);
    if (network === undefined) {
      // Rows of one AS and name (many) share one part, and so its institution and rendered text.
      const v6 = words !== null;
      const key = `${asn.table.asnAt(row, v6)}\u0000${asn.table.orgIdAt(row, v6)}`;
      network = this.networkByKey.get(key);
      if (network === undefined) {
        network = this.networkFromFields(null, null, null, null, null, '', asn, row, v6);
        this.networkByKey.set(key, network);
      }
      byRow.set(row, network);
    }
    return network;
  }

  /** Network fields from the user's ASN/ISP/Enterprise/City databases, then the ASN index. */
  private chainNetwork(text: string, v4: number, words: readonly number[] | null): NetworkPart {
    let asnValue: number | null = null;
    let asOrg: string | null = null;
    let isp: string | null = null;
    let organization: string | null = null;
    let userType: string | null = null;
    let assigned = '';
    const version = words ? 6 : 4;
    for (const link of this.config.networkChain) {
      if (version === 6 && link.ipVersion === 4) continue;
      const fields = this.networkOf(link, text, v4, words);
      if (!fields) continue;
      if (asnValue === null && fields.asn !== null) {
        asnValue = fields.asn;
        assigned += `asn=${this.token(link.sourceId)}\n`;
      }
      // GeoIP2-ISP has the number but not the name for 12.81.92.1 (AS7018); GeoLite2-ASN has both.
      if (asOrg === null && fields.asOrg !== null && fields.asn === asnValue) {
        asOrg = fields.asOrg;
        assigned += `asOrg=${this.token(link.sourceId)}\n`;
      }
      if (isp === null && fields.isp !== null) {
        isp = fields.isp;
        assigned += `isp=${this.token(link.sourceId)}\n`;
      }
      if (organization === null && fields.organization !== null) {
        organization = fields.organization;
        assigned += `organization=${this.token(link.sourceId)}\n`;
      }
      userType ??= fields.userType;
    }
    const asn = this.config.asnIndex;
    let row = -1;
    if (asn && (asnValue === null || asOrg === null)) {
      row = words ? asn.table.rowV6(words) : asn.table.rowV4(v4);
      this.lastRow = row;
    }
    const key = `${asnValue ?? ''}\u0000${asOrg ?? ''}\u0000${isp ?? ''}\u0000${organization ?? ''}\u0000${userType ?? ''}\u0000${assigned}\u0000${row < 0 ? '' : `${version}:${row}`}`;
    let network = this.networkByKey.get(key);
    if (network === undefined) {
      network = this.networkFromFields(asnValue, asOrg, isp, organization, userType, assigned, row < 0 ? null : asn, row, words !== null);
      this.networkByKey.set(key, network);
    }
    return network;
  }

  /** The chain's fields completed from an ASN index row (when given), and the institution. */
  private networkFromFields(
    asnValue: number | null,
    asOrg: string | null,
    isp: string | null,
    organization: string | null,
    userType: string | null,
    assigned: string,
    asn: { sourceId: string; table: AsnTable } | null,
    row: number,
    v6: boolean,
  ): NetworkPart {
    // The index's organisation id when the AS name is the index's: its facts were computed at install.
    let orgId = -1;
    if (asn && row >= 0) {
      const rowAsn = asn.table.asnAt(row, v6);
      const org = asn.table.orgAt(row, v6);
      if (asnValue === null) {
        asnValue = rowAsn;
        assigned += `asn=${this.token(asn.sourceId)}\n`;
      }
      // A MaxMind ASN record without an organisation (216.160.83.56 -> AS209 in GeoLite2-ASN-Test)
      // borrows the name from the index only when both agree on the number.
      if (asOrg === null && org !== '' && asnValue === rowAsn) {
        asOrg = org;
        orgId = asn.table.orgIdAt(row, v6);
        assigned += `asOrg=${this.token(asn.sourceId)}\n`;
      }
    }
    const institution = this.institutionOf(asnValue, asOrg, userType, orgId);
    if (institution) assigned += `institution=${this.token(this.config.institutionSourceId)}\n`;
    return { id: this.nextNetworkId++, asn: asnValue, asOrg, isp, organization, institution, assigned, sourcesByGeo: new Map() };
  }

  /**
   * The routed block that holds the address: its special-purpose block, else the largest aligned
   * block of its ASN data row (rows merge adjacent announcements of one AS, so they need not be
   * CIDR blocks). Null for invalid text and addresses no row covers.
   */
  route(input: string): RoutePrefix | null {
    // An address looked up before: its special block or ASN row is known, and its text is canonical.
    const remembered = this.memo.get(input);
    if (remembered) {
      const row = remembered.special ? -1 : this.rowMemo.get(input);
      if (remembered.special || row !== undefined) {
        const v4 = ipv4ToInt(remembered.ip);
        const words = v4 < 0 ? parseIpv6Words(remembered.ip) : null;
        if (v4 >= 0 || words) return this.routeOf(v4, words, remembered.special, row as number);
      }
    }
    const parsed = parseIpAddress(input);
    if (!parsed) return null;
    const v4 = parsed.version === 4 ? ipv4ToInt(parsed.text) : -1;
    const words = parsed.version === 6 ? ipv6ToWords(parsed.text) : null;
    const special = words ? specialRangeV6(words) : specialRangeV4(v4);
    const table = this.config.asnIndex?.table;
    const row = special || !table ? -1 : words ? table.rowV6(words) : table.rowV4(v4);
    return this.routeOf(v4, words, special, row);
  }

  /** The largest aligned block of the special block or ASN row that holds the address. */
  private routeOf(v4: number, words: readonly number[] | null, special: SpecialRange | null, row: number): RoutePrefix | null {
    let range: [number, number] | [bigint, bigint] | null = null;
    if (special) {
      range = this.specialBlocks.get(special) ?? null;
      if (!this.specialBlocks.has(special)) {
        const block = parseCidr(special.prefix);
        range = block ? (words ? [block.start, block.end] : [Number(block.start), Number(block.end)]) : null;
        this.specialBlocks.set(special, range);
      }
    } else if (row >= 0) {
      range = (this.config.asnIndex as { table: AsnTable }).table.rangeAt(row, words !== null);
    }
    if (!range) return null;
    if (!words) {
      const length = largestBlockV4(v4, range[0] as number, range[1] as number);
      return { version: 4, network: (v4 & v4Mask(length)) >>> 0, length };
    }
    const address = wordsToBigInt(words);
    const length = largestBlockV6(address, range[0] as bigint, range[1] as bigint);
    return { version: 6, network: address & v6Mask(length), length };
  }

  private token(sourceId: string): number {
    let token = this.sourceTokens.get(sourceId);
    if (token === undefined) {
      token = this.sourceIds.length;
      this.sourceIds.push(sourceId);
      this.sourceTokens.set(sourceId, token);
    }
    return token;
  }

  /** The geo fields' sources followed by the fields assigned after them, as one shared frozen object. */
  private internSources(geo: Readonly<Record<string, string>> | null, assigned: string): Record<string, string> {
    let byAssigned = this.sourcesMemo.get(geo);
    if (!byAssigned) {
      byAssigned = new Map();
      this.sourcesMemo.set(geo, byAssigned);
    }
    let sources = byAssigned.get(assigned);
    if (!sources) {
      const built: Record<string, string> = { ...geo };
      for (const line of assigned.split('\n')) {
        const equals = line.indexOf('=');
        if (equals > 0) built[line.slice(0, equals)] = this.sourceIds[Number(line.slice(equals + 1))] as string;
      }
      sources = Object.freeze(built);
      byAssigned.set(assigned, sources);
    }
    return sources as Record<string, string>;
  }

  private safeGet(link: ChainedReader, text: string): object | null {
    try {
      const record = link.reader.get(text);
      return typeof record === 'object' && record !== null ? record : null;
    } catch (error) {
      if (!this.lookupErrors.has(link.sourceId)) this.lookupErrors.set(link.sourceId, (error as Error).message);
      return null;
    }
  }

  /** Mapped geography of the record for this address in one database, or null. */
  private geoOf(link: ChainedReader, text: string, v4: number, words: readonly number[] | null): MappedGeo | null {
    if (words ? link.ipv6Walker : link.ipv4Walker) {
      const pointer = this.safeWalk(link, v4, words);
      if (pointer < 0) return null;
      const byPointer = this.geoByPointer.get(link.sourceId) as Map<number, MappedGeo | null>;
      let mapped = byPointer.get(pointer);
      if (mapped === undefined) {
        const record = this.recordAt(link, pointer, text, true);
        mapped = record === null ? null : this.mapGeo(link.sourceId, record, false);
        byPointer.set(pointer, mapped);
      }
      return mapped;
    }
    const record = this.safeGet(link, text);
    return record === null ? null : this.mapGeo(link.sourceId, record, true);
  }

  private networkOf(link: ChainedReader, text: string, v4: number, words: readonly number[] | null): NetworkFields | null {
    if (words ? link.ipv6Walker : link.ipv4Walker) {
      const pointer = this.safeWalk(link, v4, words);
      if (pointer < 0) return null;
      const byPointer = this.networkByPointer.get(link.sourceId) as Map<number, NetworkFields | null>;
      let fields = byPointer.get(pointer);
      if (fields === undefined) {
        const record = this.recordAt(link, pointer, text);
        fields = record === null ? null : mapNetworkRecord(record);
        byPointer.set(pointer, fields);
      }
      return fields;
    }
    const record = this.safeGet(link, text);
    return record === null ? null : this.mapNetwork(record);
  }

  private recordAt(link: ChainedReader, pointer: number, text: string, geoKeysOnly = false): object | null {
    const decode = (geoKeysOnly ? link.geoRecordAt : null) ?? link.recordAt;
    if (!decode) return this.safeGet(link, text);
    try {
      const record = decode(pointer);
      return typeof record === 'object' && record !== null ? record : null;
    } catch (error) {
      if (!this.lookupErrors.has(link.sourceId)) this.lookupErrors.set(link.sourceId, (error as Error).message);
      return null;
    }
  }

  private safeWalk(link: ChainedReader, v4: number, words: readonly number[] | null): number {
    try {
      return words ? (link.ipv6Walker as (words: readonly number[]) => number)(words) : (link.ipv4Walker as (value: number) => number)(v4);
    } catch (error) {
      if (!this.lookupErrors.has(link.sourceId)) this.lookupErrors.set(link.sourceId, (error as Error).message);
      return -1;
    }
  }

  /**
   * The mapping of a decoded record. `remember`: per record object, for readers that hand out
   * the same object for the same record (records found by pointer are remembered by pointer).
   */
  private mapGeo(sourceId: string, record: object, remember: boolean): MappedGeo | null {
    const memo = remember ? this.geoMemo.get(sourceId) : undefined;
    let mapped = memo?.get(record);
    if (mapped === undefined) {
      const fields = mapGeoRecord(record);
      mapped = null;
      if (fields) {
        let present = '';
        for (const name of GEO_FIELD_NAMES) if (fields[name] !== null) present += `${name}=${this.token(sourceId)}\n`;
        mapped = { id: this.nextGeoId++, fields, sources: this.internSources(null, present) };
      }
      memo?.set(record, mapped);
    }
    return mapped;
  }

  private mapNetwork(record: object): NetworkFields | null {
    let fields = this.networkMemo.get(record);
    if (fields === undefined) {
      fields = mapNetworkRecord(record);
      this.networkMemo.set(record, fields);
    }
    return fields;
  }

  private institutionOf(asn: number | null, asOrg: string | null, userType: string | null, orgId: number): Institution | null {
    if (asn === null && asOrg === null && userType === null) return null;
    // Fast path: one institution per ASN (the AS name comes from the same table every time).
    if (asn !== null && userType === null) {
      const known = this.institutionByAsn.get(asn);
      if (known && known.asOrg === asOrg) return known.institution;
    }
    const key = `${asn ?? ''}\u0000${asOrg ?? ''}\u0000${userType ?? ''}`;
    let institution = this.institutionMemo.get(key);
    if (institution === undefined) {
      const facts = orgId >= 0 && userType === null ? (this.config.institutionFacts?.factsOf(orgId) ?? null) : null;
      const classified = facts ? classifyWithAsNameFacts(asn, asOrg, facts) : classifyInstitution({ asn, asOrg, ptrNames: [], userType });
      // Shared between addresses of one network: frozen so nobody edits everyone's copy.
      institution = classified ? Object.freeze({ ...classified, evidence: Object.freeze([...classified.evidence]) as string[] }) : null;
      this.institutionMemo.set(key, institution);
    }
    if (asn !== null && userType === null) this.institutionByAsn.set(asn, { asOrg, institution });
    return institution;
  }
}

/** The attribution of a resolved address (its nested objects shared and frozen). */
export function attributionOf(parts: LookupParts): IpAttribution {
  const fields = parts.geo?.fields;
  const network = parts.network;
  return {
    ip: parts.text,
    special: parts.special,
    country: fields ? fields.country : null,
    countryName: fields ? fields.countryName : null,
    region: fields ? fields.region : null,
    city: fields ? fields.city : null,
    latitude: fields ? fields.latitude : null,
    longitude: fields ? fields.longitude : null,
    asn: network.asn,
    asOrg: network.asOrg,
    isp: network.isp,
    organization: network.organization,
    registeredCountry: fields ? fields.registeredCountry : null,
    institution: network.institution,
    sources: parts.sources as Record<string, string>,
  };
}

/** Callers may replace top-level fields of what they get (the pipeline refines institution after rDNS). */
function copyAttribution(a: IpAttribution): IpAttribution {
  // An explicit literal: V8 builds it far faster than a spread of the same object.
  // `sources` (and `institution`, `special`) are frozen and shared: replace them, do not edit them.
  return {
    ip: a.ip,
    special: a.special,
    country: a.country,
    countryName: a.countryName,
    region: a.region,
    city: a.city,
    latitude: a.latitude,
    longitude: a.longitude,
    asn: a.asn,
    asOrg: a.asOrg,
    isp: a.isp,
    organization: a.organization,
    registeredCountry: a.registeredCountry,
    institution: a.institution,
    sources: a.sources,
  };
}
