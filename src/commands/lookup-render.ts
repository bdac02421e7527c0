// `lookup` output, written as it is produced: CSV rows and JSON array elements go
// out in chunks, so 50,000 addresses never become one 40 MB string or 50,000 live
// result objects. The bytes are exactly what papaparse's unparse (CSV) and
// JSON.stringify(results, null, 2) (JSON) printed.
import type { Institution } from '../model/attribution.js';
import type { LookupParts } from '../enrich/geo/index.js';
import { sanitizeText } from '../net/sanitize.js';
import { escapeCsvCell } from '../output/escape.js';
import type { LookupResult } from './lookup.js';
import { alignRow, fitWidths } from '../output/align.js';

/** Where output goes: a stream's write, collected by tests. */
export interface OutputSink {
  write(text: string): unknown;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Collects output as UTF-8 in one reused buffer and hands it to the sink a chunk of about
 * CHUNK_BYTES at a time: a row's pieces are copied in, not concatenated into strings of their own.
 */
class ChunkedWriter {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  constructor(private readonly sink: OutputSink) {}

  push(text: string): void {
    // At most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > CHUNK_BYTES) {
      this.flush();
      if (text.length * 3 > CHUNK_BYTES) {
        this.sink.write(text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /**
   * The text of an address when it has only the characters of one (hex digits, '.', ':'), which
   * no CSV or JSON rule changes; false (nothing written) for anything else.
   */
  pushAddress(text: string): boolean {
    if (this.used + text.length > CHUNK_BYTES) this.flush();
    const buffer = this.buffer;
    let at = this.used;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!((code >= 48 && code <= 58) || code === 46 || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))) return false;
      buffer[at++] = code;
    }
    this.used = at;
    return true;
  }

