// The drill-down's I/O edge: a remote's first rows, read back on demand from where the row index
// (row-index.ts) says they are, and parsed by the input's own format parser. Plain files are read
// only at the recorded offsets (the context lines and the wanted rows); compressed files are
// streamed again and the other lines skipped; inputs whose rows need their neighbours are parsed
// whole again. A pipe cannot be read twice: its index kept the rows.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { captureRowOf, type InputRowIndex, type RemoteRows } from '../model/capture-rows.js';
import type { Connection } from '../model/connection.js';
import type { SnapshotTally } from '../model/tally.js';
import { ipv4ToInt, parseIpAddress } from '../net/ip.js';
import { sanitizeText } from '../net/sanitize.js';
import { createLineParser } from './capture-time-line.js';
import { decompressBytes } from './decode-bytes.js';
import { orientFlows, parseLocalNets } from './gateway-sides.js';
import type { ParseSink } from './parser-types.js';
import { findCaptureFormat } from './registry.js';
import { LineAssembler } from './summary/line-assembler.js';
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

const READ_CHUNK_BYTES = 64 * 1024;

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
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    for (const segment of segments) {
      if (!Number.isFinite(segment.offset)) throw new UserError(`${index.file}: line ${segment.line} has no recorded position`);
      let line = segment.line;
      let position = segment.offset;
      let done = false;
      const assembler = new LineAssembler({
        byteLine: (buffer, start, end) => {
          if (done) return;
          parser.line(textOf(buffer, start, end, line), line);
          line++;
          if (line >= segment.line + segment.count) done = true;
        },
      });
      while (!done) {
        const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK_BYTES, position);
        if (bytesRead === 0) {
          assembler.end();
          break;
        }
        position += bytesRead;
        assembler.write(Buffer.from(chunk.subarray(0, bytesRead)));
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
