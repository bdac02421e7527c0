// `netsleuth parse --summary` views: one row per remote address with counts by state.
// Each yields text in pieces from a row iterator, so 50k+ remotes never sit in memory as objects.
import { CONNECTION_STATES, type ConnectionState } from '../../model/connection.js';
import { escapeCsvCell } from '../../output/escape.js';
import type { RemoteSummaryRow, RemoteSummaryTable } from '../summary/remote-summary.js';
import { alignTable } from '../../output/align.js';
import { createSocketRows, socketRowScannerUnavailable } from '../summary/socket-row-scanner.js';

const ROWS_PER_CHUNK = 2000;

function* chunked(rows: Iterable<RemoteSummaryRow>, first: string, render: (row: RemoteSummaryRow, index: number) => string, last: string): Generator<string> {
  let parts: string[] = [first];
  let index = 0;
  for (const row of rows) {
    parts.push(render(row, index++));
    if (parts.length >= ROWS_PER_CHUNK) {
      yield parts.join('');
      parts = [];
    }
  }
  parts.push(last);
  yield parts.join('');
}

export function* summaryJsonChunks(rows: Iterable<RemoteSummaryRow>): Generator<string> {
  let wrote = false;
  for (const chunk of chunked(rows, '[', (row, index) => {
    wrote = true;
    return (index === 0 ? '\n  ' : ',\n  ') + JSON.stringify(row);
  }, '')) yield chunk;
  yield wrote ? '\n]\n' : ']\n';
}

/**
 * CSV columns: ip,connections, then one column per state (all states, fixed order).
 * Written by hand, not papaparse: 50k rows through Papa.unparse cost more than scanning 1M lines.
 * IPv4 rows are written as bytes straight from their integer keys: building a string per row
 * (14 number-to-string conversions and concatenations) cost ~150 ms for 50k remotes, the bytes ~10 ms.
 */
export function* summaryCsvChunks(table: RemoteSummaryTable, wasmMinRows = WASM_CSV_MIN_ROWS): Generator<Uint8Array> {
  const chunks: Uint8Array[] = [Buffer.from(['ip', 'connections', ...CONNECTION_STATES].join(',') + '\n', 'latin1')];
  const writer = new AsciiChunkWriter(chunks);
  const stored = table.storedRows();
  if (stored.keys.length >= wasmMinRows && socketRowScannerUnavailable() === null) {
    storedRowChunks(stored, chunks);
    yield* chunks;
    return;
  }
  table.visitRowsKeyed(
    (key, connections, c, o) => {
      writer.reserve(ROW_BYTES_MAX);
      writer.ipv4(key);
      writer.countsRow(connections, c, o);
    },
    (address, connections, c, o) => {
      writer.text(csvText(address));
      writer.reserve(ROW_BYTES_MAX);
      writer.countsRow(connections, c, o);
    },
  );
  writer.flush();
  yield* chunks;
}

/** Below this many IPv4 rows the JavaScript writer is as quick (no module instance to start). */
const WASM_CSV_MIN_ROWS = 4096;
const WASM_CSV_RUN_ROWS = 2048;

/**
 * The IPv4 rows ordered and formatted by the WebAssembly module (wasm/socket-rows.ts csvPrepare,
 * csvFormat) straight into its memory, handed on as views (no copy); the other rows (IPv6, names)
 * as text in between, each before the first IPv4 row with fewer connections, as
 * RemoteSummaryTable.rowOrder() places them.
 */
function storedRowChunks({ keys, counts, textRows }: ReturnType<RemoteSummaryTable['storedRows']>, chunks: Uint8Array[]): void {
  const { rows } = createSocketRows(16);
  const entries = keys.length;
  const keysAt = rows.allocate(keys.byteLength);
  const countsAt = rows.allocate(counts.byteLength);
  // Room for every row at its longest (and the four bytes the module may write past the end); only
  // the bytes written are ever touched.
  let out = rows.allocate(entries * ROW_BYTES_MAX + 4);
  new Uint32Array(rows.memory.buffer, keysAt, entries).set(keys);
  new Uint32Array(rows.memory.buffer, countsAt, counts.length).set(counts);
  rows.csvPrepare(keysAt, countsAt, entries);
  // No allocation from here on: the memory (and these views) stay where they are.
  const memory = rows.memory.buffer;
  const totals = new Uint32Array(memory, rows.csvTotalsPointer(), entries);
  let rank = 0;
  const ipv4RowsUpTo = (to: number) => {
    if (rank >= to) return;
    const start = out;
    // In runs: the module's code is optimised between calls, not during one.
    for (; rank < to; rank = Math.min(to, rank + WASM_CSV_RUN_ROWS)) out = rows.csvFormat(rank, Math.min(to, rank + WASM_CSV_RUN_ROWS), out);
    chunks.push(new Uint8Array(memory, start, out - start));
  };
  let text = '';
  for (const { address, row, total } of textRows) {
    // The first IPv4 row (from rank on) with fewer connections: totals descend.
    let low = rank;
    let high = entries;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (totals[middle]! < total) high = middle;
      else low = middle + 1;
    }
    if (low > rank && text !== '') {
      chunks.push(Buffer.from(text, 'utf8'));
      text = '';
    }
    ipv4RowsUpTo(low);
    text += `${csvText(address)},${total},${row.join(',')}\n`;
  }
  if (text !== '') chunks.push(Buffer.from(text, 'utf8'));
  ipv4RowsUpTo(entries);
}

