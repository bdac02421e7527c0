import type { Readable, Writable } from 'node:stream';
import type { OptionTable } from '../option-table.js';

/** Process I/O handed to a command; tests pass their own. */
export interface CommandIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A subcommand: returns the exit code (cli.ts is the only place that sets it). */
export type CommandRun = (argv: string[], io: CommandIO) => Promise<number>;

export interface CommandModule {
  run: CommandRun;
  /** Multi-line usage text printed by `netsleuth help CMD` and `CMD --help`; its flag list is made from `options`. */
  usage: string;
  /** Every flag `run` accepts (the table its parseArgs reads). */
  options: OptionTable;
}
