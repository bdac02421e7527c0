// A small stub resolver over node:dgram with dns-packet. It trusts nothing:
// an answer is accepted only when it comes from the server we asked (address
// and port), carries the random ID we sent on that socket, and repeats our
// question. Everything else is dropped and counted; a malformed or mismatched
// answer from the right place is remembered so a final failure says why.
import { createSocket, type Socket } from 'node:dgram';
import { randomFillSync } from 'node:crypto';
import type { DecodedPacket, OptAnswer, RecordType } from 'dns-packet';
import { dnsPacket } from './dns-packet-lazy.js';
import { rcodeName, rcodeOfMessage } from './rcode.js';
import { formatServer, type DnsServer } from './server-address.js';
import { queryOverTcp } from './tcp-query.js';
import { decodeNamePresentation, walkRecords } from './wire-records.js';
import { readFastAnswer, TYPE_A, TYPE_AAAA, TYPE_PTR, type FastAnswer } from './fast-answer.js';

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

/** A plain answer read straight from the wire (fast-answer.ts): no dns-packet objects. */
export type FastQueryOutcome = { kind: 'fast'; answer: FastAnswer; server: DnsServer };

type MessageOutcome = { kind: 'message'; packet: DecodedPacket; rcode: number; viaTcp: boolean };
type AttemptOutcome = MessageOutcome | { kind: 'fast'; answer: FastAnswer } | { kind: 'timeout' } | { kind: 'error'; detail: string };

/** One question through its attempts (retries, FORMERR without EDNS, TC over TCP, other servers after SERVFAIL). */
interface Job {
  name: string;
  /** Lower case, without the final dot: what the answer's question must repeat. */
  lowerName: string;
  type: RecordType;
  /** The type's code when the fast reader may answer it, else 0 (the caller wants dns-packet's packet). */
  fastType: number;
  first: number;
  attempt: number;
  /** The current attempt's server and timeout. */
  serverIndex: number;
  timeoutMs: number;
  edns: boolean;
  last: DnsQueryOutcome | FastQueryOutcome | null;
  triedAfterFailure: Set<number> | null;
  done: (outcome: DnsQueryOutcome | FastQueryOutcome) => void;
}

interface Pending {
  id: number;
  pooled: PooledSocket;
  job: Job;
  server: DnsServer;
  /** Why an answer from the right server was rejected, if one was. */
  rejected: string | null;
  deadlineMs: number;
  settled: boolean;
}

interface PooledSocket {
  socket: Socket;
  ready: Promise<void>;
  /** Set once bound and connected: attempts then skip awaiting `ready`. */
  isReady: boolean;
  pending: Map<number, Pending>;
  sends: number;
}

/**
 * Sends whose failure is reported to a callback: the first few on each socket and then one in
 * SEND_CHECK_EVERY. A callback costs a request object and a tick per datagram, measurable in a
 * batch; a send that fails unseen is a lost datagram, retried like one. A lasting failure (a
 * firewall's EPERM) still shows on the checked sends.
 */
const CHECKED_FIRST_SENDS = 8;
const SEND_CHECK_EVERY = 32;

/** Answered attempts left in the queues past which they are dropped (when they are also most of them). */
const COMPACT_AFTER_SETTLED = 64;

/**
 * Timeouts without a timer per query: attempts wait in FIFO queues by timeout length (so
 * each queue is in deadline order) and one timer fires at the earliest deadline. Answered
 * attempts stay queued, marked settled, until the sweep passes them or, once they are most
 * of the queues, a compaction drops them: a batch answered faster than its timeout would
 * otherwise keep every attempt it made (and its question) alive to the end.
 */
class TimeoutSweep {
  private readonly queues = new Map<number, { items: Pending[]; head: number }>();
  private timer: NodeJS.Timeout | null = null;
  private armedForMs = Number.POSITIVE_INFINITY;
  private open = 0;
  private sweeping = false;

  constructor(private readonly expire: (pending: Pending) => void) {}