  flush(): void {
    if (this.used === 0) return;
    this.sink.write(this.buffer.toString('utf8', 0, this.used));
    this.used = 0;
  }
}

export interface LookupWriter {
  row(result: LookupResult): void;
  /**
   * The same row as row() of the address's LookupResult, for a looked-up address that is not
   * special-purpose and has no reverse DNS answer (rdns skipped). Rows are assembled from text
   * kept per database record and per network answer, so many addresses cost little more than
   * their own address text. Absent: the writer takes every row through row().
   */
  parts?(parts: LookupParts): void;
  end(): void;
}

/** Without an answer (--no-dns, or an invalid item): one shared summary, serialised once. */
export const SKIPPED_SUMMARY: LookupResult['rdns'] = Object.freeze({ status: 'skipped', names: Object.freeze([]) as unknown as string[], ttl: null, server: null });

/** Text kept per numbered shared piece (a mapped record, a network part): made on first sight, kept in an array by id. */
function memoById<K extends { readonly id: number }>(render: (key: K) => string): (key: K) => string {
  const texts: string[] = [];
  return (key) => texts[key.id] ?? (texts[key.id] = render(key));
}

/**
 * memoText for keys that are few (the sources objects of a run: one per kind of answer): an
 * identity scan of a short list, no hashing; past a few dozen keys, memoText's map.
 */
function memoFew<K extends object>(render: (key: K) => string): (key: K) => string {
  const keys: K[] = [];
  const texts: string[] = [];
  const many = memoText(render);
  return (key) => {
    const index = keys.indexOf(key);
    if (index >= 0) return texts[index] as string;
    if (keys.length >= 32) return many(key);
    const text = render(key);
    keys.push(key);
    texts.push(text);
    return text;
  };
}

/** Text kept per shared object (an institution): made on first sight. */
function memoText<K extends object>(render: (key: K) => string): (key: K) => string {
  // A Map, not a WeakMap: the keys live as long as the lookup anyway, and ephemerons slow the GC.
  const texts = new Map<K, string>();
  return (key) => {
    let text = texts.get(key);
    if (text === undefined) {
      text = render(key);
      texts.set(key, text);
    }
    return text;
  };
}

export const CSV_FIELDS = ['ip', 'special', 'country', 'countryName', 'region', 'city', 'latitude', 'longitude', 'asn', 'asOrg', 'institution', 'institutionType', 'institutionEvidence', 'rdnsStatus', 'rdnsNames', 'error'] as const;

/** papaparse's quoting: a cell with a quote, comma, CR, LF or BOM, or a space at either end, is quoted. */
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

function csvCell(value: string): string {
  if (value === '' || !NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** An untrusted text cell: formula-neutralised, then quoted as needed. */
function csvText(value: string | null | undefined): string {
  return value ? csvCell(escapeCsvCell(value)) : '';
}

/** Columns added after the standard ones (registration data, blocklists) when those are in use. */
export interface ExtraCsvColumns {
  fields: readonly string[];
  cells(result: LookupResult): (string | null | undefined)[];
}

export function csvWriter(sink: OutputSink, extra?: ExtraCsvColumns): LookupWriter {
  const out = new ChunkedWriter(sink);
  out.push([...CSV_FIELDS, ...(extra?.fields ?? [])].map(csvCell).join(','));
  // Per shared institution object: its three cells, joined once.
  const institutionCells = memoText((institution: Institution) => `${csvText(institution.name)},${csvText(institution.type)},${csvText(institution.evidence.join('; '))}`);
  // From `country` to `longitude`, and from `asn` to the end (rDNS skipped, no error).
  const geoCells = memoById((geo: NonNullable<LookupParts['geo']>) => {
    const f = geo.fields;
    return `,,${csvText(f.country)},${csvText(f.countryName)},${csvText(f.region)},${csvText(f.city)},${f.latitude === null ? '' : String(f.latitude)},${f.longitude === null ? '' : String(f.longitude)}`;
  });
  const noGeoCells = ',,,,,,,';
  const networkCells = memoById(
    (network: LookupParts['network']) =>
      `,${network.asn === null ? '' : String(network.asn)},${csvText(network.asOrg)},${network.institution ? institutionCells(network.institution) : ',,'},${csvCell(SKIPPED_SUMMARY.status)},,`,
  );
  return {
    row(result) {
      const institution = result.institution ? institutionCells(result.institution) : ',,';
      out.push(
        `\n${csvText(result.ip)},${csvText(result.special?.kind)},${csvText(result.country)},${csvText(result.countryName)},${csvText(result.region)},${csvText(result.city)},` +
          `${result.latitude === null ? '' : String(result.latitude)},${result.longitude === null ? '' : String(result.longitude)},${result.asn === null ? '' : String(result.asn)},` +
          `${csvText(result.asOrg)},${institution},${csvCell(result.rdns.status)},${csvText(result.rdns.names.join(' '))},${csvText(result.error)}` +
          (extra ? `,${extra.cells(result).map(csvText).join(',')}` : ''),
      );
    },
    // Extra columns come from the result object: then every row goes through row().
    ...(extra
      ? {}
      : {
          parts(parts: LookupParts) {
            out.push('\n');
            if (!out.pushAddress(parts.text)) out.push(csvText(parts.text));
            out.push(parts.geo ? geoCells(parts.geo) : noGeoCells);
            out.push(networkCells(parts.network));
          },
        }),
    end() {
      out.push('\n');
      out.flush();
    },
  };
}

/** A row of the JSON array up to the address's text, and from there to `special` (never special here). */
const FIRST_IP_MEMBER = '[\n  {\n    "ip": "';
const NEXT_IP_MEMBER = ',\n  {\n    "ip": "';
const AFTER_IP = '",\n    "special": null';

/** Property lines of a row sit at depth 2 of the array: their nested lines move right by this. */
const NESTED_INDENT = '\n    ';

/**
 * JSON.stringify(results, null, 2), a row at a time. V8's serializer with an indent is its slow
 * path, so a row is assembled here: each property as JSON.stringify would print it, and the
 * shared frozen objects a lookup hands out (sources, institution, special, the skipped-rDNS
 * summary) serialised once each. Anything else goes through JSON.stringify itself.
 */
export function jsonWriter(sink: OutputSink): LookupWriter {
  const out = new ChunkedWriter(sink);
  const keyPrefixes = new Map<string, string>();
  /** Frozen objects cannot change between rows: their text is kept. */
  const frozenText = new WeakMap<object, string>();
  const objectText = (value: object): string => {
    const frozen = Object.isFrozen(value);
    let text = frozen ? frozenText.get(value) : undefined;
    if (text === undefined) {
      text = (JSON.stringify(value, null, 2) as string | undefined)?.replace(/\n/g, NESTED_INDENT) ?? '';
      if (frozen) frozenText.set(value, text);
    }
    return text;
  };
  const jsonValue = (value: string | number | null): string => (value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : Number.isFinite(value) ? String(value) : 'null');
  // The members of a row from `country` to `longitude`, and from `asn` to `institution`.
  const geoMembers = memoById((geo: NonNullable<LookupParts['geo']>) => {
    const f = geo.fields;
    return `,\n    "country": ${jsonValue(f.country)},\n    "countryName": ${jsonValue(f.countryName)},\n    "region": ${jsonValue(f.region)},\n    "city": ${jsonValue(f.city)},\n    "latitude": ${jsonValue(f.latitude)},\n    "longitude": ${jsonValue(f.longitude)}`;
  });
  const noGeoMembers = ',\n    "country": null,\n    "countryName": null,\n    "region": null,\n    "city": null,\n    "latitude": null,\n    "longitude": null';
  const networkMembers = memoById(
    (network: LookupParts['network']) =>
      `,\n    "asn": ${jsonValue(network.asn)},\n    "asOrg": ${jsonValue(network.asOrg)},\n    "institution": ${network.institution ? objectText(network.institution) : 'null'}`,
  );
  // The skipped rDNS summary, then the sources (shared frozen objects, a handful) to the row's end.
  const sourcesMembers = memoFew((sources: object) => `,\n    "rdns": ${objectText(SKIPPED_SUMMARY)},\n    "sources": ${objectText(sources)}\n  }`);
  let first = true;
  return {
    parts(parts) {
      out.push(first ? FIRST_IP_MEMBER : NEXT_IP_MEMBER);
      first = false;
      if (!out.pushAddress(parts.text)) out.push(JSON.stringify(parts.text).slice(1, -1));
      out.push(AFTER_IP);
      out.push(parts.geo ? geoMembers(parts.geo) : noGeoMembers);
      out.push(networkMembers(parts.network));
      out.push(sourcesMembers(parts.sources));
    },
    row(result) {
      let text = first ? '[\n  {' : ',\n  {';
      first = false;
      let emitted = false;
      const record = result as unknown as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const value = record[key];
        let valueText: string;
        if (value === null) valueText = 'null';
        else if (typeof value === 'string') valueText = JSON.stringify(value);
        else if (typeof value === 'number') valueText = Number.isFinite(value) ? String(value) : 'null';
        else if (typeof value === 'boolean') valueText = value ? 'true' : 'false';
        else if (typeof value === 'bigint') valueText = JSON.stringify(value); // throws, as JSON.stringify does
        else if (typeof value === 'object') {
          valueText = objectText(value);
          if (valueText === '') continue;
        } else continue; // undefined, functions and symbols: JSON leaves the property out
        let prefix = keyPrefixes.get(key);
        if (prefix === undefined) {
          prefix = `\n    ${JSON.stringify(key)}: `;
          keyPrefixes.set(key, prefix);
        }
        text += emitted ? `,${prefix}${valueText}` : `${prefix}${valueText}`;
        emitted = true;
      }
      out.push(emitted ? `${text}\n  }` : `${text}}`);
    },
    end() {
      out.push(first ? '[]\n' : '\n]\n');
      out.flush();
    },
  };
}

/** Terminal text: no control characters, one line, bounded width. */
function cell(value: string, width: number): string {
  return sanitizeText(value.replace(/\s+/g, ' '), width);
}

const TABLE_HEADER = ['IP', 'COUNTRY', 'CITY', 'ASN', 'AS ORGANISATION', 'INSTITUTION', 'REVERSE DNS'];

/** Columns are as wide as their widest cell, so rows are kept (as text) until the end. */
export function tableWriter(sink: OutputSink): LookupWriter {
  const rows: string[][] = [];
  const widths = TABLE_HEADER.map((title) => title.length);
  return {
    row(result) {
      let row: string[];
      if (result.error) row = [cell(result.ip, 40), 'invalid', '', '', result.error, '', ''];
      else if (result.special) row = [result.ip, '-', '', '', `special: ${result.special.kind} (${result.special.prefix})`, '', result.rdns.names[0] ?? result.rdns.status];
      else {
        row = [
          result.ip,
          result.country ?? 'unknown',
          cell(result.city ?? result.region ?? '', 24),
          result.asn === null ? 'unknown' : `AS${result.asn}`,
          cell(result.asOrg ?? 'unknown', 40),
          result.institution ? result.institution.type : 'unknown',
          cell(result.rdns.names[0] ?? (result.rdns.status === 'ok' ? '' : result.rdns.status), 50),
        ];
      }
      fitWidths(widths, row);
      rows.push(row);
    },
    end() {
      const out = new ChunkedWriter(sink);
      const line = (row: string[]): string => alignRow(row, widths);
      out.push(line(TABLE_HEADER));
      for (const row of rows) out.push(`\n${line(row)}`);
      out.push('\n');
      out.flush();
    },
  };
}
