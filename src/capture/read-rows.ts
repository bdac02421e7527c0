// The drill-down's I/O edge: a remote's first rows, read back on demand from where the row index
// (row-index.ts) says they are, and parsed by the input's own format parser. Plain files are read
// only at the recorded offsets (the context lines and the wanted rows); compressed files are
// streamed again and the other lines skipped; inputs whose rows need their neighbours are parsed
// whole again. A pipe cannot be read twice: its index kept the rows.
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { captureRowOf, type InputRowIndex, type RemoteRows } from '../model/capture-rows.js';
import type { Connection } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { ipv4ToInt, parseIpAddress } from '../net/ip.js';
import { sanitizeText } from '../net/sanitize.js';
import { createLineParser } from './line-parser.js';
import { decompressBytes } from './decode-bytes.js';
import { orientFlows, parseLocalNets } from './gateway-sides.js';
import type { ParseSink } from './parser-types.js';
import { findCaptureFormat } from './registry.js';
import { LineAssembler, MAX_LINE_BYTES } from './summary/line-assembler.js';
import { lineText } from './summary/summary-scanners.js';

/** The address as the report names the remote (analyze/remote-key.ts identifyRemote's text). */
export function canonicalRemote(address: string): string {
  if (ipv4ToInt(address) >= 0) return address;
  return parseIpAddress(address)?.text ?? sanitizeText(address);
}

/** The distinct row indexes of a read, in input order. */
export function rowIndexesOf(tallies: readonly SnapshotTally[]): InputRowIndex[] {
  const seen = new Set<InputRowIndex>();
  for (const tally of tallies) if (tally.rows) seen.add(tally.rows);
  return [...seen];
}

/** Remote ids of each canonical address, per index (computed once per index). */
const idsCache = new WeakMap<InputRowIndex, Map<string, number[]>>();

function idsByAddress(index: InputRowIndex): Map<string, number[]> {
  let ids = idsCache.get(index);
  if (!ids) {
    ids = new Map();
    for (let id = 0; id < index.remotes.length; id++) {
      if (index.counts[id] === 0 || index.counts[id] === undefined) continue;
      const key = canonicalRemote(index.remotes[id]!);
      const list = ids.get(key);
      if (list) list.push(id);
      else ids.set(key, [id]);
    }
    idsCache.set(index, ids);
  }
  return ids;
}

interface Wanted {
  /** Line -> the address whose row it is. */
  lines: Map<number, string>;
  /** Ascending. */
  sorted: number[];
  offsets: Map<number, number>;
}

/**
 * The first rows (at most each index's perRemote, across inputs in order) of each address, with its
 * row count. Addresses no index knows get total 0 and no rows.
 */
export async function readRemoteRows(indexes: readonly InputRowIndex[], addresses: readonly string[]): Promise<Map<string, RemoteRows>> {
  const result = new Map<string, RemoteRows>();
  for (const address of addresses) result.set(address, { ip: address, total: 0, rows: [], notes: [] });
  for (const index of indexes) {
    const ids = idsByAddress(index);
    const wanted: Wanted = { lines: new Map(), sorted: [], offsets: new Map() };
    for (const address of addresses) {
      const entry = result.get(address)!;
      for (const id of ids.get(address) ?? []) {
        const count = index.counts[id]!;
        entry.total += count;
        for (let k = 0; k < Math.min(count, index.perRemote); k++) {
          const slot = id * index.perRemote + k;
          const line = index.lines[slot]!;
          wanted.lines.set(line, address);
          wanted.offsets.set(line, index.offsets[slot]!);
        }
      }
    }
    if (wanted.lines.size === 0) continue;
    wanted.sorted = [...wanted.lines.keys()].sort((a, b) => a - b);
    let rows: Connection[];
    try {
      rows = await rowsOfInput(index, wanted);
    } catch (error) {
      const reason = error instanceof UserError ? error.message : `${index.file}: cannot be read again (${(error as Error).message})`;
      for (const address of new Set(wanted.lines.values())) result.get(address)!.notes.push(reason);
      continue;
    }
    for (const row of rows) {
      const address = wanted.lines.get(row.source.line);
      if (address === undefined || canonicalRemote(row.remoteAddress) !== address) continue;
      const entry = result.get(address)!;
      if (entry.rows.length < index.perRemote) entry.rows.push(captureRowOf(row));
    }
    if (index.kept && !index.kept.complete) {
      for (const address of new Set(wanted.lines.values())) {
        const entry = result.get(address)!;
        if (entry.rows.length < Math.min(entry.total, index.perRemote)) entry.notes.push(`${index.file}: some rows were not kept (a pipe is read once; its row budget ran out)`);
      }
    }
  }
  return result;
}

