// worker_threads entry for `store add`: reads inputs into store rows (parsedInputOf) while the
// main thread appends the ones before them. One worker reads many inputs, one at a time; its
// replies carry the row columns as transferred buffers, not copies.
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { readTallies } from '../capture/read-tallies.js';
import { UserError } from '../errors.js';
import { parsedInputOf, type ParsedInput } from './load-captures.js';
import { TallyRowBatch } from './tally-rows.js';
import { fileSha256 } from './known-files.js';

export interface ParseJob {
  id: number;
  /** Parse the input, or only hash its bytes (a file that may be stored already). */
  kind: 'parse' | 'hash';
  input: string;
  cwd: string;
  inputFormat?: string;
}

export type ParseReply =
  | { id: number; parsed: ParsedInput }
  | { id: number; sha256: string }
  | { id: number; error: { message: string; exitCode: number; user: boolean } };

/** Rows of the input being read, reused from input to input (columns() copies them out). */
const scratch = new TallyRowBatch();

const port = parentPort;
if (port) {
  // One job at a time, in the order sent: the main thread stores inputs in order, so the first
  // queued must finish first (interleaved reads would delay it by the others).
  let queue = Promise.resolve();
  port.on('message', (job: ParseJob) => {
    queue = queue.then(async () => {
      const reply = await run(job);
      if (!('parsed' in reply)) return port.postMessage(reply);
      const rows = reply.parsed.rows;
      port.postMessage(reply, [rows.remote, rows.ipVersion, rows.state, rows.localPort, rows.program, rows.inbound, rows.idle, rows.connections].map((column) => column.buffer as ArrayBuffer));
    });
  });
}

async function run(job: ParseJob): Promise<ParseReply> {
  try {
    if (job.kind === 'hash') return { id: job.id, sha256: await fileSha256(resolve(job.cwd, job.input)) };
    const tallies = await readTallies([job.input], { stdin: Readable.from([]), cwd: job.cwd }, job.inputFormat !== undefined ? { inputFormat: job.inputFormat } : {});
    return { id: job.id, parsed: parsedInputOf(tallies, scratch) };
  } catch (error) {
    const user = error instanceof UserError;
    const message = error instanceof Error ? (user ? error.message : (error.stack ?? error.message)) : String(error);
    return { id: job.id, error: { message, exitCode: user ? error.exitCode : 1, user } };
  }
}
