// Compact, sorted IP-range -> ASN index over the @ip-location-db/asn CSVs
// (RouteViews + NRO + DB-IP): typed arrays (IPv6 as four 32-bit words per address)
// searched by bisection. Built by asn-index-build.ts, cached by asn-index-cache.ts.
import { wordsToBigInt } from '../../net/prefix.js';

export interface AsnIndex {
  v4Start: Uint32Array;
  v4End: Uint32Array;
  v4Asn: Uint32Array;
  /** Index into orgNames per row. */
  v4Org: Uint32Array;
  /** Four words per row. */
  v6Start: Uint32Array;
  v6End: Uint32Array;
  v6Asn: Uint32Array;
  v6Org: Uint32Array;
  /** Deduplicated, sanitized AS organisation names; '' = none. */
  orgNames: string[];
  /** Rows that could not be read (bad numbers, bad addresses, start > end). */
  skippedRows: number;
}

/** Row of the IPv4 address (unsigned 32-bit integer), or -1. */
export function findAsnRowV4(index: AsnIndex, value: number): number {
  const starts = index.v4Start;
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) <= value) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found >= 0 && value <= (index.v4End[found] as number) ? found : -1;
}

function compareWords(array: Uint32Array, row: number, words: readonly number[]): number {
  const base = row * 4;
  for (let i = 0; i < 4; i++) {
    const diff = (array[base + i] as number) - (words[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Row of the IPv6 address (four 32-bit words), or -1. */
export function findAsnRowV6(index: AsnIndex, words: readonly number[]): number {
  let low = 0;
  let high = index.v6Asn.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compareWords(index.v6Start, middle, words) <= 0) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found >= 0 && compareWords(index.v6End, found, words) >= 0 ? found : -1;
}

/**
 * What the lookup needs of an ASN index, whether it is in memory (just built from the
 * CSVs) or read from its file a few pages at a time (asn-index-cache.ts).
 */
export interface AsnTable {
  /** Row of the IPv4 address (unsigned 32-bit integer), or -1. */
  rowV4(value: number): number;
  /** Row of the IPv6 address (four 32-bit words), or -1. */
  rowV6(words: readonly number[]): number;
  asnAt(row: number, v6: boolean): number;
  /** The row's AS organisation ('' = none). */
  orgAt(row: number, v6: boolean): string;
  /** The row's first and last address: IPv4 as numbers, IPv6 as 128-bit integers. */
  rangeAt(row: number, v6: boolean): [number, number] | [bigint, bigint];
  /** The row's organisation id: its position among the index's distinct names (orgCount of them). */
  orgIdAt(row: number, v6: boolean): number;
  readonly orgCount: number;
}

export function asnTableOf(index: AsnIndex): AsnTable {
  return {
    rowV4: (value) => findAsnRowV4(index, value),
    rowV6: (words) => findAsnRowV6(index, words),
    asnAt: (row, v6) => (v6 ? index.v6Asn[row] : index.v4Asn[row]) as number,
    orgAt: (row, v6) => index.orgNames[(v6 ? index.v6Org[row] : index.v4Org[row]) as number] ?? '',
    rangeAt: (row, v6) =>
      v6
        ? [wordsToBigInt(index.v6Start.subarray(row * 4, row * 4 + 4)), wordsToBigInt(index.v6End.subarray(row * 4, row * 4 + 4))]
        : [index.v4Start[row] as number, index.v4End[row] as number],
    orgIdAt: (row, v6) => (v6 ? index.v6Org[row] : index.v4Org[row]) as number,
    orgCount: index.orgNames.length,
  };
}
