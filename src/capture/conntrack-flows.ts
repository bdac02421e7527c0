// What the three conntrack formats share: a flow (original and reply tuples, state, flags,
// mark/zone, accounting) -> one Connection from the original source to its destination, and the
// merging of an event stream (conntrack -E: new/update/destroy of the same flow) into one
// connection per flow. Table rows (/proc/net/nf_conntrack, conntrack -L) go out as they come;
// events are held until the end of the input, because later events complete earlier ones.
import type { Connection, ConnectionState, FlowDetails, FlowTuple, Protocol } from '../model/connection.js';
import { parseIpAddress } from '../net/ip.js';
import { sanitizeText } from '../net/sanitize.js';
import { diagnosticFor } from './build-connection.js';
import type { ParseSink } from './parser-types.js';

export type FlowEventType = 'new' | 'update' | 'destroy';

export interface ParsedTuple {
  source: string;
  destination: string;
  /** null when the protocol has no ports (icmp, gre). */
  sourcePort: number | null;
  destinationPort: number | null;
  packets?: number;
  bytes?: number;
}

/** One flow as one line (or one <flow> element) printed it. */
export interface FlowRecord {
  /** Event streams only: absent for table rows. */
  event?: FlowEventType;
  /** Layer-4 protocol name as printed ('tcp', 'udp', 'icmp', ...). */
  protocol: string;
  original?: ParsedTuple;
  reply?: ParsedTuple;
  /** TCP (and SCTP/DCCP) state word as printed; absent for udp. */
  state?: string;
  flags: ('assured' | 'unreplied')[];
  mark?: number;
  zone?: number;
  /** conntrack's flow id (-o id, XML <id>): what ties the events of one flow together. */
  id?: string;
}

/** conntrack's TCP states (nf_conntrack_proto_tcp.c tcp_conntrack_names) in our vocabulary. */
const CONNTRACK_TCP_STATES: Readonly<Record<string, ConnectionState>> = {
  NONE: 'UNKNOWN', SYN_SENT: 'SYN_SENT', SYN_SENT2: 'SYN_SENT', SYN_RECV: 'SYN_RECV', ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT: 'FIN_WAIT1', CLOSE_WAIT: 'CLOSE_WAIT', LAST_ACK: 'LAST_ACK', TIME_WAIT: 'TIME_WAIT', CLOSE: 'CLOSE',
  // Old ip_conntrack's name for simultaneous open; a flow is never a listening socket.
  LISTEN: 'SYN_SENT',
};

export function conntrackState(raw: string | undefined): ConnectionState {
  if (raw === undefined) return 'UNKNOWN';
  return CONNTRACK_TCP_STATES[raw.toUpperCase()] ?? 'UNKNOWN';
}

/** An address as conntrack prints it (IPv6 in full, `2001:0db8:0000:...`), canonical; null when it is none. */
export function flowAddress(text: string): { address: string; version: 4 | 6 } | null {
  const parsed = parseIpAddress(text);
  return parsed ? { address: parsed.text, version: parsed.version } : null;
}

function tupleOf(tuple: ParsedTuple): FlowTuple {
  return { source: tuple.source, sourcePort: tuple.sourcePort, destination: tuple.destination, destinationPort: tuple.destinationPort };
}

type Built = { connection: Connection } | { reason: string };

/** A flow -> a connection from the original source (local) to the original destination (remote). */
export function flowConnection(record: FlowRecord, file: string, line: number): Built {
  const protocol = record.protocol.toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') return { reason: `${sanitizeText(protocol, 20)} flow: only tcp and udp flows are connections` };
  const { original, reply } = record;
  if (!original || !reply) return { reason: 'flow without both original and reply tuples' };
  if (original.sourcePort === null || original.destinationPort === null) return { reason: 'tcp/udp flow without ports' };
  const source = flowAddress(original.source);
  const destination = flowAddress(original.destination);
  if (!source || !destination) return { reason: 'flow address is not an IP address' };
  const flow: FlowDetails = { reply: tupleOf(reply) };
  if (record.flags.length > 0) flow.flags = [...record.flags];
  if (record.mark !== undefined) flow.mark = record.mark;
  if (record.zone !== undefined) flow.zone = record.zone;
  if (original.packets !== undefined && reply.packets !== undefined) flow.packets = { original: original.packets, reply: reply.packets };
  if (original.bytes !== undefined && reply.bytes !== undefined) flow.bytes = { original: original.bytes, reply: reply.bytes };
  const connection: Connection = {
    protocol: protocol as Protocol,
    ipVersion: source.version,
    localAddress: source.address,
    localPort: original.sourcePort,
    remoteAddress: destination.address,
    remotePort: original.destinationPort,
    state: protocol === 'tcp' ? conntrackState(record.state) : 'UNKNOWN',
    rawState: record.state === undefined ? '' : sanitizeText(record.state, 20),
    recvQ: null,
    sendQ: null,
    pid: null,
    program: null,
    flow,
    source: { file, line },
  };
  return { connection };
}

