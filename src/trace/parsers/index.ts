// The traceroute parser registry: detection order, --input-format choices and help text come from here.
import type { TraceParser } from './common.js';
import { iosxrParser } from './iosxr.js';
import { mtrJsonParser } from './mtr-json.js';
import { mtrReportParser } from './mtr-report.js';
import { tracepathParser } from './tracepath.js';
import { tracerouteParser } from './traceroute.js';
import { tracertParser } from './tracert.js';
import { winmtrParser } from './winmtr.js';

/** Most specific first: on equal detection scores the earlier parser wins. */
export const TRACE_PARSERS: readonly TraceParser[] = [
  mtrJsonParser,
  winmtrParser,
  mtrReportParser,
  tracepathParser,
  tracertParser,
  iosxrParser,
  tracerouteParser,
];

export function findTraceParser(name: string): TraceParser | undefined {
  return TRACE_PARSERS.find((parser) => parser.name === name);
}

export type { TraceParser } from './common.js';
