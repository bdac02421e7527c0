// A small stub resolver over node:dgram with dns-packet. It trusts nothing:
// an answer is accepted only when it comes from the server we asked (address
// and port), carries the random ID we sent on that socket, and repeats our
// question. Everything else is dropped and counted; a malformed or mismatched
// answer from the right place is remembered so a final failure says why.
import { createSocket, type Socket } from 'node:dgram';
import { randomFillSync } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';
import { rcodeName, rcodeOfMessage } from './rcode.js';
import { formatServer, type DnsServer } from './server-address.js';
import { queryOverTcp } from './tcp-query.js';
import { decodeNamePresentation, walkRecords } from './wire-records.js';

/** With the default socket receive buffer, the first burst of hundreds of replies (measured against knot on loopback) is dropped. */
export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** RFC 9715 / DNS flag day 2020: a payload size that avoids IP fragmentation. */
export const EDNS_UDP_PAYLOAD_BYTES = 1232;
const FORMERR = 1;
/**
 * A dead resolver would otherwise cost every address its full retry schedule
 * (2 + 4 + 8 s by default): after this many timed-out attempts without a
 * single answer, further questions fail at once as timeouts.
 */
export const GIVE_UP_AFTER_SILENT_ATTEMPTS = 200;

export interface DnsClientOptions {
  servers: readonly DnsServer[];
  /** First attempt's timeout; each retry doubles it (backoff). */
  timeoutMs: number;
  /** Extra attempts after the first; they rotate through the servers. */
  retries: number;
  /** Sockets per server; each is bound to a random port by the kernel. */
  socketsPerServer?: number;
  edns?: boolean;
}

export interface DnsClientStats {
  sent: number;
  accepted: number;
  /** Replies whose ID matched nothing in flight on that socket (late, duplicate or spoofed). */
  droppedUnknownId: number;
  /** Replies with a known ID but from another address or port than the server asked. */
  droppedWrongServer: number;
  /** Replies that failed to decode (truncated, compression loops, bad labels). */
  droppedMalformed: number;
  /** Replies that decoded but did not repeat our question. */
  droppedWrongQuestion: number;
  timeouts: number;
  tcpFallbacks: number;
}

export type DnsQueryOutcome =
  | { kind: 'response'; packet: DecodedPacket; rcode: string; server: DnsServer; viaTcp: boolean }
  | { kind: 'timeout'; server: DnsServer; detail: string }
  | { kind: 'error'; server: DnsServer | null; detail: string };

interface Pending {
  name: string;
  type: RecordType;
  server: DnsServer;
  /** Why an answer from the right server was rejected, if one was. */
  rejected: string | null;
  timer: NodeJS.Timeout;
  settle: (outcome: AttemptOutcome) => void;
}

type MessageOutcome = { kind: 'message'; packet: DecodedPacket; rcode: number; viaTcp: boolean };
type AttemptOutcome = MessageOutcome | { kind: 'timeout' } | { kind: 'error'; detail: string };

interface PooledSocket {
  socket: Socket;
  ready: Promise<void>;
  /** Set once bound and connected: attempts then skip awaiting `ready`. */
  isReady: boolean;
  pending: Map<number, Pending>;
}

export class DnsClient {
  readonly stats: DnsClientStats = {
    sent: 0,
    accepted: 0,
    droppedUnknownId: 0,
    droppedWrongServer: 0,
    droppedMalformed: 0,
    droppedWrongQuestion: 0,
    timeouts: 0,
    tcpFallbacks: 0,
  };
  /** Sockets per server ('host:port'), each connected to it. */
  private readonly pools = new Map<string, PooledSocket[]>();
  private nextSocket = 0;
  /**
   * Servers one ICMP port-unreachable showed dead ('host:port' -> why). The kernel
   * rate-limits those replies, so the rest of the queries may never hear one: one is enough.
   */
  private readonly unreachable = new Map<string, string>();
  private nextServer = 0;
  private randomPool = Buffer.alloc(0);
  private randomOffset = 0;
  private closed = false;

  constructor(private readonly options: DnsClientOptions) {
    if (options.servers.length === 0) throw new Error('DnsClient needs at least one server');
  }