/** Canonicalises a reply tuple's addresses in place; false when one is no IP address. */
export function canonicalTuple(tuple: ParsedTuple): boolean {
  const source = flowAddress(tuple.source);
  const destination = flowAddress(tuple.destination);
  if (!source || !destination) return false;
  tuple.source = source.address;
  tuple.destination = destination.address;
  return true;
}

interface HeldFlow {
  record: FlowRecord;
  line: number;
  raw: string;
  events: number;
  lastEvent: FlowEventType;
}

/**
 * Turns flow records into connections: table rows at once, event-stream records merged per flow
 * and written at end(), in first-seen order. A flow is its original tuple and zone: conntrack's
 * ids are reused (old kernels print the entry's address, nat-conntracker's stream reuses 166 ids
 * across 1,279 events), so an id only finds the flow for events that carry no tuple; a `new`
 * event after that tuple's `destroy` starts a new flow.
 */
export class FlowCollector {
  private readonly flows: HeldFlow[] = [];
  private readonly byTuple = new Map<string, HeldFlow>();
  private readonly byId = new Map<string, HeldFlow>();

  constructor(private readonly file: string, private readonly sink: ParseSink) {}

  add(record: FlowRecord, line: number, raw: string): void {
    if (record.reply && !canonicalTuple(record.reply)) {
      this.sink.diagnostic(diagnosticFor(this.file, line, raw, 'reply address is not an IP address'));
      return;
    }
    if (record.event === undefined) {
      this.emit(record, line, raw);
      return;
    }
    const key = tupleKey(record);
    let held = key === null ? (record.id === undefined ? undefined : this.byId.get(record.id)) : this.byTuple.get(key);
    if (held && record.event === 'new' && held.lastEvent === 'destroy') held = undefined;
    if (!held) {
      if (key === null) {
        // A destroy event that carries only an id, for a flow this stream never showed.
        const what = record.id === undefined ? 'without addresses or flow id' : `for flow id ${sanitizeText(record.id, 20)} with no addresses, and no earlier event of that flow`;
        this.sink.diagnostic(diagnosticFor(this.file, line, raw, `${record.event} event ${what}`));
        return;
      }
      held = { record: { ...record, flags: [...record.flags] }, line, raw, events: 1, lastEvent: record.event };
      this.flows.push(held);
      this.byTuple.set(key, held);
    } else {
      held.events++;
      held.lastEvent = record.event;
      mergeInto(held.record, record);
    }
    if (record.id !== undefined) this.byId.set(record.id, held);
  }

  end(): void {
    for (const held of this.flows) this.emit(held.record, held.line, held.raw, held);
    this.flows.length = 0;
    this.byTuple.clear();
    this.byId.clear();
  }

  private emit(record: FlowRecord, line: number, raw: string, held?: HeldFlow): void {
    const built = flowConnection(record, this.file, line);
    if ('reason' in built) {
      this.sink.diagnostic(diagnosticFor(this.file, line, raw, built.reason));
      return;
    }
    if (held) {
      built.connection.flow!.events = held.events;
      built.connection.flow!.lastEvent = held.lastEvent;
    }
    this.sink.connection(built.connection);
  }
}

function tupleKey(record: FlowRecord): string | null {
  const tuple = record.original;
  if (!tuple) return null;
  return `${record.protocol}|${tuple.source}|${tuple.sourcePort}|${tuple.destination}|${tuple.destinationPort}|${record.zone ?? 0}`;
}

/** A later event's facts win; what it leaves out (destroy events often carry only the id) stays. */
function mergeInto(target: FlowRecord, later: FlowRecord): void {
  if (later.original) target.original = later.original;
  if (later.reply) target.reply = later.reply;
  if (later.state !== undefined) target.state = later.state;
  if (later.mark !== undefined) target.mark = later.mark;
  if (later.zone !== undefined) target.zone = later.zone;
  for (const flag of later.flags) if (!target.flags.includes(flag)) target.flags.push(flag);
  // A flow that got its answer is no longer unreplied.
  if (later.flags.includes('assured') || (later.event === 'update' && !later.flags.includes('unreplied') && later.reply)) {
    target.flags = target.flags.filter((flag) => flag !== 'unreplied');
  }
}