  add(pending: Pending, timeoutMs: number): void {
    let queue = this.queues.get(timeoutMs);
    if (!queue) this.queues.set(timeoutMs, (queue = { items: [], head: 0 }));
    queue.items.push(pending);
    this.open++;
    if (pending.deadlineMs < this.armedForMs) this.arm(pending.deadlineMs);
  }

  /** An attempt left the queue's care (answered or failed): once none is open, no timer keeps the process up. */
  settled(): void {
    if (--this.open > 0) {
      if (this.open * 2 + COMPACT_AFTER_SETTLED < this.queued() && !this.sweeping) this.compact();
      return;
    }
    this.open = 0;
    this.queues.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedForMs = Number.POSITIVE_INFINITY;
  }

  /** Attempts still queued, settled or not (a few queues: one per timeout length in use). */
  private queued(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.items.length - queue.head;
    return count;
  }

  /** Keeps only the open attempts, in order (the deadline order of each queue holds). */
  private compact(): void {
    for (const queue of this.queues.values()) {
      const { items } = queue;
      let kept = 0;
      for (let index = queue.head; index < items.length; index++) {
        const pending = items[index] as Pending;
        if (!pending.settled) items[kept++] = pending;
      }
      items.length = kept;
      queue.head = 0;
    }
  }