  /** One question, with retries (doubling timeout, rotating servers) and TCP fallback. Never rejects. */
  async query(name: string, type: RecordType): Promise<DnsQueryOutcome> {
    const servers = this.options.servers;
    const first = this.nextServer++ % servers.length;
    let edns = this.options.edns ?? true;
    let last: DnsQueryOutcome | null = null;
    let triedAfterFailure: Set<number> | null = null;
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (this.closed) return { kind: 'error', server: null, detail: 'resolver closed' };
      if (this.stats.accepted === 0 && this.stats.timeouts >= GIVE_UP_AFTER_SILENT_ATTEMPTS) {
        const list = servers.map(formatServer).join(', ');
        return { kind: 'timeout', server: servers[first] as DnsServer, detail: `not asked: ${list} answered none of the first ${this.stats.timeouts} attempts` };
      }
      const serverIndex = (first + attempt) % servers.length;
      const server = servers[serverIndex] as DnsServer;
      const timeoutMs = this.options.timeoutMs * 2 ** attempt;
      let outcome = await this.udpAttempt(server, name, type, timeoutMs, edns);
      if (outcome.kind === 'message' && outcome.rcode === FORMERR && edns) {
        // Old servers answer FORMERR to an OPT record (RFC 6891 7): ask again without it.
        edns = false;
        outcome = await this.udpAttempt(server, name, type, timeoutMs, edns);
      }
      if (outcome.kind === 'message' && outcome.packet.flag_tc) {
        this.stats.tcpFallbacks++;
        outcome = await this.tcpAttempt(server, name, type, timeoutMs);
      }
      if (outcome.kind === 'timeout') {
        this.stats.timeouts++;
        last = { kind: 'timeout', server, detail: `no answer from ${formatServer(server)} within ${timeoutMs} ms` };
        continue;
      }
      if (outcome.kind === 'error') {
        last = { kind: 'error', server, detail: outcome.detail };
        continue;
      }
      const response: DnsQueryOutcome = { kind: 'response', packet: outcome.packet, rcode: rcodeName(outcome.rcode), server, viaTcp: outcome.viaTcp };
      // SERVFAIL/REFUSED speak for one server only: ask the others once each before giving up.
      if ((response.rcode === 'SERVFAIL' || response.rcode === 'REFUSED') && servers.length > 1) {
        triedAfterFailure ??= new Set();
        triedAfterFailure.add(serverIndex);
        last = response;
        if (triedAfterFailure.size < servers.length) continue;
      }
      return response;
    }
    return last ?? { kind: 'error', server: null, detail: 'no attempt made' };
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const pool of this.pools.values()) {
      for (const pooled of pool) {
        for (const pending of pooled.pending.values()) {
          clearTimeout(pending.timer);
          pending.settle({ kind: 'error', detail: 'resolver closed' });
        }
        pooled.pending.clear();
        closing.push(
          pooled.ready.then(
            () => new Promise<void>((resolve) => pooled.socket.close(() => resolve())),
            () => undefined,
          ),
        );
      }
    }
    this.pools.clear();
    await Promise.all(closing);
  }

  private async udpAttempt(server: DnsServer, name: string, type: RecordType, timeoutMs: number, edns: boolean): Promise<AttemptOutcome> {
    const dead = this.unreachable.get(formatServer(server));
    if (dead !== undefined) return { kind: 'error', detail: dead };
    let pooled: PooledSocket;
    try {
      pooled = this.socketFor(server);
      if (!pooled.isReady) await pooled.ready;
    } catch (error) {
      return { kind: 'error', detail: `cannot open a UDP socket: ${(error as Error).message}` };
    }
    const id = this.freeId(pooled.pending);
    const message = encodeQuery(id, name, type, edns);
    return new Promise<AttemptOutcome>((resolve) => {
      const pending: Pending = {
        name: name.toLowerCase(),
        type,
        server,
        rejected: null,
        timer: setTimeout(() => {
          pooled.pending.delete(id);
          resolve(pending.rejected ? { kind: 'error', detail: pending.rejected } : { kind: 'timeout' });
        }, timeoutMs),
        settle: resolve,
      };
      pooled.pending.set(id, pending);
      this.stats.sent++;
      pooled.socket.send(message, (error) => {
        if (!error || !pooled.pending.has(id)) return;
        clearTimeout(pending.timer);
        pooled.pending.delete(id);
        resolve({ kind: 'error', detail: `send to ${formatServer(server)} failed: ${error.message}` });
      });
    });
  }

  private async tcpAttempt(server: DnsServer, name: string, type: RecordType, timeoutMs: number): Promise<AttemptOutcome> {
    const id = this.randomId();
    let message: Buffer;
    try {
      message = await queryOverTcp(server, encodeQuery(id, name, type, true), timeoutMs);
    } catch (error) {
      return { kind: 'error', detail: `answer truncated over UDP and TCP failed: ${(error as Error).message}` };
    }
    const verdict = checkAnswer(message, id, name, type);
    if (verdict.kind === 'error') return verdict;
    this.stats.accepted++;
    return { ...verdict, viaTcp: true };
  }

  private socketFor(server: DnsServer): PooledSocket {
    const key = formatServer(server);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = [];
      for (let i = 0; i < (this.options.socketsPerServer ?? 4); i++) pool.push(this.openSocket(server));
      this.pools.set(key, pool);
    }
    return pool[this.nextSocket++ % pool.length] as PooledSocket;
  }

  /**
   * Bound to port 0 (a random port from the kernel), then connected to the
   * server: the kernel drops datagrams from any other address or port, and
   * sends skip the per-datagram address lookup (measured: the hot path of a batch).
   */
  private openSocket(server: DnsServer): PooledSocket {
    const family = server.family;
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      // Port 0: the kernel picks a random ephemeral source port per socket.
      socket.bind(0, family === 6 ? '::' : '0.0.0.0', () => {
        try {
          socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
        } catch {
          // Capped by net.core.rmem_max; a smaller buffer only costs retries.
        }
        socket.connect(server.port, server.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    });
    // The rejection handler keeps an unused socket's failure from being unhandled; attempts await `ready` themselves.
    const pooled: PooledSocket = { socket, ready, isReady: false, pending };
    ready.then(
      () => void (pooled.isReady = true),
      () => undefined,
    );
    // A connected socket hears ICMP port unreachable as ECONNREFUSED: nothing listens
    // there, so fail the open attempts now instead of waiting for their timeouts.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNREFUSED') return;
      const key = formatServer(server);
      const detail = `${key} is unreachable (ICMP port unreachable: no DNS server listens there)`;
      this.unreachable.set(key, detail);
      // Every socket to that server, not only the one the (rate-limited) ICMP reached.
      for (const pooledSocket of this.pools.get(key) ?? []) {
        for (const [id, waiting] of pooledSocket.pending) {
          clearTimeout(waiting.timer);
          pooledSocket.pending.delete(id);
          waiting.settle({ kind: 'error', detail });
        }
      }
    });
    socket.on('message', (message: Buffer, remote) => this.onMessage(pending, message, remote.address, remote.port));
    return pooled;
  }

  private onMessage(pendingById: Map<number, Pending>, message: Buffer, address: string, port: number): void {
    if (message.length < 2) {
      this.stats.droppedMalformed++;
      return;
    }
    const id = message.readUInt16BE(0);
    const pending = pendingById.get(id);
    if (!pending) {
      this.stats.droppedUnknownId++;
      return;
    }
    if (address !== pending.server.host || port !== pending.server.port) {
      this.stats.droppedWrongServer++;
      return;
    }
    const verdict = checkAnswer(message, id, pending.name, pending.type);
    if (verdict.kind === 'error') {
      if (verdict.detail.startsWith('malformed')) this.stats.droppedMalformed++;
      else this.stats.droppedWrongQuestion++;
      pending.rejected = verdict.detail;
      return;
    }
    clearTimeout(pending.timer);
    pendingById.delete(id);
    this.stats.accepted++;
    pending.settle(verdict);
  }

  private freeId(inUse: Map<number, Pending>): number {
    for (;;) {
      const id = this.randomId();
      if (!inUse.has(id)) return id;
    }
  }

  /** IDs from the CSPRNG (RFC 5452), drawn from a refilled pool to keep the hot path cheap. */
  private randomId(): number {
    if (this.randomOffset + 2 > this.randomPool.length) {
      this.randomPool = randomFillSync(Buffer.alloc(4096));
      this.randomOffset = 0;
    }
    const id = this.randomPool.readUInt16BE(this.randomOffset);
    this.randomOffset += 2;
    return id;
  }
}

