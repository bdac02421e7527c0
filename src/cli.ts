#!/usr/bin/env node
// argv -> command. The only place that turns errors into messages and sets exit codes.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS, findCommand } from './commands/index.js';
import type { CommandIO } from './commands/types.js';
import { UserError } from './errors.js';
import { rawStream, safeStream, writeFailure } from './output/safe-stream.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    `${TOOL_NAME} ${TOOL_VERSION} — forensic analyzer for netstat, ss and traceroute evidence`,
    '',
    `usage: ${TOOL_NAME} <command> [options] [FILES|-]`,
    `       ${TOOL_NAME} FILES            (TUI on a terminal, markdown report otherwise)`,
    `       netstat -tan | ${TOOL_NAME}   (markdown report of the piped capture)`,
    '',
    'commands:',
    ...lines,
    '',
    `Run '${TOOL_NAME} help <command>' or '${TOOL_NAME} <command> --help' for its options.`,
    'Global options: --version, --help, --debug (stack traces on internal errors).',
  ].join('\n');
}

/** Which command runs (with which argv) when argv does not name one. */
function defaultCommand(argv: string[], io: CommandIO): { name: string; argv: string[] } | null {
  const stdinIsTerminal = io.stdin.isTTY === true;
  const stdoutIsTerminal = io.stdout.isTTY === true;
  if (argv.length === 0) {
    if (stdinIsTerminal) return null;
    // `netstat -tan | netsleuth`: at a terminal, the TUI (keys from /dev/tty); into a pipe or file, markdown.
    return stdoutIsTerminal ? { name: 'tui', argv: ['-'] } : { name: 'report', argv: [] };
  }
  return stdinIsTerminal && stdoutIsTerminal ? { name: 'tui', argv } : { name: 'report', argv };
}

/** Exit code when the output could not be written (a full disk behind `> file`): Nagios' UNKNOWN for health. */
export const OUTPUT_FAILED_EXIT_CODE = 3;

export async function main(rawArgv: string[], rawIo: CommandIO): Promise<number> {
  // Every byte a command prints goes through the sanitising writer (output/safe-stream.ts).
  // stdin stays a getter: process.stdin builds a stream (and loads its modules) on first use.
  const io: CommandIO = {
    get stdin() {
      return rawIo.stdin;
    },
    stdout: safeStream(rawIo.stdout),
    stderr: safeStream(rawIo.stderr),
    env: rawIo.env,
    cwd: rawIo.cwd,
  };
  const code = await runCommand(rawArgv, io);
  return settleOutput(code, io);
}

/** Waits until stdout has taken everything; a write that failed turns into a message and an exit code. */
async function settleOutput(code: number, io: CommandIO): Promise<number> {
  const stdout = rawStream(io.stdout);
  await new Promise<void>((resolve) => {
    // The error event of a failed write comes a tick after its callback (or after the
    // stream was destroyed): wait past both before looking.
    if (writeFailure(io.stdout) || stdout.writable === false) {
      setImmediate(resolve);
      return;
    }
    try {
      stdout.write('', () => setImmediate(resolve));
    } catch {
      setImmediate(resolve);
    }
  });
  const failure = writeFailure(io.stdout);
  if (!failure || failure.code === 'EPIPE') return code;
  const reason = failure.code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : failure.message;
  io.stderr.write(`${TOOL_NAME}: cannot write the output: ${reason}\n`);
  return Math.max(code, OUTPUT_FAILED_EXIT_CODE);
}

async function runCommand(rawArgv: string[], io: CommandIO): Promise<number> {
  const debug = rawArgv.includes('--debug');
  const argv = rawArgv.filter((arg) => arg !== '--debug');
  try {
    const first = argv[0];
    if (first === '--version' || first === '-V') {
      if (argv.includes('--verbose')) {
        const sources = await (await import('./commands/sources.js')).run([], io);
        return sources;
      }
      io.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(mainUsage() + '\n');
      return 0;
    }
    if (first === 'help') {
      const entry = argv[1] ? findCommand(argv[1]) : undefined;
      if (argv[1] && !entry) throw new UserError(`unknown command '${argv[1]}'\n\n${mainUsage()}`);
      io.stdout.write((entry ? (await entry.load()).usage : mainUsage()) + '\n');
      return 0;
    }
    let entry = first ? findCommand(first) : undefined;
    let rest = argv.slice(1);
    if (!entry) {
      if (first && !first.startsWith('-') && /^[a-z]+$/.test(first) && !(await pathExists(first, io.cwd))) {
        throw new UserError(`unknown command or missing file '${first}'\n\n${mainUsage()}`);
      }
      const chosen = defaultCommand(argv, io);
      if (!chosen) {
        io.stdout.write(mainUsage() + '\n');
        return 0;
      }
      entry = findCommand(chosen.name);
      rest = chosen.argv;
    }
    if (!entry) throw new UserError('no command');
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.usage + '\n');
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, debug, io);
  }
}

async function pathExists(path: string, cwd: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  try {
    await access(resolve(cwd, path));
    return true;
  } catch {
    return false;
  }
}

function reportError(error: unknown, debug: boolean, io: CommandIO): number {
  if (error instanceof UserError) {
    io.stderr.write(`${TOOL_NAME}: ${error.message}\n`);
    if (debug && error.stack) io.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  // node's util.parseArgs errors are usage errors, not internal ones.
  const code = (error as { code?: string } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`${TOOL_NAME}: ${(error as Error).message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${TOOL_NAME}: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  return 3;
}

// A closed pipe (`netsleuth parse big | head`) is a normal end, not an error. Other write
// errors (ENOSPC) are remembered by the safe stream and reported when the command ends.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

function isEntryPoint(): boolean {
  // The npm bin link is a symlink: compare real paths, not names.
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the command line as this process's own (its streams, environment and exit code). */
export function runProcess(argv: string[]): void {
  const io: CommandIO = {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
  main(argv, io)
    .then((code) => {
      process.exitCode = code;
    });
}

if (isEntryPoint()) runProcess(process.argv.slice(2));
