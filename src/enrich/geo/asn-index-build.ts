// Builds the AsnIndex from the @ip-location-db/asn CSVs with papaparse. Rows look like
//   16777216,16777471,13335,"Cloudflare, Inc."            (asn-ipv4-num.csv, inclusive integer range)
//   2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project   (asn-ipv6.csv)
// Only needed when the index cache is cold, so papaparse is not loaded on a warm start.
import Papa from 'papaparse';
import { sanitizeText } from '../../net/sanitize.js';
import { parseIpv6Words } from '../../net/ipv6-words.js';
import type { AsnIndex } from './asn-index.js';

interface Row<K> {
  start: K;
  end: K;
  asn: number;
  org: number;
}

class OrgTable {
  readonly names: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);
  /** Raw text -> id, so each distinct name is sanitized once (412k rows, 81k names). */
  private readonly rawIds = new Map<string, number>();
  id(raw: string | undefined): number {
    if (raw === undefined) return 0;
    const known = this.rawIds.get(raw);
    if (known !== undefined) return known;
    const name = sanitizeText(raw).trim();
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    this.rawIds.set(raw, id);
    return id;
  }
}

function parseRows(csv: string): string[][] {
  // papaparse handles the quoted names with commas ("Cloudflare, Inc.").
  return Papa.parse<string[]>(csv, { header: false, skipEmptyLines: true }).data;
}

function parseAsn(text: string | undefined): number {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return -1;
  const value = Number(text);
  return value <= 0xffffffff ? value : -1;
}

/**
 * Make ranges disjoint. The data has overlaps, e.g. 3596550144-3607166975 AS749 (DoD) and
 * 3607101440-3607167999 AS721: where ranges overlap the one that starts later (more specific) wins.
 */
function flatten<K>(rows: Row<K>[], compare: (a: K, b: K) => number, next: (k: K) => K, previous: (k: K) => K): Row<K>[] {
  const order = (a: Row<K>, b: Row<K>): number => compare(a.start, b.start) || compare(b.end, a.end) || a.asn - b.asn || a.org - b.org;
  // The CSVs come sorted: check in one pass before paying for a sort.
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = order(rows[i - 1] as Row<K>, rows[i] as Row<K>) <= 0;
  if (!sorted) rows.sort(order);
  const out: Row<K>[] = [];
  const stack: Row<K>[] = [];
  let cursor: K | null = null; // first address not yet emitted
  const emit = (row: Row<K>, from: K, to: K): void => {
    if (compare(from, to) > 0) return;
    const last = out[out.length - 1];
    if (last && last.asn === row.asn && last.org === row.org && compare(next(last.end), from) === 0) last.end = to;
    // Nearly every row is emitted whole: reuse it rather than allocate 400k more objects.
    else if (from === row.start && to === row.end && out[out.length - 1] !== row) out.push(row);
    else out.push({ start: from, end: to, asn: row.asn, org: row.org });
  };
  /** Emit the stacked rows that end before `limit` (all of them when limit is null). */
  const closeBefore = (limit: K | null): void => {
    for (let top = stack[stack.length - 1]; top; top = stack[stack.length - 1]) {
      if (cursor !== null && compare(top.end, cursor) < 0) {
        stack.pop(); // wholly covered by later, more specific rows
        continue;
      }
      if (limit !== null && compare(top.end, limit) >= 0) return;
      emit(top, cursor ?? top.start, top.end);
      cursor = next(top.end);
      stack.pop();
    }
  };
  for (const row of rows) {
    closeBefore(row.start);
    const top = stack[stack.length - 1];
    if (top && cursor !== null && compare(cursor, row.start) < 0) emit(top, cursor, previous(row.start));
    cursor = row.start;
    stack.push(row);
  }
  closeBefore(null);
  return out;
}

const compareNumbers = (a: number, b: number): number => a - b;

export function buildAsnIndex(ipv4NumCsv: string, ipv6Csv: string): AsnIndex {
  const orgs = new OrgTable();
  let skippedRows = 0;
  const v4Rows: Row<number>[] = [];
  for (const fields of parseRows(ipv4NumCsv)) {
    const start = parseAsn(fields[0]);
    const end = parseAsn(fields[1]);
    const asn = parseAsn(fields[2]);
    if (start < 0 || end < start || asn < 0) {
      skippedRows++;
      continue;
    }
    v4Rows.push({ start, end, asn, org: orgs.id(fields[3]) });
  }
  const v4 = flatten(v4Rows, compareNumbers, (k) => k + 1, (k) => k - 1);

  const v6Rows: Row<bigint>[] = [];
  for (const fields of parseRows(ipv6Csv)) {
    const startWords = fields[0] === undefined ? null : parseIpv6Words(fields[0]);
    const endWords = fields[1] === undefined ? null : parseIpv6Words(fields[1]);
    const start = startWords ? wordsToBigInt(startWords) : null;
    const end = endWords ? wordsToBigInt(endWords) : null;
    const asn = parseAsn(fields[2]);
    if (start === null || end === null || end < start || asn < 0) {
      skippedRows++;
      continue;
    }
    v6Rows.push({ start, end, asn, org: orgs.id(fields[3]) });
  }
  const v6 = flatten(v6Rows, (a, b) => (a < b ? -1 : a > b ? 1 : 0), (k) => k + 1n, (k) => k - 1n);

  const index: AsnIndex = {
    v4Start: Uint32Array.from(v4, (row) => row.start),
    v4End: Uint32Array.from(v4, (row) => row.end),
    v4Asn: Uint32Array.from(v4, (row) => row.asn),
    v4Org: Uint32Array.from(v4, (row) => row.org),
    v6Start: new Uint32Array(v6.length * 4),
    v6End: new Uint32Array(v6.length * 4),
    v6Asn: Uint32Array.from(v6, (row) => row.asn),
    v6Org: Uint32Array.from(v6, (row) => row.org),
    orgNames: orgs.names,
    skippedRows,
  };
  v6.forEach((row, i) => {
    index.v6Start.set(bigIntToWords(row.start), i * 4);
    index.v6End.set(bigIntToWords(row.end), i * 4);
  });
  return index;
}

function wordsToBigInt(words: readonly number[]): bigint {
  let value = 0n;
  for (const word of words) value = (value << 32n) | BigInt(word);
  return value;
}

function bigIntToWords(value: bigint): number[] {
  return [Number((value >> 96n) & 0xffffffffn), Number((value >> 64n) & 0xffffffffn), Number((value >> 32n) & 0xffffffffn), Number(value & 0xffffffffn)];
}

