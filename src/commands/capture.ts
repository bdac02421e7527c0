// `netsleuth capture`: one live snapshot of this machine's TCP connections in netsleuth's
// capture format (header: host, UTC time, source; then the table), to stdout or a file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../health/atomic-write.js';
import { formatLiveCapture } from '../health/capture-format.js';
import { readLiveConnections } from '../health/capture-live.js';
import { DEFAULT_PROC_ROOT } from '../health/system-readers.js';
import { sanitizeText } from '../net/sanitize.js';
import { hostname } from 'node:os';
import type { CommandRun } from './types.js';

export const usage = `usage: netsleuth capture [-o FILE] [--force]

Takes one snapshot of this machine's TCP connections (/proc/net/tcp and tcp6) and prints
it in netsleuth's capture format: a header with host, UTC time and source, then the
connection table. Every other command reads it: netsleuth report FILE, netsleuth tui FILE.

options:
  -o, --output FILE   write FILE (atomically) instead of stdout; refuses to replace an
                      existing file unless --force
      --force         replace FILE if it exists

For program names, process counts, meminfo and hashes use 'netsleuth health --capture always'
or 'netsleuth watch'.`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  'proc-root': { type: 'string' },
} as const;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`capture takes no file arguments (got ${positionals.join(' ')}); use -o FILE`, 2);
  const capturedAt = new Date();
  const live = await readLiveConnections(values['proc-root'] ?? DEFAULT_PROC_ROOT);
  if (live.source === '') throw new UserError('capture: cannot read /proc/net/tcp (capture works on Linux only)', 2);
  const text = formatLiveCapture({ host: sanitizeText(hostname()), capturedAt: capturedAt.toISOString(), source: live.source }, live.connections);
  if (values.output === undefined || values.output === '-') {
    io.stdout.write(text);
    return 0;
  }
  const path = resolve(io.cwd, values.output);
  try {
    await writeFileAtomic(path, text, { exclusive: !values.force });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`${values.output} exists; use --force to replace it`, 2);
    throw new UserError(`${values.output}: cannot write (${code ?? 'error'})`, 2);
  }
  io.stderr.write(`netsleuth: ${live.connections.length} connections written to ${values.output}\n`);
  return 0;
};
