// worker_threads entry for `store add`: reads inputs into store rows (parsedInputOf) while the
// main thread appends the ones before them. One worker reads many inputs, one at a time; its
// replies carry the row columns as transferred buffers, not copies.
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { readTallies } from '../capture/read-tallies.js';
import { UserError } from '../errors.js';
import { parsedInputOf, type ParsedInput } from './load-captures.js';
import { TallyRowBatch } from './tally-rows.js';

export interface ParseJob {
  id: number;
  input: string;
  cwd: string;
  inputFormat?: string;
}

export type ParseReply = { id: number; parsed: ParsedInput } | { id: number; error: { message: string; exitCode: number; user: boolean } };

/** Rows of the input being read, reused from input to input (columns() copies them out). */
const scratch = new TallyRowBatch();

const port = parentPort;
if (port) {
  port.on('message', (job: ParseJob) => {
    void parse(job).then((reply) => {
      if (!('parsed' in reply)) return port.postMessage(reply);
      const rows = reply.parsed.rows;
      port.postMessage(reply, [rows.remote, rows.ipVersion, rows.state, rows.localPort, rows.program, rows.inbound, rows.idle, rows.connections].map((column) => column.buffer as ArrayBuffer));
    });
  });
}

async function parse(job: ParseJob): Promise<ParseReply> {
  try {
    const tallies = await readTallies([job.input], { stdin: Readable.from([]), cwd: job.cwd }, job.inputFormat !== undefined ? { inputFormat: job.inputFormat } : {});
    return { id: job.id, parsed: parsedInputOf(tallies, scratch) };
  } catch (error) {
    const user = error instanceof UserError;
    const message = error instanceof Error ? (user ? error.message : (error.stack ?? error.message)) : String(error);
    return { id: job.id, error: { message, exitCode: user ? error.exitCode : 1, user } };
  }
}
