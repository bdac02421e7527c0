// The one-line flow text that /proc/net/nf_conntrack, the old /proc/net/ip_conntrack and
// `conntrack -L` / `conntrack -E` all print (libnetfilter_conntrack's default output):
//   [1696000000.123456] [NEW] ipv4 2 tcp 6 431999 ESTABLISHED src=A dst=B sport=P dport=Q packets=N bytes=N
//       [UNREPLIED] src=B dst=A sport=Q dport=P packets=N bytes=N [ASSURED] mark=0 zone=0 use=2 id=123
// Only the layer-4 name/number, the two src/dst groups and (for tcp/udp) the ports are required:
// the timestamp, event tag, layer-3 pair, timeout, state, accounting and the rest are optional.
// The first src= group is the original direction, the second the reply.
import type { FlowEventType, FlowRecord, ParsedTuple } from './conntrack-flows.js';

const EVENT_TAGS: Readonly<Record<string, FlowEventType>> = { '[NEW]': 'new', '[UPDATE]': 'update', '[DESTROY]': 'destroy' };
const L3_NAMES = new Set(['ipv4', 'ipv6']);
/** Protocols nf_conntrack names (anything else prints as `unknown`). */
export const L4_NAMES = ['tcp', 'udp', 'udplite', 'icmp', 'icmpv6', 'sctp', 'dccp', 'gre', 'unknown'] as const;
const L4_NAME_SET: ReadonlySet<string> = new Set(L4_NAMES);
const L4_PATTERN = L4_NAMES.join('|');

/** A flow line of either spelling (with or without the layer-3 pair, event tag, timestamp). */
export const FLOW_LINE = new RegExp(`^(?:\\[\\d+\\.\\d+\\]\\s+)?(?:\\[(?:NEW|UPDATE|DESTROY)\\]\\s+)?(?:ipv[46]\\s+\\d+\\s+)?(?:${L4_PATTERN})\\s+\\d+\\s.*\\bsrc=\\S+\\s+dst=\\S+`);
/** The /proc/net/nf_conntrack spelling: starts with the layer-3 name and number. */
export const PROC_FLOW_LINE = new RegExp(`^ipv[46]\\s+\\d+\\s+(?:${L4_PATTERN})\\s+\\d+\\s.*\\bsrc=\\S+\\s+dst=\\S+`);
/** conntrack-tools' closing line (stderr, often saved with 2>&1). */
export const CONNTRACK_FOOTER = /^conntrack v[\d.]+ \(conntrack-tools\): \d+ flow (entries|events) ha(ve|s) been shown\.$/;

export type LineResult = { record: FlowRecord } | { reason: string };

const NUMBER = /^\d{1,20}$/;

function countOf(text: string): number | undefined {
  return NUMBER.test(text) && text.length <= 15 ? Number(text) : undefined;
}

/** One flow line -> its record, or why it is not one. */
export function parseConntrackLine(line: string): LineResult {
  const tokens = line.trim().split(/\s+/);
  let index = 0;
  if (/^\[\d+\.\d+\]$/.test(tokens[index] ?? '')) index++;
  const event = EVENT_TAGS[tokens[index] ?? ''];
  if (event !== undefined) index++;
  if (L3_NAMES.has(tokens[index] ?? '') && NUMBER.test(tokens[index + 1] ?? '')) index += 2;
  const protocol = tokens[index] ?? '';
  if (!L4_NAME_SET.has(protocol) || !NUMBER.test(tokens[index + 1] ?? '')) return { reason: 'not a conntrack flow line (no protocol name and number)' };
  index += 2;
  const record: FlowRecord = { protocol, flags: [] };
  if (event !== undefined) record.event = event;
  // Timeout seconds (absent in destroy events), then the state word for tcp/sctp/dccp.
  if (NUMBER.test(tokens[index] ?? '')) index++;
  const maybeState = tokens[index] ?? '';
  if (/^[A-Z][A-Z0-9_]*$/.test(maybeState)) {
    record.state = maybeState;
    index++;
  }
  const tuples: ParsedTuple[] = [];
  let current: Partial<ParsedTuple> & { sport?: string; dport?: string } | null = null;
  const close = (): void => {
    if (!current) return;
    const tuple: ParsedTuple = {
      source: current.source ?? '',
      destination: current.destination ?? '',
      sourcePort: current.sport === undefined ? null : portOf(current.sport),
      destinationPort: current.dport === undefined ? null : portOf(current.dport),
    };
    if (current.packets !== undefined) tuple.packets = current.packets;
    if (current.bytes !== undefined) tuple.bytes = current.bytes;
    tuples.push(tuple);
    current = null;
  };
  for (; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === '[ASSURED]') record.flags.push('assured');
    else if (token === '[UNREPLIED]') record.flags.push('unreplied');
    if (token.startsWith('[')) continue;
    const equals = token.indexOf('=');
    if (equals <= 0) return { reason: `unexpected word '${token.slice(0, 40)}' in a conntrack flow line` };
    const key = token.slice(0, equals);
    const value = token.slice(equals + 1);
    if (key === 'src') {
      close();
      if (tuples.length === 2) return { reason: 'more than two src= groups' };
      current = { source: value };
    } else if (key === 'dst' && current) current.destination = value;
    else if (key === 'sport' && current) current.sport = value;
    else if (key === 'dport' && current) current.dport = value;
    else if (key === 'packets' && current) assignCount(current, 'packets', value);
    else if (key === 'bytes' && current) assignCount(current, 'bytes', value);
    else if (key === 'mark' || key === 'zone' || (key === 'id' && !protocol.startsWith('icmp'))) {
      close();
      if (key === 'id') {
        if (NUMBER.test(value)) record.id = value;
      } else {
        const number = countOf(value);
        if (number !== undefined) record[key] = number;
      }
    }
    // use=, secctx=, helper=, labels=, type=/code= (icmp), delta-time= ... are not kept.
  }
  close();
  if (tuples.length < 2) return { reason: 'conntrack flow line without both original and reply src=/dst= groups' };
  const [original, reply] = tuples as [ParsedTuple, ParsedTuple];
  if (original.destination === '' || reply.destination === '') return { reason: 'conntrack flow line with a src= but no dst=' };
  record.original = original;
  record.reply = reply;
  return { record };
}

function portOf(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

function assignCount(tuple: Partial<ParsedTuple>, key: 'packets' | 'bytes', value: string): void {
  const count = countOf(value);
  if (count !== undefined) tuple[key] = count;
}
