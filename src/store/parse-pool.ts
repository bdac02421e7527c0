// Inputs of `store add` read on worker threads: parsing is most of a load's CPU, and the main
// thread is busy appending to the store, so on two cores the two overlap. Replies are taken in
// input order, so messages and snapshot numbering are the same as reading one input at a time.
import type { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import type { ParsedInput } from './load-captures.js';
import type { ParseJob, ParseReply } from './parse-worker.js';

interface Pending {
  resolve: (result: ParsedInput | string) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class ParsePool {
  #nextId = 0;
  #closed = false;

  private constructor(private readonly workers: PoolWorker[], private readonly cwd: string, private readonly inputFormat: string | undefined) {}

  get size(): number {
    return this.workers.length;
  }

  static async create(count: number, cwd: string, inputFormat: string | undefined): Promise<ParsePool> {
    const { Worker } = await import('node:worker_threads');
    const url = new URL('./parse-worker.js', import.meta.url);
    const workers: PoolWorker[] = [];
    for (let i = 0; i < count; i++) {
      const entry: PoolWorker = { worker: new Worker(url), pending: new Map() };
      entry.worker.on('message', (reply: ParseReply) => {
        const pending = entry.pending.get(reply.id);
        if (!pending) return;
        entry.pending.delete(reply.id);
        if ('parsed' in reply) pending.resolve(reply.parsed);
        else if ('sha256' in reply) pending.resolve(reply.sha256);
        else pending.reject(reply.error.user ? new UserError(reply.error.message, reply.error.exitCode) : new Error(reply.error.message));
      });
      const fail = (error: Error): void => {
        for (const pending of entry.pending.values()) pending.reject(error);
        entry.pending.clear();
      };
      entry.worker.on('error', fail);
      entry.worker.on('exit', (code) => fail(new Error(`store add: a parse worker exited (code ${code})`)));
      workers.push(entry);
    }
    return new ParsePool(workers, cwd, inputFormat);
  }

  /** Reads one input (a file path, never stdin) on the least busy worker. */
  parse(input: string): Promise<ParsedInput> {
    return this.#send('parse', input) as Promise<ParsedInput>;
  }

  /** The sha256 of a file's bytes, computed on the least busy worker. */
  hash(path: string): Promise<string> {
    return this.#send('hash', path) as Promise<string>;
  }

  #send(kind: ParseJob['kind'], input: string): Promise<ParsedInput | string> {
    if (this.#closed) return Promise.reject(new Error('store add: parse pool closed'));
    const entry = this.workers.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.#nextId++;
    const job: ParseJob = { id, kind, input, cwd: this.cwd, ...(this.inputFormat !== undefined ? { inputFormat: this.inputFormat } : {}) };
    return new Promise<ParsedInput | string>((resolve, reject) => {
      entry.pending.set(id, { resolve, reject });
      entry.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.workers.map(async (entry) => {
      entry.worker.removeAllListeners('exit');
      await entry.worker.terminate();
    }));
  }
}