const PTR_TYPE_CODE = 12;
const QUERY_TYPE_CODES: Partial<Record<RecordType, number>> = { A: 1, CNAME: 5, SOA: 6, PTR: 12, AAAA: 28 };
const OPT_RECORD = Buffer.from([0, 0, 41, EDNS_UDP_PAYLOAD_BYTES >> 8, EDNS_UDP_PAYLOAD_BYTES & 255, 0, 0, 0, 0, 0, 0]);

/**
 * A recursive query with one question (and an EDNS0 OPT record), written by
 * hand: it is on every query's path and dns-packet's general encoder was a
 * measurable share of a batch. Names are ASCII (reverse names, validated
 * hostnames); anything else goes through dns-packet, which refuses what it must.
 */
export function encodeQuery(id: number, name: string, type: RecordType, edns: boolean): Buffer {
  const typeCode = QUERY_TYPE_CODES[type];
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const nameBytes = trimmed.length + (labels.length > 0 ? 2 : 1);
  if (typeCode === undefined || !/^[\x21-\x7e]*$/.test(trimmed) || nameBytes > 255 || labels.some((label) => label.length === 0 || label.length > 63)) {
    return dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD_BYTES, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } satisfies dnsPacket.OptAnswer] } : {}),
    });
  }
  const message = Buffer.allocUnsafe(12 + nameBytes + 4 + (edns ? OPT_RECORD.length : 0));
  message.writeUInt16BE(id, 0);
  message.writeUInt16BE(dnsPacket.RECURSION_DESIRED, 2);
  message.writeUInt16BE(1, 4); // QDCOUNT
  message.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
  message.writeUInt16BE(edns ? 1 : 0, 10); // ARCOUNT
  let offset = 12;
  for (const label of labels) {
    message[offset++] = label.length;
    offset += message.write(label, offset, 'latin1');
  }
  message[offset++] = 0;
  message.writeUInt16BE(typeCode, offset);
  message.writeUInt16BE(1, offset + 2); // class IN
  if (edns) OPT_RECORD.copy(message, offset + 4);
  return message;
}

