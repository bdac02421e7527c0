// worker_threads entry: summarise one byte range of a netstat-linux or ss capture and post the table.
// Only the byte scanner is loaded up front; the full parser (and its address maths) is imported
// when the range holds a line the scanner does not take, so a flood range starts in milliseconds.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import { FileRangeReader } from './scan-file.js';
import { SocketRowScanner, type SocketRowFormat } from './socket-row-scanner.js';

export interface SummaryWorkerInput {
  format: SocketRowFormat;
  path: string;
  file: string;
  start: number;
  end: number;
}

/** Pending slow lines kept before the parser is fetched (bounds memory on odd captures). */
const MAX_PENDING_LINES = 2000;

const input = workerData as SummaryWorkerInput;
const scanner = new SocketRowScanner(input.format, input.file);
const attach = async () => scanner.attachSlowParser((await import('./slow-path.js')).slowSummaryParser(input.format));
let attached = false;
const reader = new FileRangeReader(input.path, input.start, input.end, input.file);
try {
  while (reader.readInto(scanner)) {
    if (!attached && scanner.pendingLines > MAX_PENDING_LINES) {
      await attach();
      attached = true;
    }
  }
  if (!attached) {
    // The last line without a newline may still be for the parser.
    scanner.flushLastLine();
    if (scanner.pendingLines > 0) await attach();
  }
  scanner.finish();
  const table = scanner.table.serialize();
  parentPort?.postMessage(
    { table, lines: scanner.lines, diagnostics: scanner.diagnostics, diagnosticCount: scanner.diagnosticCount },
    [table.ipv4Keys.buffer as ArrayBuffer, table.ipv4Counts.buffer as ArrayBuffer],
  );
} catch (error) {
  // The user's error (binary data) goes back as a message: an Error crossing threads loses its class.
  if (!(error instanceof UserError)) throw error;
  parentPort?.postMessage({ refused: error.message });
} finally {
  reader.close();
}