  private arm(deadlineMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedForMs = deadlineMs;
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadlineMs - performance.now())));
  }

  private readonly sweep = (): void => {
    this.timer = null;
    this.armedForMs = Number.POSITIVE_INFINITY;
    const nowMs = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [timeoutMs, queue] of this.queues) {
      const { items } = queue;
      // expire() settles attempts (and may queue retries): no compaction under this loop.
      this.sweeping = true;
      while (queue.head < items.length) {
        const pending = items[queue.head] as Pending;
        if (!pending.settled && pending.deadlineMs > nowMs) break;
        queue.head++;
        if (!pending.settled) this.expire(pending);
      }
      this.sweeping = false;
      if (queue.head === items.length) {
        this.queues.delete(timeoutMs);
        continue;
      }
      if (queue.head > 1024 && queue.head * 2 > items.length) {
        items.splice(0, queue.head);
        queue.head = 0;
      }
      next = Math.min(next, (items[queue.head] as Pending).deadlineMs);
    }
    // expire() may have queued retries and armed the timer already.
    if (next < this.armedForMs) this.arm(next);
  };
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
  private readonly serverKeys: string[];
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
  /** Queries waiting for the end of this event-loop turn: pending, message, pending, message... */
  private outbox: (Pending | Buffer)[] = [];
  private flushScheduled = false;
  private readonly sweep = new TimeoutSweep((pending) => {
    pending.pooled.pending.delete(pending.id);
    this.settle(pending, pending.rejected ? { kind: 'error', detail: pending.rejected } : { kind: 'timeout' });
  });

  constructor(private readonly options: DnsClientOptions) {
    if (options.servers.length === 0) throw new Error('DnsClient needs at least one server');
    this.serverKeys = options.servers.map(formatServer);
  }

  /** One question, with retries (doubling timeout, rotating servers) and TCP fallback. Never rejects. */
  query(name: string, type: RecordType): Promise<DnsQueryOutcome> {
    return new Promise((resolve) => this.start(name, type, 0, resolve as (outcome: DnsQueryOutcome | FastQueryOutcome) => void));
  }

  /**
   * The same question, without a promise: `done` is called once. A PTR, A or AAAA answer of
   * the plain shape (fast-answer.ts) comes back as 'fast'; anything else as query() returns it.
   */
  queryFast(name: string, type: RecordType, done: (outcome: DnsQueryOutcome | FastQueryOutcome) => void): void {
    this.start(name, type, FAST_TYPE_CODES[type] ?? 0, done);
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const pool of this.pools.values()) {
      for (const pooled of pool) {
        for (const pending of [...pooled.pending.values()]) {
          pooled.pending.delete(pending.id);
          this.settle(pending, { kind: 'error', detail: 'resolver closed' });
        }
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

  private start(name: string, type: RecordType, fastType: number, done: Job['done']): void {
    const lowerName = name.toLowerCase();
    const job: Job = {
      name,
      lowerName: lowerName.endsWith('.') ? lowerName.slice(0, -1) : lowerName,
      type,
      fastType,
      first: this.nextServer++ % this.options.servers.length,
      attempt: 0,
      serverIndex: 0,
      timeoutMs: 0,
      edns: this.options.edns ?? true,
      last: null,
      triedAfterFailure: null,
      done,
    };
    this.step(job);
  }

  /** The next attempt of `job`, or its end. */
  private step(job: Job): void {
    const servers = this.options.servers;
    if (job.attempt > this.options.retries) {
      job.done(job.last ?? { kind: 'error', server: null, detail: 'no attempt made' });
      return;
    }
    if (this.closed) {
      job.done({ kind: 'error', server: null, detail: 'resolver closed' });
      return;
    }
    if (this.stats.accepted === 0 && this.stats.timeouts >= GIVE_UP_AFTER_SILENT_ATTEMPTS) {
      const list = this.serverKeys.join(', ');
      job.done({ kind: 'timeout', server: servers[job.first] as DnsServer, detail: `not asked: ${list} answered none of the first ${this.stats.timeouts} attempts` });
      return;
    }
    job.serverIndex = (job.first + job.attempt) % servers.length;
    job.timeoutMs = this.options.timeoutMs * 2 ** job.attempt;
    this.udpAttempt(job);
  }

  /** Where every UDP attempt of `job` ends. */
  private afterUdp(job: Job, outcome: AttemptOutcome): void {
    if (outcome.kind === 'message' && outcome.rcode === FORMERR && job.edns) {
      // Old servers answer FORMERR to an OPT record (RFC 6891 7): ask again without it.
      job.edns = false;
      this.udpAttempt(job);
      return;
    }
    if (outcome.kind === 'message' && outcome.packet.flag_tc) {
      this.stats.tcpFallbacks++;
      void this.tcpAttempt(this.options.servers[job.serverIndex] as DnsServer, job.name, job.type, job.timeoutMs).then((overTcp) => this.afterAttempt(job, overTcp));
      return;
    }
    this.afterAttempt(job, outcome);
  }

  private afterAttempt(job: Job, outcome: AttemptOutcome): void {
    const servers = this.options.servers;
    const { serverIndex, timeoutMs } = job;
    const server = servers[serverIndex] as DnsServer;
    if (outcome.kind === 'fast') {
      const fast: FastQueryOutcome = { kind: 'fast', answer: outcome.answer, server };
      if (outcome.answer.kind === 'failed' && servers.length > 1 && this.tryOtherServer(job, fast)) return;
      job.done(fast);
      return;
    }
    if (outcome.kind === 'timeout' || outcome.kind === 'error') {
      if (outcome.kind === 'timeout') this.stats.timeouts++;
      job.last = outcome.kind === 'timeout' ? { kind: 'timeout', server, detail: `no answer from ${this.serverKeys[serverIndex]} within ${timeoutMs} ms` } : { kind: 'error', server, detail: outcome.detail };
      job.attempt++;
      this.step(job);
      return;
    }
    const response: DnsQueryOutcome = { kind: 'response', packet: outcome.packet, rcode: rcodeName(outcome.rcode), server, viaTcp: outcome.viaTcp };
    if ((response.rcode === 'SERVFAIL' || response.rcode === 'REFUSED') && servers.length > 1 && this.tryOtherServer(job, response)) return;
    job.done(response);
  }

  /** SERVFAIL/REFUSED speak for one server only: ask the others once each before giving up. False once all were asked. */
  private tryOtherServer(job: Job, failure: DnsQueryOutcome | FastQueryOutcome): boolean {
    job.triedAfterFailure ??= new Set();
    job.triedAfterFailure.add(job.serverIndex);
    job.last = failure;
    if (job.triedAfterFailure.size >= this.options.servers.length) return false;
    job.attempt++;
    this.step(job);
    return true;
  }

  private udpAttempt(job: Job): void {
    const dead = this.unreachable.get(this.serverKeys[job.serverIndex] as string);
    if (dead !== undefined) {
      this.afterUdp(job, { kind: 'error', detail: dead });
      return;
    }
    let pooled: PooledSocket;
    try {
      pooled = this.socketFor(job.serverIndex);
    } catch (error) {
      this.afterUdp(job, { kind: 'error', detail: `cannot open a UDP socket: ${(error as Error).message}` });
      return;
    }
    if (pooled.isReady) {
      this.send(pooled, job);
      return;
    }
    pooled.ready.then(
      () => (this.closed ? this.afterUdp(job, { kind: 'error', detail: 'resolver closed' }) : this.send(pooled, job)),
      (error: Error) => this.afterUdp(job, { kind: 'error', detail: `cannot open a UDP socket: ${error.message}` }),
    );
  }

  private send(pooled: PooledSocket, job: Job): void {
    const id = this.freeId(pooled.pending);
    const message = encodeQuery(id, job.name, job.type, job.edns);
    const server = this.options.servers[job.serverIndex] as DnsServer;
    // Whole milliseconds: a small integer field (not a boxed number per attempt) in any process younger than 12 days.
    const pending: Pending = { id, pooled, job, server, rejected: null, deadlineMs: Math.floor(performance.now()) + job.timeoutMs, settled: false };
    pooled.pending.set(id, pending);
    this.sweep.add(pending, job.timeoutMs);
    this.stats.sent++;
    this.outbox.push(pending, message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /**
   * Queries asked during one event-loop turn (typically while handling a burst of replies)
   * leave together after it: the server wakes once for the burst instead of once per query.
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const outbox = this.outbox;
    this.outbox = [];
    for (let index = 0; index < outbox.length; index += 2) {
      const pending = outbox[index] as Pending;
      if (pending.settled) continue;
      const message = outbox[index + 1] as Buffer;
      const pooled = pending.pooled;
      const sends = pooled.sends++;
      if (sends >= CHECKED_FIRST_SENDS && sends % SEND_CHECK_EVERY !== 0) {
        pooled.socket.send(message);
        continue;
      }
      pooled.socket.send(message, (error) => {
        if (!error || pending.settled) return;
        pooled.pending.delete(pending.id);
        this.settle(pending, { kind: 'error', detail: `send to ${formatServer(pending.server)} failed: ${error.message}` });
      });
    }
  };

  /** Ends one attempt exactly once. */
  private settle(pending: Pending, outcome: AttemptOutcome): void {
    if (pending.settled) return;
    pending.settled = true;
    this.sweep.settled();
    this.afterUdp(pending.job, outcome);
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

  private socketFor(serverIndex: number): PooledSocket {
    const key = this.serverKeys[serverIndex] as string;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = [];
      for (let i = 0; i < (this.options.socketsPerServer ?? 4); i++) pool.push(this.openSocket(this.options.servers[serverIndex] as DnsServer, key));
      this.pools.set(key, pool);
    }
    return pool[this.nextSocket++ % pool.length] as PooledSocket;
  }

  /**
   * Bound to port 0 (a random port from the kernel), then connected to the
   * server: the kernel drops datagrams from any other address or port, and
   * sends skip the per-datagram address lookup (measured: the hot path of a batch).
   */
  private openSocket(server: DnsServer, key: string): PooledSocket {
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
    // The rejection handler keeps an unused socket's failure from being unhandled; attempts wait for `ready` themselves.
    const pooled: PooledSocket = { socket, ready, isReady: false, pending, sends: 0 };
    ready.then(
      () => void (pooled.isReady = true),
      () => undefined,
    );
    // A connected socket hears ICMP port unreachable as ECONNREFUSED: nothing listens
    // there, so fail the open attempts now instead of waiting for their timeouts.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNREFUSED') return;
      const detail = `${key} is unreachable (ICMP port unreachable: no DNS server listens there)`;
      this.unreachable.set(key, detail);
      // Every socket to that server, not only the one the (rate-limited) ICMP reached.
      for (const pooledSocket of this.pools.get(key) ?? []) {
        for (const waiting of [...pooledSocket.pending.values()]) {
          pooledSocket.pending.delete(waiting.id);
          this.settle(waiting, { kind: 'error', detail });
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
    const job = pending.job;
    if (job.fastType !== 0) {
      const answer = readFastAnswer(message, job.lowerName, job.fastType);
      if (answer !== null) {
        pendingById.delete(id);
        this.stats.accepted++;
        this.settle(pending, { kind: 'fast', answer });
        return;
      }
    }
    const verdict = checkAnswer(message, id, job.name, job.type);
    if (verdict.kind === 'error') {
      if (verdict.detail.startsWith('malformed')) this.stats.droppedMalformed++;
      else this.stats.droppedWrongQuestion++;
      pending.rejected = verdict.detail;
      return;
    }
    pendingById.delete(id);
    this.stats.accepted++;
    this.settle(pending, verdict);
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

const FAST_TYPE_CODES: Partial<Record<RecordType, number>> = { PTR: TYPE_PTR, A: TYPE_A, AAAA: TYPE_AAAA };
const PTR_TYPE_CODE = 12;
/** The RD flag (dns-packet's RECURSION_DESIRED), here so a query needs no dns-packet. */
const RECURSION_DESIRED = 0x100;
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
  const length = name.endsWith('.') ? name.length - 1 : name.length;
  const nameBytes = length + (length > 0 ? 2 : 1);
  if (typeCode === undefined || nameBytes > 255 || !plainLabels(name, length)) {
    return dnsPacket().encode({
      type: 'query',
      id,
      flags: RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD_BYTES, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } satisfies OptAnswer] } : {}),
    });
  }
  const message = Buffer.allocUnsafe(12 + nameBytes + 4 + (edns ? OPT_RECORD.length : 0));
  message.writeUInt16BE(id, 0);
  message.writeUInt16BE(RECURSION_DESIRED, 2);
  message.writeUInt16BE(1, 4); // QDCOUNT
  message.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
  message.writeUInt16BE(edns ? 1 : 0, 10); // ARCOUNT
  // One pass: each label's length byte goes where its first '.' would be.
  let lengthAt = 12;
  let offset = 13;
  for (let index = 0; index < length; index++) {
    const code = name.charCodeAt(index);
    if (code === 0x2e) {
      message[lengthAt] = offset - lengthAt - 1;
      lengthAt = offset++;
    } else {
      message[offset++] = code;
    }
  }
  if (length > 0) message[lengthAt] = offset - lengthAt - 1;
  else offset = 12;
  message[offset++] = 0;
  message.writeUInt16BE(typeCode, offset);
  message.writeUInt16BE(1, offset + 2); // class IN
  if (edns) OPT_RECORD.copy(message, offset + 4);
  return message;
}

/** The first `length` characters are printable ASCII labels of 1 to 63 characters. */
function plainLabels(name: string, length: number): boolean {
  let label = 0;
  for (let index = 0; index < length; index++) {
    const code = name.charCodeAt(index);
    if (code === 0x2e) {
      if (label === 0) return false;
      label = 0;
    } else if (code < 0x21 || code > 0x7e || ++label > 63) {
      return false;
    }
  }
  return length === 0 || label > 0;
}

/** Decode and verify one reply: QR set, our ID, our question. dns-packet throws on bad input; we never do. */
export function checkAnswer(message: Buffer, id: number, name: string, type: RecordType): MessageOutcome | { kind: 'error'; detail: string } {
  if (message.length < 12) return { kind: 'error', detail: 'malformed answer: shorter than a DNS header' };
  if (message.readUInt16BE(0) !== id) return { kind: 'error', detail: 'mismatched answer: wrong query ID' };
  if (((message[2] ?? 0) & 0x80) === 0) return { kind: 'error', detail: 'malformed answer: QR bit not set' };
  let packet: DecodedPacket;
  try {
    packet = dnsPacket().decode(message);
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