/** The parsed rows on the wanted lines (and, for gateway flows, oriented as when tallied). */
async function rowsOfInput(index: InputRowIndex, wanted: Wanted): Promise<Connection[]> {
  const format = findCaptureFormat(index.format);
  if (!format) throw new UserError(`${index.file}: unknown format ${index.format}`);
  const rows: Connection[] = [];
  const flows: Connection[] = [];
  const sink: ParseSink = {
    connection(connection) {
      if (connection.flow) flows.push(connection);
      else if (wanted.lines.has(connection.source.line)) rows.push(connection);
    },
    diagnostic() {},
    meta() {},
  };
  const parser = createLineParser(format, index.file, sink);
  if (index.kept) {
    for (const line of wanted.sorted) rows.push(...(index.kept.connections.get(line) ?? []));
    // Rows read without the parser were kept as text: replay them after their context.
    const replay: number[] = wanted.sorted.filter((line) => !index.kept!.connections.has(line) && index.kept!.text.has(line));
    if (replay.length > 0) {
      for (const line of mergeLines(contextLines(index, replay[replay.length - 1]!), replay)) {
        const bytes = index.kept.text.get(line);
        if (bytes) parser.line(lineText(bytes, 0, bytes.length), line);
      }
      parser.end();
    }
  } else {
    await checkUnchanged(index);
    if (index.mode === 'lines' && index.compression === 'none') await replayAtOffsets(index, wanted, parser);
    else await replayStream(index, wanted, parser);
    parser.end();
  }
  if (flows.length > 0) {
    for (const flow of orientFlows(flows, parseLocalNets(index.localNets))) if (wanted.lines.has(flow.source.line)) rows.push(flow);
  }
  return rows.sort((a, b) => a.source.line - b.source.line);
}

async function checkUnchanged(index: InputRowIndex): Promise<void> {
  let info;
  try {
    info = await stat(index.path!);
  } catch {
    throw new UserError(`${index.file}: no longer there, its rows cannot be shown`);
  }
  if (info.size !== index.sizeBytes || info.mtimeMs !== index.mtimeMs) throw new UserError(`${index.file}: changed since it was read, its rows are not shown`);
}

/** Line numbers of the context runs before `last`. */
function contextLines(index: InputRowIndex, last: number): number[] {
  const lines: number[] = [];
  const context = index.context;
  for (let run = 0; run < context.length; run += 3) {
    const first = context[run]!;
    if (first > last) break;
    for (let line = first; line < first + context[run + 1]! && line < last; line++) lines.push(line);
  }
  return lines;
}

function mergeLines(a: number[], b: number[]): number[] {
  return [...a, ...b].sort((x, y) => x - y);
}

