// Live traces: the only module here that spawns processes. Addresses are validated with
// parseIpAddress before anything runs, tracers are spawned with argument arrays (no shell),
// every trace has its own timeout and the batch a total one; raw output is kept as evidence.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.js';
import type { TracePath } from '../model/trace.js';
import { parseIpAddress } from '../net/ip.js';
import { destinationAnswered } from './parsers/common.js';
import { parseTraceText } from './parse.js';
import { forEachConcurrently } from '../pool.js';

export const TRACERS = ['traceroute', 'mtr', 'tracepath'] as const;
export type TracerName = (typeof TRACERS)[number];

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Set when the program could not be started or was killed for another reason. */
  error: string | null;
}

export type Executor = (file: string, args: readonly string[], options: { timeoutMs: number; signal: AbortSignal }) => Promise<ExecResult>;

export interface LiveProgress {
  done: number;
  total: number;
  ip: string;
  ok: boolean;
}

export interface LiveTraceOptions {
  /** --tracer; detected from PATH when absent. */
  tracer?: TracerName | undefined;
  perTraceTimeoutMs: number;
  totalTimeoutMs: number;
  concurrency: number;
  maxHops?: number;
  onProgress?: ((progress: LiveProgress) => void) | undefined;
  /** Runs the tracer through a wrapper, e.g. ['ip', 'netns', 'exec', 'nsl-1-client'] in tests. */
  commandPrefix?: readonly string[];
  env?: NodeJS.ProcessEnv;
  exec?: Executor;
  findExecutable?: (name: string) => Promise<string | null>;
}

export interface LiveTraceResult {
  ip: string;
  tracer: TracerName;
  path: TracePath | null;
  /** Why the trace is missing or partial (timeout, tracer error). */
  error: string | null;
}

const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** First executable of that name on PATH (plus the sbin directories where traceroute lives on Debian). */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The tracer to use: the forced one (must exist), else the first of traceroute, mtr, tracepath found. */
export async function detectTracer(preferred: TracerName | undefined, find: (name: string) => Promise<string | null>): Promise<{ tracer: TracerName; file: string }> {
  const candidates = preferred ? [preferred] : TRACERS;
  for (const tracer of candidates) {
    const file = await find(tracer);
    if (file) return { tracer, file };
  }
  throw new UserError(preferred ? `tracer '${preferred}' is not installed (not found on PATH)` : `no tracer found: install one of ${TRACERS.join(', ')}`, 2);
}

/** Arguments for one trace: numeric output, bounded hops and waits. The address is already canonical. */
export function tracerArgs(tracer: TracerName, ip: string, version: 4 | 6, options: { maxHops: number; perTraceTimeoutMs: number; privileged?: boolean }): string[] {
  const family = version === 6 ? ['-6'] : ['-4'];
  const waitSeconds = String(Math.max(1, Math.min(5, Math.floor(options.perTraceTimeoutMs / 10_000))));
  switch (tracer) {
    case 'traceroute':
      return ['-n', ...family, '-q', '3', '-w', waitSeconds, '-m', String(options.maxHops), ip];
    case 'mtr':
      // mtr refuses intervals under 1 s unless root; 3 cycles at 0.2 s and 1 s grace (default 5) keep a trace near 2 s.
      return ['-n', ...family, '--json', '-c', '3', ...(options.privileged ? ['-i', '0.2'] : []), '-G', '1', '-m', String(options.maxHops), ip];
    case 'tracepath':
      return ['-n', ...(version === 6 ? ['-6'] : []), '-m', String(options.maxHops), ip];
  }
}

export const execFileExecutor: Executor = (file, args, { timeoutMs, signal }) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', signal, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      const timedOut = failure?.killed === true && !signal.aborted;
      resolve({
        stdout: String(stdout ?? ''),
        stderr: String(stderr ?? ''),
        exitCode: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
        timedOut,
        error: failure && !timedOut && typeof failure.code !== 'number' ? (signal.aborted ? 'total timeout reached' : failure.message) : null,
      });
    });
  });

/** Validate every address first: nothing runs when one is bad. */
export function validateTraceTargets(inputs: readonly string[]): { ip: string; version: 4 | 6 }[] {
  return inputs.map((input) => {
    const parsed = parseIpAddress(input);
    if (!parsed) throw new UserError(`not an IP address: '${input.slice(0, 80)}' (trace takes addresses; resolve names first)`, 2);
    return { ip: parsed.text, version: parsed.version };
  });
}

export async function runLiveTraces(inputs: readonly string[], options: LiveTraceOptions): Promise<LiveTraceResult[]> {
  const targets = validateTraceTargets(inputs);
  const find = options.findExecutable ?? ((name: string) => findOnPath(name, options.env));
  const { tracer, file } = await detectTracer(options.tracer, find);
  const exec = options.exec ?? execFileExecutor;
  const maxHops = options.maxHops ?? 30;
  const controller = new AbortController();
  const totalTimer = setTimeout(() => controller.abort(), options.totalTimeoutMs);
  const results: LiveTraceResult[] = new Array(targets.length);
  let done = 0;
  const traceOne = async (target: { ip: string; version: 4 | 6 }, index: number): Promise<void> => {
    if (controller.signal.aborted) {
      results[index] = { ip: target.ip, tracer, path: null, error: `not run: total timeout of ${options.totalTimeoutMs} ms reached` };
    } else {
      const args = tracerArgs(tracer, target.ip, target.version, { maxHops, perTraceTimeoutMs: options.perTraceTimeoutMs, privileged: process.getuid?.() === 0 });
      const prefix = options.commandPrefix ?? [];
      const [command, ...commandArgs] = prefix.length > 0 ? [...prefix, tracer, ...args] : [file, ...args];
      const outcome = await exec(command as string, commandArgs, { timeoutMs: options.perTraceTimeoutMs, signal: controller.signal });
      results[index] = toResult(target.ip, tracer, outcome, options);
    }
    done++;
    options.onProgress?.({ done, total: targets.length, ip: target.ip, ok: results[index]?.error === null });
  };
  try {
    await forEachConcurrently(targets, options.concurrency, traceOne);
  } finally {
    clearTimeout(totalTimer);
  }
  return results;
}

function toResult(ip: string, tracer: TracerName, outcome: ExecResult, options: LiveTraceOptions): LiveTraceResult {
  const problem = outcome.timedOut
    ? `timed out after ${options.perTraceTimeoutMs} ms (partial output kept)`
    : outcome.error ?? (outcome.exitCode !== 0 ? `${tracer} exited with ${outcome.exitCode}: ${outcome.stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''}` : null);
  if (outcome.stdout.trim().length === 0) return { ip, tracer, path: null, error: problem ?? `${tracer} printed nothing` };
  const parsed = parseTraceText(outcome.stdout, { file: `live:${tracer} ${ip}`, inputFormat: tracer === 'mtr' ? 'mtr-json' : tracer });
  const first = parsed.paths[0];
  if (!first) return { ip, tracer, path: null, error: problem ?? `could not parse ${tracer} output` };
  // tracepath prints no target line: the address we traced is the target.
  const target = first.target.ip === null ? { ip, name: first.target.name } : first.target;
  const path: TracePath = { ...first, target, reached: first.reached || destinationAnswered(target.ip, first.hops), format: `live:${tracer}`, raw: outcome.stdout };
  return { ip, tracer, path, error: problem };
}
