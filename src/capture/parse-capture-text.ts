// Pure: text of one input -> Capture. read-inputs.ts does the bytes (files, stdin, gzip,
// encodings); this does detection, line splitting and the parser run.
import type { Capture, CaptureSnapshot, Connection, ParseDiagnostic } from '../model/connection.js';
import { UserError } from '../errors.js';
import { createLineParser } from './line-parser.js';
import { orientGatewayFlows, parseLocalNets } from './gateway-sides.js';
import { recogniseNonConnectionOutput } from './not-a-capture.js';
import type { CaptureFormat, CaptureMeta, ParseSink } from './parser-types.js';
import { captureFormatNames, detectCaptureFormat, findCaptureFormat } from './registry.js';

/** Detection reads this much of the start of an input. */
export const DETECT_SAMPLE_CHARS = 64 * 1024;

export interface ParseCaptureOptions {
  /** Display name used in errors and `source.file`. */
  file: string;
  /** Force a registered format instead of auto-detection. */
  inputFormat?: string;
  /** Gateway flows (conntrack): --local-net CIDRs; absent = the private ranges (gateway-sides.ts). */
  localNets?: readonly string[];
}

/** The format to use for an input, or a UserError naming the file and what was tried. */
export function chooseCaptureFormat(sample: string, file: string, inputFormat?: string): CaptureFormat {
  if (inputFormat !== undefined) {
    const forced = findCaptureFormat(inputFormat);
    if (!forced) throw new UserError(`unknown --input-format '${inputFormat}' (choices: ${captureFormatNames().join(', ')})`);
    return forced;
  }
  const detection = detectCaptureFormat(sample);
  if (detection) return detection.format;
  const other = recogniseNonConnectionOutput(sample);
  if (other) {
    throw new UserError(`${file}: this is ${/^[aeiou]/.test(other.kind) ? 'an' : 'a'} ${other.kind} (${other.command}), not a list of connections; capture with 'netstat -tanp', 'ss -tanp' or 'netsleuth capture'`);
  }
  if (sample.trim().length === 0) throw new UserError(`${file}: empty input, no capture to read (tried: ${captureFormatNames().join(', ')})`);
  throw new UserError(`${file}: not a capture netsleuth can read (tried: ${captureFormatNames().join(', ')}); use --input-format NAME to force one`);
}

export interface CollectedParse {
  connections: Connection[];
  diagnostics: ParseDiagnostic[];
  meta: CaptureMeta;
  lines: number;
  /** Two or more when time lines separate tables (see snapshotsOf). */
  snapshots: CaptureSnapshot[];
}

export function collectingSink(): { sink: ParseSink; result: Omit<CollectedParse, 'lines' | 'snapshots'>; snapshots: () => CaptureSnapshot[] } {
  const result: Omit<CollectedParse, 'lines' | 'snapshots'> = { connections: [], diagnostics: [], meta: {} };
  const snapshots: CaptureSnapshot[] = [{ firstLine: 1, capturedAt: null }];
  let rowsInSnapshot = 0;
  return {
    result,
    snapshots: () => snapshotsOf(snapshots, rowsInSnapshot),
    sink: {
      connection: (connection) => {
        rowsInSnapshot++;
        result.connections.push(connection);
      },
      diagnostic: (diagnostic) => result.diagnostics.push(diagnostic),
      meta: (meta) => Object.assign(result.meta, meta),
      // A time line after rows opens the next snapshot; before any row it dates the current one.
      timeLine: (line, capturedAt) => {
        const current = snapshots[snapshots.length - 1]!;
        if (rowsInSnapshot > 0) {
          snapshots.push({ firstLine: line, capturedAt });
          rowsInSnapshot = 0;
        } else if (current.capturedAt === null) {
          current.capturedAt = capturedAt;
        }
      },
    },
  };
}

/**
 * The snapshots as found, without an empty last one: `(netstat -tan; date)` ends with a time line
 * after the rows, which then dates the snapshot before it when that has no time of its own.
 */
function snapshotsOf(found: CaptureSnapshot[], rowsInLast: number): CaptureSnapshot[] {
  const snapshots = found.map((snapshot) => ({ ...snapshot }));
  if (snapshots.length > 1 && rowsInLast === 0) {
    const empty = snapshots.pop()!;
    const previous = snapshots[snapshots.length - 1]!;
    if (previous.capturedAt === null) previous.capturedAt = empty.capturedAt;
  }
  return snapshots;
}

/** Run one format over text: lines split on \n, a trailing \r dropped (CRLF captures). */
export function runFormat(format: CaptureFormat, text: string, file: string): CollectedParse {
  const { sink, result, snapshots } = collectingSink();
  const parser = createLineParser(format, file, sink);
  let lineNumber = 0;
  let start = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    let line = body.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    parser.line(line, ++lineNumber);
    start = end + 1;
  }
  parser.end();
  return { ...result, lines: lineNumber, snapshots: snapshots() };
}

/**
 * A forced parser that found nothing in what is plainly another format read the wrong one: the
 * diagnostic that says so (--strict makes it fatal). A header-only capture of the forced format,
 * or text no parser recognises, gives null. Call it only when the input gave no rows and no diagnostics.
 */
export function forcedFormatMismatch(sample: string, formatName: string, file: string, lines: number): ParseDiagnostic | null {
  const detected = detectCaptureFormat(sample);
  if (!detected || detected.format.name === formatName) return null;
  const firstLine = sample.split('\n', 1)[0] ?? '';
  return { file, line: 1, raw: firstLine.slice(0, 200), reason: `no ${formatName} rows in ${lines} line(s): --input-format ${formatName} does not match this input (it looks like ${detected.format.name})` };
}

export interface CaptureTextInfo {
  sizeBytes?: number;
  sha256?: string;
}

/** Pure parse of one input's text into a Capture (sha256/size are filled in by readCaptures). */
export function parseCaptureText(text: string, options: ParseCaptureOptions, info: CaptureTextInfo = {}): Capture {
  const format = chooseCaptureFormat(text.slice(0, DETECT_SAMPLE_CHARS), options.file, options.inputFormat);
  const parsed = runFormat(format, text, options.file);
  if (options.inputFormat !== undefined && parsed.connections.length === 0 && parsed.diagnostics.length === 0) {
    const mismatch = forcedFormatMismatch(text.slice(0, DETECT_SAMPLE_CHARS), format.name, options.file, parsed.lines);
    if (mismatch) parsed.diagnostics.push(mismatch);
  }
  const capture: Capture = {
    info: {
      path: options.file,
      sizeBytes: info.sizeBytes ?? Buffer.byteLength(text),
      sha256: info.sha256 ?? '',
      format: format.name,
      capturedAt: parsed.meta.capturedAt ?? null,
      host: parsed.meta.host ?? null,
      lines: parsed.lines,
      parsed: parsed.connections.length,
      skipped: parsed.diagnostics.length,
      ...(parsed.meta.workers ? { workers: parsed.meta.workers } : {}),
    },
    connections: parsed.connections,
    diagnostics: parsed.diagnostics,
    ...(parsed.snapshots.length > 1 ? { snapshots: parsed.snapshots } : {}),
  };
  return orientGatewayFlows(capture, parseLocalNets(options.localNets));
}
