// The scoreboard letters of Apache's mod_status and lighttpd's mod_status, in one vocabulary,
// shared by the status-page parsers.
// Apache (mod_status "Scoreboard Key"): _ waiting for connection, S starting up, R reading request,
// W sending reply, K keepalive (read), D DNS lookup, C closing connection, L logging,
// G gracefully finishing, I idle cleanup of worker, . open slot with no current process.
// lighttpd (connection_get_short_state): . connect, q request-start, r read, Q request-end,
// R read-POST, h handle-request, s response-start, W write, S response-end, E error, C close,
// k keep-alive; _ is a free connection slot.
import type { WorkerCounts, WorkerState } from '../model/connection.js';

export type StatusServer = WorkerCounts['server'];

const APACHE_LETTERS: Readonly<Record<string, WorkerState>> = {
  _: 'waiting', S: 'starting', R: 'reading', W: 'writing', K: 'keepalive', D: 'dns', C: 'closing',
  L: 'logging', G: 'finishing', I: 'idle-cleanup', '.': 'open',
};

const LIGHTTPD_LETTERS: Readonly<Record<string, WorkerState>> = {
  _: 'waiting', '.': 'handling', q: 'handling', r: 'reading', Q: 'handling', R: 'reading', h: 'handling',
  s: 'handling', W: 'writing', S: 'handling', E: 'closing', C: 'closing', k: 'keepalive',
};

export function workerState(letter: string, server: StatusServer): WorkerState | null {
  return (server === 'apache' ? APACHE_LETTERS : LIGHTTPD_LETTERS)[letter] ?? null;
}

/** States that hold a worker for a client (Apache's BusyWorkers counts these). */
export const BUSY_STATES: ReadonlySet<WorkerState> = new Set(['reading', 'writing', 'keepalive', 'dns', 'closing', 'logging', 'finishing', 'handling']);

/** A scoreboard string -> counts, or null when a letter is not the server's. */
export function countScoreboard(board: string, server: StatusServer): WorkerCounts | null {
  const states: Partial<Record<WorkerState, number>> = {};
  for (const letter of board) {
    const state = workerState(letter, server);
    if (state === null) return null;
    states[state] = (states[state] ?? 0) + 1;
  }
  return { states, slots: board.length, server };
}

/** Adds a scoreboard's counts into another (the HTML page prints its board over several lines). */
export function addCounts(target: WorkerCounts, more: WorkerCounts): void {
  for (const [state, count] of Object.entries(more.states) as [WorkerState, number][]) target.states[state] = (target.states[state] ?? 0) + count;
  target.slots += more.slots;
}