/** A 1-based line without the BOM the tally reader stripped from line 1. */
function textOf(buffer: Uint8Array, start: number, end: number, line: number): string {
  if (line === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
  return lineText(buffer, start, end);
}

const WINDOW_BYTES = 1 << 20;

/** A file read through one window of bytes, for lines at ascending offsets (most share a window). */
class LineWindow {
  #buffer = Buffer.alloc(0);
  #start = 0;
  #eof = false;

  constructor(private readonly handle: FileHandle) {}

  /** The line at `offset` as the tally reader saw it (no newline, no trailing CR, cut at MAX_LINE_BYTES) and where the next begins. */
  async lineAt(offset: number): Promise<{ bytes: Buffer; next: number }> {
    const end = this.#start + this.#buffer.length;
    const covered = offset >= this.#start && (this.#eof ? offset <= end : offset + MAX_LINE_BYTES + 2 <= end);
    if (!covered) await this.#fill(offset, WINDOW_BYTES);
    for (;;) {
      const from = offset - this.#start;
      const newline = this.#buffer.indexOf(10, from);
      if (newline >= 0 || this.#eof) {
        let stop = newline >= 0 ? newline : this.#buffer.length;
        const next = this.#start + stop + 1;
        if (stop > from && this.#buffer[stop - 1] === 13) stop--;
        if (stop - from > MAX_LINE_BYTES) stop = from + MAX_LINE_BYTES;
        return { bytes: this.#buffer.subarray(from, stop), next };
      }
      if (this.#buffer.length - from > MAX_LINE_BYTES + 1) {
        // A line past the cut: only its first MAX_LINE_BYTES count; find where it ends.
        const bytes = Buffer.from(this.#buffer.subarray(from, from + MAX_LINE_BYTES));
        for (;;) {
          await this.#fill(this.#start + this.#buffer.length, WINDOW_BYTES);
          const at = this.#buffer.indexOf(10);
          if (at >= 0) return { bytes, next: this.#start + at + 1 };
          if (this.#eof) return { bytes, next: this.#start + this.#buffer.length };
        }
      }
      // The window ends inside this line: read again from its start (a window holds any cut line).
      await this.#fill(offset, WINDOW_BYTES);
    }
  }

  async #fill(offset: number, size: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.handle.read(buffer, 0, size, offset);
    this.#buffer = buffer.subarray(0, bytesRead);
    this.#start = offset;
    this.#eof = bytesRead < size;
  }
}

/** Context runs and wanted rows read at their offsets, in line order, through the parser. */
async function replayAtOffsets(index: InputRowIndex, wanted: Wanted, parser: { line(text: string, line: number): void }): Promise<void> {
  const last = wanted.sorted[wanted.sorted.length - 1]!;
  const segments: { line: number; count: number; offset: number }[] = [];
  const context = index.context;
  for (let run = 0; run < context.length; run += 3) {
    if (context[run]! > last) break;
    segments.push({ line: context[run]!, count: Math.min(context[run + 1]!, last - context[run]!), offset: context[run + 2]! });
  }
  for (const line of wanted.sorted) segments.push({ line, count: 1, offset: wanted.offsets.get(line)! });
  segments.sort((a, b) => a.line - b.line);
  const handle = await open(index.path!, 'r');
  try {
    const window = new LineWindow(handle);
    for (const segment of segments) {
      if (!Number.isFinite(segment.offset)) throw new UserError(`${index.file}: line ${segment.line} has no recorded position`);
      let offset = segment.offset;
      for (let line = segment.line; line < segment.line + segment.count; line++) {
        const { bytes, next } = await window.lineAt(offset);
        parser.line(textOf(bytes, 0, bytes.length, line), line);
        offset = next;
      }
    }
  } finally {
    await handle.close();
  }
}

/** The decoded input streamed again: every line to the parser ('whole'), or only the context and wanted lines. */
async function replayStream(index: InputRowIndex, wanted: Wanted, parser: { line(text: string, line: number): void }): Promise<void> {
  const whole = index.mode === 'whole';
  const last = wanted.sorted[wanted.sorted.length - 1]!;
  const needed = whole ? null : new Set(mergeLines(contextLines(index, last), wanted.sorted));
  let line = 0;
  let stop = false;
  const assembler = new LineAssembler({
    byteLine: (buffer, start, end) => {
      line++;
      if (!whole && line > last) stop = true;
      if (stop || (needed !== null && !needed.has(line))) return;
      parser.line(textOf(buffer, start, end, line), line);
    },
  });
  const file = createReadStream(index.path!, { highWaterMark: 1 << 20 });
  try {
    let source: AsyncIterable<Uint8Array>;
    if (index.compression === 'gzip') source = file.pipe(createGunzip());
    else if (index.compression === 'bzip2') {
      const chunks: Buffer[] = [];
      for await (const chunk of file) chunks.push(chunk as Buffer);
      source = Readable.from([decompressBytes(Buffer.concat(chunks), index.file, (message) => new UserError(message))]);
    } else source = file;
    for await (const chunk of source) {
      assembler.write(chunk);
      if (stop) break;
    }
    if (!stop) assembler.end();
  } finally {
    file.destroy();
  }
}
