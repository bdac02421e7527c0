// worker_threads entry: summarise one byte range of a Linux netstat capture and post the table.
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileRange } from './scan-file.js';
import { NetstatLinuxSummaryScanner } from './summary-scanners.js';

export interface SummaryWorkerInput {
  path: string;
  file: string;
  start: number;
  end: number;
}

const input = workerData as SummaryWorkerInput;
const scanner = new NetstatLinuxSummaryScanner(input.file);
scanFileRange(input.path, input.start, input.end, scanner);
scanner.finish();
const table = scanner.table.serialize();
parentPort?.postMessage(
  { table, lines: scanner.lines, diagnostics: scanner.diagnostics, diagnosticCount: scanner.diagnosticCount },
  [table.ipv4Keys.buffer as ArrayBuffer, table.ipv4Counts.buffer as ArrayBuffer],
);