/** 15 IPv4 characters + (1 + STATE_COUNT) counts of at most 16 digits each, with separators. */
const ROW_BYTES_MAX = 16 + (CONNECTION_STATES.length + 1) * 17 + 1;
const CHUNK_BYTES = 1 << 20;
const COMMA = 44;
const DOT = 46;
const NEWLINE = 10;
const ZERO = 48;
const OCTET_DIGITS = new Uint8Array(256 * 3);
const OCTET_LENGTHS = new Uint8Array(256);
for (let value = 0; value < 256; value++) {
  const digits = String(value);
  OCTET_LENGTHS[value] = digits.length;
  for (let i = 0; i < digits.length; i++) OCTET_DIGITS[value * 3 + i] = digits.charCodeAt(i);
}

/** Appends ASCII into 1 MiB buffers; finished buffers go to `chunks`. */
class AsciiChunkWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private position = 0;

  constructor(private readonly chunks: Uint8Array[]) {}

  reserve(bytes: number): void {
    if (this.position + bytes > this.buffer.length) {
      this.flush();
      this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    }
  }

  flush(): void {
    if (this.position > 0) this.chunks.push(this.buffer.subarray(0, this.position));
    this.position = 0;
  }

  text(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.position);
    this.position += bytes.length;
  }

  ipv4(key: number): void {
    this.octet(key >>> 24);
    this.buffer[this.position++] = DOT;
    this.octet((key >>> 16) & 255);
    this.buffer[this.position++] = DOT;
    this.octet((key >>> 8) & 255);
    this.buffer[this.position++] = DOT;
    this.octet(key & 255);
  }

  /** `,connections,count0,...,countN\n` */
  countsRow(connections: number, counts: ArrayLike<number>, offset: number): void {
    const buffer = this.buffer;
    buffer[this.position++] = COMMA;
    this.uint(connections);
    for (let s = 0; s < CONNECTION_STATES.length; s++) {
      buffer[this.position++] = COMMA;
      // Most cells are 0: no call for them.
      const count = counts[offset + s]!;
      if (count === 0) buffer[this.position++] = ZERO;
      else this.uint(count);
    }
    buffer[this.position++] = NEWLINE;
  }

  /** 0..255 from a table of digits. */
  private octet(value: number): void {
    const at = value * 3;
    const length = OCTET_LENGTHS[value]!;
    const buffer = this.buffer;
    buffer[this.position] = OCTET_DIGITS[at]!;
    if (length > 1) buffer[this.position + 1] = OCTET_DIGITS[at + 1]!;
    if (length > 2) buffer[this.position + 2] = OCTET_DIGITS[at + 2]!;
    this.position += length;
  }

  /** A non-negative integer below 2^53 in decimal. */
  private uint(value: number): void {
    if (value < 10) {
      this.buffer[this.position++] = 48 + value;
      return;
    }
    let digits = 0;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits++;
    let cursor = this.position + digits;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) this.buffer[--cursor] = 48 + (rest % 10);
    this.position += digits;
  }
}

/** RFC 4180 quoting after formula escaping (host names are attacker-chosen text). */
function csvText(value: string): string {
  const cell = escapeCsvCell(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Terminal table: only the states that occur somewhere (`stateTotals` from the table). */
export function summaryTable(rows: Iterable<RemoteSummaryRow>, stateTotals: readonly number[]): string {
  const states = CONNECTION_STATES.filter((_, index) => (stateTotals[index] ?? 0) > 0);
  const header = ['REMOTE', 'CONNECTIONS', ...states];
  const body: string[][] = [];
  for (const row of rows) body.push([row.ip, String(row.connections), ...states.map((state: ConnectionState) => String(row.states[state]))]);
  return alignTable(header, body, header.map((_, column) => column > 0));
}
