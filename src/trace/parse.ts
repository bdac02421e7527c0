// Pure entry point: text of a saved trace -> paths + diagnostics, with format auto-detection.
import { UserError } from '../errors.js';
import type { ParseDiagnostic } from '../model/connection.js';
import type { TracePath } from '../model/trace.js';
import { findTraceParser, TRACE_PARSERS } from './parsers/index.js';

export interface TraceTextOptions {
  /** Display name for diagnostics and TracePath.source. */
  file: string;
  /** Force a registered parser (--input-format); auto-detect when absent. */
  inputFormat?: string | undefined;
}

export interface TraceTextResult {
  paths: TracePath[];
  diagnostics: ParseDiagnostic[];
  /** Parser that read it, null when no format matched. */
  format: string | null;
}

const DETECT_LINES = 80;

export function splitTraceLines(text: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Name of the best-matching parser, or null. Ties go to the earlier registry entry. */
export function detectTraceFormat(lines: readonly string[]): string | null {
  const head = lines.slice(0, DETECT_LINES);
  let best: { name: string; score: number } | null = null;
  for (const parser of TRACE_PARSERS) {
    const score = parser.detect(head);
    if (score > 0 && (best === null || score > best.score)) best = { name: parser.name, score };
  }
  return best?.name ?? null;
}

export function parseTraceText(text: string, options: TraceTextOptions): TraceTextResult {
  const lines = splitTraceLines(text);
  let format: string | null;
  if (options.inputFormat !== undefined) {
    if (!findTraceParser(options.inputFormat)) {
      throw new UserError(`unknown trace input format '${options.inputFormat}' (choices: ${TRACE_PARSERS.map((parser) => parser.name).join(', ')})`, 2);
    }
    format = options.inputFormat;
  } else {
    format = detectTraceFormat(lines);
  }
  if (lines.every((line) => line.trim().length === 0)) return { paths: [], diagnostics: [], format };
  const parser = format === null ? undefined : findTraceParser(format);
  if (!parser) {
    return { paths: [], diagnostics: [{ file: options.file, line: 1, raw: (lines[0] ?? '').slice(0, 200), reason: 'no traceroute/mtr/tracert/tracepath format recognised' }], format: null };
  }
  const result = parser.parse(lines, { file: options.file });
  return { ...result, format: parser.name };
}
