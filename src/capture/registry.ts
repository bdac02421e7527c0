// The one list of capture formats. --input-format choices, help text and auto-detection come
// from here; test/capture/registry.test.ts checks every module is listed and reads its sample.
import type { CaptureFormat } from './parser-types.js';
import { apacheHtml } from './parsers/apache-html.js';
import { conntrack } from './parsers/conntrack.js';
import { conntrackXml } from './parsers/conntrack-xml.js';
import { csv } from './parsers/csv.js';
import { jcJson } from './parsers/jc-json.js';
import { nfConntrack } from './parsers/nf-conntrack.js';
import { lsof } from './parsers/lsof.js';
import { netsleuthCapture } from './parsers/netsleuth-capture.js';
import { netstatBsd } from './parsers/netstat-bsd.js';
import { netstatLinux } from './parsers/netstat-linux.js';
import { netstatSolaris } from './parsers/netstat-solaris.js';
import { netstatWindows } from './parsers/netstat-windows.js';
import { powershell } from './parsers/powershell.js';
import { procNet } from './parsers/proc-net.js';
import { serverStatus } from './parsers/server-status.js';
import { sockstat } from './parsers/sockstat.js';
import { ss } from './parsers/ss.js';

/** Order breaks detection ties: more specific formats first. */
export const CAPTURE_FORMATS: readonly CaptureFormat[] = [
  netsleuthCapture, jcJson, csv, procNet, conntrackXml, nfConntrack, conntrack, apacheHtml, serverStatus, powershell, lsof, sockstat, netstatSolaris, netstatWindows, ss, netstatBsd, netstatLinux,
];

/** Below this, a detector's guess is not trusted. */
export const MIN_DETECT_CONFIDENCE = 0.5;

export function findCaptureFormat(name: string): CaptureFormat | undefined {
  return CAPTURE_FORMATS.find((format) => format.name === name);
}

export function captureFormatNames(): string[] {
  return CAPTURE_FORMATS.map((format) => format.name);
}

/** `  name  title` lines for --help. */
export function captureFormatHelp(): string {
  const width = Math.max(...CAPTURE_FORMATS.map((format) => format.name.length));
  return CAPTURE_FORMATS.map((format) => `  ${format.name.padEnd(width)}  ${format.title}`).join('\n');
}

export interface Detection {
  format: CaptureFormat;
  confidence: number;
}

/** The best-scoring format for the start of an input, or null when none is confident. */
export function detectCaptureFormat(sample: string): Detection | null {
  let best: Detection | null = null;
  for (const format of CAPTURE_FORMATS) {
    const confidence = format.detect(sample);
    if (confidence >= MIN_DETECT_CONFIDENCE && (!best || confidence > best.confidence)) best = { format, confidence };
  }
  return best;
}
