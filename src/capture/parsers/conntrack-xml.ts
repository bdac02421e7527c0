// conntrack-tools XML: `conntrack -L -o xml` (the table) and `conntrack -E -o xml` (the event
// stream; nat-conntracker records it bzip2-compressed, read here transparently).
// Sample (one <flow> per line, as conntrack prints it):
//   <?xml version="1.0" encoding="utf-8"?>
//   <conntrack>
//   <flow type="new"><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>10.10.0.7</src>
//     <dst>169.254.169.254</dst></layer3><layer4 protonum="17" protoname="udp"><sport>50500</sport><dport>53</dport>
//     </layer4></meta><meta direction="reply">...</meta><meta direction="independent"><timeout>30</timeout>
//     <id>921410688</id><unreplied/></meta></flow>
// Counters (<counters><packets>/<bytes>) appear with accounting on; <state> for tcp; <assured/>,
// <unreplied/>, <mark>, <zone>, <id> in the independent block. A <flow> may span lines.
// Known gaps: icmp and other portless flows are reported as skipped; <when> timestamps are not read.
import { diagnosticFor, rowMatchRatio } from '../build-connection.js';
import { FlowCollector, type FlowEventType, type FlowRecord, type ParsedTuple } from '../conntrack-flows.js';
import type { CaptureFormat, LineParser, ParseSink } from '../parser-types.js';

/** A <flow> element (or its start) on a line. */
const FLOW_START = /<flow(\s[^>]*)?>/;
const EVENT_TYPES: ReadonlySet<string> = new Set(['new', 'update', 'destroy']);
/** Longest <flow> accumulated across lines before it is given up as garbage. */
const MAX_FLOW_CHARS = 16 * 1024;

export function detectConntrackXml(sample: string): number {
  const head = /^\s*(<\?xml[^>]*>\s*)?<conntrack>/.test(sample);
  const { ratio, rows } = rowMatchRatio(sample, (line) => /<flow[\s>]/.test(line), (line) => /<meta direction="(original|reply|independent)">/.test(line));
  if (rows === 0) return head ? 0.6 : 0;
  return Math.min(1, ratio * 0.9 + (head ? 0.1 : 0));
}

function textOf(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match?.[1]?.trim();
}

function metaBlock(xml: string, direction: string): string | undefined {
  const start = xml.indexOf(`<meta direction="${direction}">`);
  if (start < 0) return undefined;
  const end = xml.indexOf('</meta>', start);
  return end < 0 ? undefined : xml.slice(start, end);
}

function countOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function portOf(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

function tupleOf(block: string | undefined): { tuple: ParsedTuple; protocol: string } | undefined {
  if (block === undefined) return undefined;
  const source = textOf(block, 'src');
  const destination = textOf(block, 'dst');
  if (source === undefined || destination === undefined) return undefined;
  const tuple: ParsedTuple = { source, destination, sourcePort: portOf(textOf(block, 'sport')), destinationPort: portOf(textOf(block, 'dport')) };
  const packets = countOf(textOf(block, 'packets'));
  const bytes = countOf(textOf(block, 'bytes'));
  if (packets !== undefined) tuple.packets = packets;
  if (bytes !== undefined) tuple.bytes = bytes;
  const protocol = /<layer4[^>]*\sprotoname="([a-z0-9]+)"/.exec(block)?.[1] ?? 'unknown';
  return { tuple, protocol };
}

/** One <flow>...</flow> element -> its record, or why not. */
export function parseFlowElement(xml: string): { record: FlowRecord } | { reason: string } {
  const start = FLOW_START.exec(xml);
  if (!start || !xml.includes('</flow>')) return { reason: 'not a <flow> element' };
  const type = /\stype="([a-z]+)"/.exec(start[1] ?? '')?.[1];
  const original = tupleOf(metaBlock(xml, 'original'));
  const reply = tupleOf(metaBlock(xml, 'reply'));
  const independent = metaBlock(xml, 'independent') ?? '';
  const record: FlowRecord = { protocol: original?.protocol ?? reply?.protocol ?? 'unknown', flags: [] };
  if (type !== undefined) {
    if (!EVENT_TYPES.has(type)) return { reason: `unknown flow event type '${type.slice(0, 20)}'` };
    record.event = type as FlowEventType;
  }
  if (original) record.original = original.tuple;
  if (reply) record.reply = reply.tuple;
  const state = textOf(independent, 'state');
  if (state !== undefined && /^[A-Z][A-Z0-9_]*$/.test(state)) record.state = state;
  const mark = countOf(textOf(independent, 'mark'));
  const zone = countOf(textOf(independent, 'zone'));
  const id = textOf(independent, 'id');
  if (mark !== undefined) record.mark = mark;
  if (zone !== undefined) record.zone = zone;
  if (id !== undefined && /^\d{1,20}$/.test(id)) record.id = id;
  if (independent.includes('<assured/>')) record.flags.push('assured');
  if (independent.includes('<unreplied/>')) record.flags.push('unreplied');
  if (!original && record.id === undefined) return { reason: '<flow> without an original tuple or an id' };
  if (!record.event && (!original || !reply)) return { reason: '<flow> without both original and reply tuples' };
  return { record };
}

export function createConntrackXmlParser(file: string, sink: ParseSink): LineParser {
  const flows = new FlowCollector(file, sink);
  let pending = '';
  let pendingLine = 0;
  const finish = (xml: string, lineNumber: number): void => {
    const result = parseFlowElement(xml);
    if ('reason' in result) sink.diagnostic(diagnosticFor(file, lineNumber, xml, result.reason));
    else flows.add(result.record, lineNumber, xml);
  };
  return {
    line(text, lineNumber) {
      let rest = text.trim();
      while (rest.length > 0) {
        if (pending.length === 0) {
          const start = rest.search(FLOW_START);
          const before = (start < 0 ? rest : rest.slice(0, start)).trim();
          // The prologue, the root element and its end are not flows.
          const wrapper = before.replace(/<\?xml[^>]*\?>|<\/?conntrack>/g, '').trim();
          if (wrapper.length > 0) sink.diagnostic(diagnosticFor(file, lineNumber, text, 'not a conntrack XML <flow>'));
          if (start < 0) return;
          rest = rest.slice(start);
          pendingLine = lineNumber;
        }
        const end = rest.indexOf('</flow>');
        if (end < 0) {
          pending += rest;
          if (pending.length > MAX_FLOW_CHARS) {
            sink.diagnostic(diagnosticFor(file, pendingLine, pending, '<flow> element never closed'));
            pending = '';
          }
          return;
        }
        finish(pending + rest.slice(0, end + '</flow>'.length), pendingLine);
        pending = '';
        rest = rest.slice(end + '</flow>'.length).trim();
      }
    },
    end() {
      if (pending.length > 0) sink.diagnostic(diagnosticFor(file, pendingLine, pending, 'input ends inside a <flow> element'));
      pending = '';
      flows.end();
    },
  };
}

export const conntrackXml: CaptureFormat = {
  name: 'conntrack-xml',
  title: 'conntrack -L -o xml and the -E -o xml event stream (.bz2/.gz read as is)',
  commands: ['conntrack -L -o xml', 'conntrack -E -o xml'],
  sample: [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<conntrack>',
    '<flow type="new"><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>10.10.0.7</src><dst>198.51.100.9</dst></layer3><layer4 protonum="6" protoname="tcp"><sport>40022</sport><dport>443</dport></layer4></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>198.51.100.9</src><dst>203.0.113.2</dst></layer3><layer4 protonum="6" protoname="tcp"><sport>443</sport><dport>40022</dport></layer4></meta><meta direction="independent"><state>SYN_SENT</state><timeout>120</timeout><id>921410688</id><unreplied/></meta></flow>',
    '</conntrack>',
  ].join('\n'),
  detect: detectConntrackXml,
  createParser: createConntrackXmlParser,
};