/** Decode and verify one reply: QR set, our ID, our question. dns-packet throws on bad input; we never do. */
export function checkAnswer(message: Buffer, id: number, name: string, type: RecordType): MessageOutcome | { kind: 'error'; detail: string } {
  if (message.length < 12) return { kind: 'error', detail: 'malformed answer: shorter than a DNS header' };
  if (message.readUInt16BE(0) !== id) return { kind: 'error', detail: 'mismatched answer: wrong query ID' };
  if (((message[2] ?? 0) & 0x80) === 0) return { kind: 'error', detail: 'malformed answer: QR bit not set' };
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch (error) {
    return { kind: 'error', detail: `malformed answer: ${(error as Error).message}` };
  }
  // dns-packet reads a record whose RDLENGTH runs past the end, and turns non-UTF-8 label bytes into U+FFFD.
  const walk = walkRecords(message);
  if (!walk.ok) return { kind: 'error', detail: `malformed answer: ${walk.reason}` };
  const answers = packet.answers ?? [];
  let answerIndex = 0;
  for (const record of walk.records) {
    if (record.section !== 'answer') continue;
    const decoded = answers[answerIndex++];
    if (record.type !== PTR_TYPE_CODE || decoded?.type !== 'PTR') continue;
    const name = decodeNamePresentation(message, record.rdataOffset);
    if (name === null) return { kind: 'error', detail: 'malformed answer: PTR name with a pointer loop or past the end' };
    decoded.data = name;
  }
  const question = packet.questions?.[0];
  if (packet.questions?.length !== 1 || !question || question.name.toLowerCase() !== name.toLowerCase() || question.type !== type || (question.class ?? 'IN') !== 'IN') {
    return { kind: 'error', detail: 'mismatched answer: it does not repeat our question' };
  }
  return { kind: 'message', packet, rcode: rcodeOfMessage(message), viaTcp: false };
}
