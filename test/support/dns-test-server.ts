// In-process DNS servers (dns-packet over dgram/net on 127.0.0.1) that misbehave
// on purpose: silence, SERVFAIL, REFUSED, truncation, spoofed IDs, answers to
// another question, malformed bytes and compression loops.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

export interface QueryContext {
  /** The decoded query (null when the bytes did not decode). */
  query: DecodedPacket | null;
  raw: Buffer;
  transport: 'udp' | 'tcp';
  /** Number of this query on the server, from 1. */
  seq: number;
  reply(message: Buffer): void;
  /** Send from a different socket (another source port): a spoofing attempt. */
  replyFromOtherPort(message: Buffer): void;
}

export type Responder = (context: QueryContext) => void;

export interface TestDnsServer {
  server: string;
  port: number;
  /** Queries received, per transport. */
  counts: { udp: number; tcp: number };
  stop(): Promise<void>;
}

export async function startDnsTestServer(udp: Responder, tcp?: Responder): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const other = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => other.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  const counts = { udp: 0, tcp: 0 };
  let stopped = false;
  socket.on('message', (raw: Buffer, remote) => {
    counts.udp++;
    // Delayed replies may fire after stop(): they are dropped, not thrown.
    udp({
      query: tryDecode(raw),
      raw,
      transport: 'udp',
      seq: counts.udp,
      reply: (message) => void (stopped || socket.send(message, remote.port, remote.address)),
      replyFromOtherPort: (message) => void (stopped || other.send(message, remote.port, remote.address)),
    });
  });
  let tcpServer: Server | null = null;
  if (tcp) {
    tcpServer = createServer((connection) => {
      let buffered = Buffer.alloc(0);
      connection.on('error', () => undefined);
      connection.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
        const raw = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        counts.tcp++;
        const send = (message: Buffer) => {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(message.length);
          connection.end(Buffer.concat([length, message]));
        };
        tcp({ query: tryDecode(raw), raw, transport: 'tcp', seq: counts.tcp, reply: send, replyFromOtherPort: send });
      });
    });
    await new Promise<void>((resolve) => tcpServer?.listen(port, '127.0.0.1', () => resolve()));
  }
  return {
    server: `127.0.0.1:${port}`,
    port,
    counts,
    stop: async () => {
      stopped = true;
      await Promise.all([closeSocket(socket), closeSocket(other), new Promise<void>((resolve) => (tcpServer ? tcpServer.close(() => resolve()) : resolve()))]);
    },
  };
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

function tryDecode(raw: Buffer): DecodedPacket | null {
  try {
    return dnsPacket.decode(raw);
  } catch {
    return null;
  }
}

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** A response to `query` (same ID and question) with the given sections and rcode. */
export function responseTo(
  query: DecodedPacket,
  sections: { answers?: Answer[]; authorities?: Answer[]; rcode?: number; truncated?: boolean; id?: number; questionName?: string } = {},
): Buffer {
  const question = query.questions?.[0];
  const questions = question ? [{ ...question, name: sections.questionName ?? question.name }] : [];
  const flags = (sections.truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | dnsPacket.AUTHORITATIVE_ANSWER | (sections.rcode ?? 0);
  return dnsPacket.encode({
    type: 'response',
    id: sections.id ?? query.id ?? 0,
    flags,
    questions,
    answers: sections.answers ?? [],
    authorities: sections.authorities ?? [],
  });
}

export function ptrRecord(name: string, target: string, ttl = 600): Answer {
  return { type: 'PTR', name, ttl, class: 'IN', data: target };
}

export function soaRecord(zone: string, ttl: number, minimum: number): Answer {
  return { type: 'SOA', name: zone, ttl, class: 'IN', data: { mname: 'ns.test', rname: 'hostmaster.test', serial: 1, refresh: 3600, retry: 900, expire: 604800, minimum } };
}

/** Answers REFUSED to everything: the default server when knotd is missing, so nothing leaves loopback. */
export function startRefusingDnsServer(): Promise<TestDnsServer> {
  return startDnsTestServer((context) => {
    if (context.query) context.reply(responseTo(context.query, { rcode: RCODE.REFUSED }));
  });
}
