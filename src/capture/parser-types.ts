// What every capture format module exports, and the sink its line parser writes to.
import type { Connection, ParseDiagnostic, WorkerCounts } from '../model/connection.js';

export interface CaptureMeta {
  capturedAt?: string;
  host?: string;
  /** Web server status pages: the scoreboard's workers by state. */
  workers?: WorkerCounts;
}

/** Where a line parser puts what it finds. Bad lines are data (diagnostics), never exceptions. */
export interface ParseSink {
  connection(connection: Connection): void;
  diagnostic(diagnostic: ParseDiagnostic): void;
  meta(meta: CaptureMeta): void;
  /** A time line (capture-time-line.ts) at this line: where a new snapshot may start. */
  timeLine?(line: number, capturedAt: string | null): void;
}

/** Stateful per-input parser: lines arrive in order (1-based numbers, no line ending); end() flushes. */
export interface LineParser {
  line(text: string, lineNumber: number): void;
  end(): void;
}

export interface CaptureFormat {
  /** Registry name, used by --input-format. */
  name: string;
  /** One line for help text. */
  title: string;
  /** Commands and platforms this reads. */
  commands: string[];
  /** A short real-looking sample the module recognises (the registry test parses it). */
  sample: string;
  /** 0..1: how sure this format is that the text (the start of the input) is its output. */
  detect(sample: string): number;
  createParser(file: string, sink: ParseSink): LineParser;
  /** A console table: `date` lines before or between its rows give the capture time (capture-time-line.ts). */
  timeLines?: boolean;
}
