// `netsleuth capture`: one live snapshot of this machine's TCP connections in netsleuth's
// capture format (header: host, UTC time, source; then the table), to stdout or a file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { formatLiveCapture } from '../health/capture-format.js';
import { readLiveConnections } from '../health/capture-live.js';
import { DEFAULT_PROC_ROOT, PROC_ROOT_OPTION } from '../health/system-readers.js';
import { sanitizeText } from '../net/sanitize.js';
import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { isValidHostName } from '../store/host-name.js';
import type { CommandIO, CommandRun } from './types.js';
import { utcStamp } from '../time/utc.js';

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      output: { type: 'string', short: 'o', arg: 'FILE', help: `write FILE (atomically) instead of stdout; refuses to replace an
existing file unless --force` },
      force: { type: 'boolean', help: 'replace FILE if it exists' },
      store: { type: 'string', arg: 'STORE', help: `also append the capture to a fleet store (see 'netsleuth store --help');
without -o nothing is printed; if the insert fails the capture is kept
in HOST-TIME.txt here (or in FILE) and the message says where` },
      host: { type: 'string', arg: 'NAME', help: "the host name in the capture header (default: this machine's name)" },
      ...PROC_ROOT_OPTION,
    },
  },
]);

export const usage = `usage: netsleuth capture [-o FILE] [--force] [--store STORE] [--host NAME]

Takes one snapshot of this machine's TCP connections (/proc/net/tcp and tcp6) and prints
it in netsleuth's capture format: a header with host, UTC time and source, then the
connection table. Every other command reads it: netsleuth report FILE, netsleuth tui FILE.

${OPTIONS_HELP}

For program names, process counts, meminfo and hashes use 'netsleuth health --capture always'
or 'netsleuth watch'.`;

export const options: OptionTable = OPTIONS;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`capture takes no file arguments (got ${positionals.join(' ')}); use -o FILE`, 2);
  const capturedAt = new Date();
  const live = await readLiveConnections(values['proc-root'] ?? DEFAULT_PROC_ROOT);
  if (live.source === '') throw new UserError('capture: cannot read /proc/net/tcp (capture works on Linux only)', 2);
  if (values.host !== undefined && !isValidHostName(values.host)) throw new UserError(`--host '${sanitizeText(values.host, 80)}': letters, digits, '.', '-', '_' and ':' only`, 2);
  const host = values.host ?? sanitizeText(hostname());
  const text = formatLiveCapture({ host, capturedAt: capturedAt.toISOString(), source: live.source }, live.connections);
  if (values.store !== undefined) return captureIntoStore(values.store, text, values.output, values.force === true, host, capturedAt, io);
  if (values.output === undefined || values.output === '-') {
    io.stdout.write(text);
    return 0;
  }
  await writeCapture(values.output, text, values.force === true, io);
  io.stderr.write(`netsleuth: ${live.connections.length} connections written to ${values.output}\n`);
  return 0;
};

/**
 * --store: the capture is written to a file first (-o FILE, else HOST-TIME.txt in the working
 * directory) and loaded from there. HOST-TIME.txt is removed once stored; a failed insert keeps
 * it, so `netsleuth store add` can load it later.
 */
async function captureIntoStore(store: string, text: string, output: string | undefined, force: boolean, host: string, capturedAt: Date, io: CommandIO): Promise<number> {
  const { storeCaptureFile } = await import('../store/store-writer.js');
  const named = output !== undefined && output !== '-';
  const file = named ? output : `${host}-${utcStamp(capturedAt)}.txt`;
  await writeCapture(file, text, named && force, io);
  const result = await storeCaptureFile(store, resolve(io.cwd, file), io);
  io.stderr.write(`netsleuth: ${result.message.replace(resolve(io.cwd, file), file)}\n`);
  if (result.ok && !named) await rm(resolve(io.cwd, file), { force: true });
  return result.ok ? 0 : 1;
}

async function writeCapture(output: string, text: string, force: boolean, io: CommandIO): Promise<void> {
  const path = resolve(io.cwd, output);
  try {
    await writeFileAtomic(path, text, { exclusive: !force });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`${output} exists; use --force to replace it`, 2);
    throw new UserError(`${output}: cannot write (${code ?? 'error'})`, 2);
  }
}
