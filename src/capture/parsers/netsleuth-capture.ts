// netsleuth's own capture files (`netsleuth capture`, health-check evidence): `# key: value`
// header lines, then the netsleuth CSV. See ../netsleuth-capture.ts for the writer.
// Sample:
//   # netsleuth capture v1
//   # host: web1
//   # captured-at: 2026-11-28T16:49:23Z
//   # source: /proc/net/tcp
//   protocol,ipVersion,localAddress,localPort,remoteAddress,remotePort,state,rawState,recvQ,sendQ,pid,program,file,line,scope,truncated
// Known gaps: unknown header keys are ignored; an unparseable captured-at is ignored (null).
import { sanitizeText } from '../../net/sanitize.js';
import { NETSLEUTH_CAPTURE_MAGIC } from '../netsleuth-capture.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';
import { parseCsvText } from './csv.js';

export function detectNetsleuthCapture(sample: string): number {
  return sample.replace(/^\uFEFF/, '').startsWith(NETSLEUTH_CAPTURE_MAGIC) ? 1 : 0;
}

export function createNetsleuthCaptureParser(file: string, sink: ParseSink): LineParser {
  const body: string[] = [];
  let bodyStart = 0;
  return {
    line(text, lineNumber) {
      if (body.length === 0 && text.startsWith('#')) {
        const match = /^#\s*([a-z-]+):\s*(.*)$/.exec(text.trimEnd());
        if (match?.[1] === 'host') sink.meta({ host: sanitizeText(match[2] ?? '') });
        if (match?.[1] === 'captured-at') {
          const time = Date.parse(match[2] ?? '');
          if (Number.isFinite(time)) sink.meta({ capturedAt: new Date(time).toISOString() });
        }
        return;
      }
      if (body.length === 0) bodyStart = lineNumber;
      body.push(text);
    },
    end() {
      if (body.length > 0) parseCsvText(body.join('\n'), bodyStart, file, sink);
    },
  };
}

export const netsleuthCapture: CaptureFormat = {
  name: 'netsleuth-capture',
  title: 'netsleuth capture files (netsleuth capture, health-check evidence)',
  commands: ['netsleuth capture'],
  sample: [
    NETSLEUTH_CAPTURE_MAGIC,
    '# host: web1',
    '# captured-at: 2026-11-28T16:49:23.000Z',
    '# source: /proc/net/tcp',
    'protocol,ipVersion,localAddress,localPort,remoteAddress,remotePort,state,rawState,recvQ,sendQ,pid,program,file,line,scope,truncated',
    'tcp,4,203.0.113.10,80,198.51.100.7,51234,ESTABLISHED,01,0,0,,,/proc/net/tcp,2,,',
  ].join('\n'),
  detect: detectNetsleuthCapture,
  createParser: createNetsleuthCaptureParser,
};
