// `lookup` output, written as it is produced: CSV rows and JSON array elements go
// out in chunks, so 50,000 addresses never become one 40 MB string or 50,000 live
// result objects. The bytes are exactly what papaparse's unparse (CSV) and
// JSON.stringify(results, null, 2) (JSON) printed.
import { sanitizeText } from '../net/sanitize.js';
import { escapeCsvCell } from '../output/escape.js';
import type { LookupResult } from './lookup.js';
import { alignRow, fitWidths } from '../output/align.js';

/** Where output goes: a stream's write, collected by tests. */
export interface OutputSink {
  write(text: string): unknown;
}

const CHUNK_CHARS = 64 * 1024;

/** Buffers small pieces into chunks of about CHUNK_CHARS. */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: OutputSink) {}
  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.sink.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

export interface LookupWriter {
  row(result: LookupResult): void;
  end(): void;
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
  const institutionCells = new WeakMap<object, string>();
  return {
    row(result) {
      let institution = '';
      if (result.institution) {
        institution = institutionCells.get(result.institution) ?? '';
        if (institution === '') {
          institution = `${csvText(result.institution.name)},${csvText(result.institution.type)},${csvText(result.institution.evidence.join('; '))}`;
          institutionCells.set(result.institution, institution);
        }
      } else institution = ',,';
      out.push(
        `\n${csvText(result.ip)},${csvText(result.special?.kind)},${csvText(result.country)},${csvText(result.countryName)},${csvText(result.region)},${csvText(result.city)},` +
          `${result.latitude === null ? '' : String(result.latitude)},${result.longitude === null ? '' : String(result.longitude)},${result.asn === null ? '' : String(result.asn)},` +
          `${csvText(result.asOrg)},${institution},${csvCell(result.rdns.status)},${csvText(result.rdns.names.join(' '))},${csvText(result.error)}` +
          (extra ? `,${extra.cells(result).map(csvText).join(',')}` : ''),
      );
    },
    end() {
      out.push('\n');
      out.flush();
    },
  };
}

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
  let first = true;
  return {
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
