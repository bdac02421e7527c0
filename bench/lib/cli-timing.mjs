// Whole-process timing for the benches: a command as a user runs it (spawned, start to
// exit, output read through a pipe), best of N, beside its peer tool in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// package.json's bin, as `npx netsleuth` runs it.
export const CLI = fileURLToPath(new URL('../../dist/netsleuth.cjs', import.meta.url));

/** One run: wall milliseconds, the child's CPU milliseconds (user + system; null off Linux), stdout, exit status. */
export function timeProcess(command, args, { input, env } = {}) {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(command, args, { input, env: env ?? process.env, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return { ms, cpuMs, stdout: result.stdout ?? '', stderr: result.stderr ?? '', status: result.status };
}

/** CPU time of this process's waited-for children so far (Linux /proc: cutime + cstime, 10 ms ticks), or null. */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name in parentheses: state is field 3, cutime and cstime fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

/** Best (fastest) of `runs` runs; `prepare` runs before each (a fresh cache dir, say) and its result is passed on. */
export function bestOf(runs, run, prepare = () => undefined) {
  let best = null;
  for (let i = 0; i < runs; i++) {
    const result = run(prepare());
    if (!best || result.ms < best.ms) best = result;
  }
  return best;
}

/** The command line as a user would type it, for the printed rows. */
export function shown(args) {
  return ['netsleuth', ...args].map((arg) => (/^[\w./:@=-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
}
