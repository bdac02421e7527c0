// The one way every reader (parse, tallies, summaries, the drill-down) builds a format's line parser.
import { withCaptureTimeLines } from './capture-time-line.js';
import type { CaptureFormat, LineParser, ParseSink } from './parser-types.js';

/** The format's line parser; console tables (format.timeLines) also take their time from `date` lines. */
export function createLineParser(format: CaptureFormat, file: string, sink: ParseSink): LineParser {
  const parser = format.createParser(file, sink);
  return format.timeLines ? withCaptureTimeLines(parser, sink) : parser;
}
