// Drill-down: where a remote's capture rows are (recorded while an input is tallied,
// capture/row-index.ts) and the rows themselves once read back (capture/read-rows.ts), as the
// report and the TUI show them.
import type { Connection } from './connection.js';

/**
 * How rows are found again:
 *  - 'lines': every row is one self-contained line; replaying the context lines and the wanted
 *    rows through a fresh parser gives the same rows (plain files are read at the recorded offsets);
 *  - 'whole': rows need their neighbours (multi-line records, gateway flows, documents): the whole
 *    input is parsed again and the wanted lines picked out.
 */
export type RowReplayMode = 'lines' | 'whole';

/** Where one input's rows are: plain data (typed arrays), built by RowIndexRecorder. */
export interface InputRowIndex {
  /** The input's display name (what rows cite as their file). */
  file: string;
  /** Path to read again; null when the input cannot be read again (stdin). */
  path: string | null;
  /** 'gzip' / 'bzip2': offsets are into the decompressed bytes, so the input is streamed again. */
  compression: 'none' | 'gzip' | 'bzip2';
  /** Size and modification time when it was read: a file that changed since is not trusted. */
  sizeBytes: number;
  mtimeMs: number | null;
  format: string;
  /** --local-net, for re-orienting gateway flows. */
  localNets?: readonly string[];
  mode: RowReplayMode;
  perRemote: number;
  /** Printed remote addresses, indexed like the tallies' groups.remotes (the same array). */
  remotes: readonly string[];
  /** Rows per remote id (every row, not only the remembered ones). */
  counts: Uint32Array;
  /** perRemote slots per remote id: 1-based line numbers (0 = empty slot). */
  lines: Uint32Array;
  /** Byte offset of each remembered line's start in the decoded input (NaN when unknown). */
  offsets: Float64Array;
  /** Context lines: runs [firstLine, lineCount, byteOffset of firstLine]. */
  context: Float64Array;
  /** Inputs that cannot be read again: the remembered rows themselves. */
  kept?: KeptRows;
}

/** What a stdin input keeps: parser rows as objects, fast-scanned rows and context lines as bytes. */
export interface KeptRows {
  /** Parsed rows by line number. */
  connections: Map<number, Connection[]>;
  /** Line bytes by line number (rows read without the parser, and context lines). */
  text: Map<number, Uint8Array>;
  /** False when a budget ran out: some remembered rows have nothing kept. */
  complete: boolean;
}

/** One capture row of a remote, as the host views list it (file and line cite the capture). */
export interface CaptureRow {
  file: string;
  line: number;
  protocol: string;
  localAddress: string;
  localPort: number | null;
  remoteAddress: string;
  remotePort: number | null;
  state: string;
  recvQ: number | null;
  sendQ: number | null;
  pid: number | null;
  /** Sanitized by the parser; escaped again by each renderer. */
  program: string | null;
}

/** A remote's first rows and how many it has in all. */
export interface RemoteRows {
  ip: string;
  /** Rows of this remote in every input that could be indexed. */
  total: number;
  /** The first ones, in input then line order (at most the index's perRemote). */
  rows: CaptureRow[];
  /** Why some rows are missing (an input changed since it was read, a pipe's budget ran out). */
  notes: string[];
}

/** Remotes (heaviest first) whose first capture rows the HTML page carries for its host panel. */
export const HTML_ROW_REMOTES = 1000;

/** What the report carries for its host views: rows for the heaviest remotes. */
export interface CaptureRowsSection {
  /** Rows listed per remote at most. */
  perRemote: number;
  remotes: RemoteRows[];
}

/** A parsed row as the views list it. */
export function captureRowOf(connection: Connection): CaptureRow {
  return {
    file: connection.source.file,
    line: connection.source.line,
    protocol: `${connection.protocol}${connection.ipVersion === 6 ? '6' : ''}`,
    localAddress: connection.localAddress,
    localPort: connection.localPort,
    remoteAddress: connection.remoteAddress,
    remotePort: connection.remotePort,
    state: connection.rawState || connection.state,
    recvQ: connection.recvQ,
    sendQ: connection.sendQ,
    pid: connection.pid,
    program: connection.program,
  };
}
