// The TUI's first screen on a real capture, as a person sees it: `netsleuth tui --no-dns FILE` in a
// 100x30 tmux pane, polled every 20 ms. Prints when the first frame appeared (the tabs and the
// investigation's stages) and when the overview did (its totals line), in wall time and in CPU time
// of the node process (/proc/PID/stat, which other processes' load does not inflate), beside
// `parse --summary` on the same file in the same run. Goal: overview <= 3 s.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const tmux = (...args) => spawnSync('tmux', args, { encoding: 'utf8' });

/** user + system seconds of a live process. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Runs the TUI on `file` in tmux; resolves with the two moments, or throws after timeoutMs. */
export async function measureFirstScreen(cli, file, timeoutMs = 180_000) {
  const session = `netsleuth-bench-${process.pid}`;
  const started = performance.now();
  // Several arguments: tmux runs the program directly, no shell in between.
  const created = tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', process.execPath, cli, 'tui', '--no-dns', file);
  if (created.status !== 0) throw new Error(`tmux: ${created.stderr}`);
  try {
    const pid = Number(tmux('list-panes', '-t', session, '-F', '#{pane_pid}').stdout.trim());
    let first = null;
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-t', session).stdout;
      const at = { wallMs: performance.now() - started, cpuMs: cpuSeconds(pid) * 1000 };
      if (!first && screen.includes('1 Overview')) first = at;
      if (screen.includes('connections ·')) return { first: first ?? at, overview: at, screen };
      if (at.wallMs > timeoutMs) throw new Error(`no overview after ${timeoutMs} ms; screen:\n${screen}`);
      await sleep(20);
    }
  } finally {
    tmux('send-keys', '-t', session, 'q');
    await sleep(300);
    tmux('kill-session', '-t', session);
  }
}
