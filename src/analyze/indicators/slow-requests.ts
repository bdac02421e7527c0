// Slow-request attack (slowloris, R-U-Dead-Yet) seen from the web server's own status page:
// workers stuck reading requests (or writing replies) that never finish, so real clients find
// no idle worker. Fires on a status capture (Apache server-status, lighttpd status) when
//   - at least slowRequestWorkers workers are reading or writing, held by at least
//     slowRequestClients distinct clients (only pages that name clients can say), or
//   - the scoreboard has busy workers and no idle one (every page, `?auto` included).
import type { Indicator, Severity } from '../../model/analysis.js';
import type { WorkerCounts, WorkerState } from '../../model/connection.js';
import { EVIDENCE_REMOTE_LIMIT, type IndicatorDetector } from './types.js';
import { BUSY_STATES } from '../../capture/worker-scoreboard.js';

interface Judged {
  index: number;
  workers: WorkerCounts;
  readingOrWriting: number;
  busy: number;
  idle: number;
  manyClients: boolean;
  noIdle: boolean;
}

function judge(workers: WorkerCounts, index: number, minWorkers: number, minClients: number): Judged {
  const reading = workers.states.reading ?? 0;
  const writing = workers.states.writing ?? 0;
  let busy = 0;
  for (const [state, count] of Object.entries(workers.states)) if (BUSY_STATES.has(state as WorkerState)) busy += count ?? 0;
  const idle = workers.states.waiting ?? 0;
  const clients = workers.readingOrWritingClients;
  return {
    index,
    workers,
    readingOrWriting: reading + writing,
    busy,
    idle,
    manyClients: clients !== undefined && reading + writing >= minWorkers && clients.clients >= minClients,
    noIdle: busy > 0 && idle === 0,
  };
}

export const slowRequests: IndicatorDetector = {
  kind: 'slow-requests',
  description: 'a web server status capture with at least slowRequestWorkers workers reading or writing for at least slowRequestClients clients, or busy workers and no idle one',
  detect({ workers, options, capturePaths }): Indicator | null {
    let worst: Judged | null = null;
    workers.forEach((counts, index) => {
      if (!counts) return;
      const judged = judge(counts, index, options.slowRequestWorkers, options.slowRequestClients);
      if (!judged.manyClients && !judged.noIdle) return;
      const rank = (entry: Judged) => (entry.manyClients ? 1 : 0) + (entry.noIdle ? 1 : 0);
      if (!worst || rank(judged) > rank(worst) || (rank(judged) === rank(worst) && judged.readingOrWriting > worst.readingOrWriting)) worst = judged;
    });
    if (!worst) return null;
    const found: Judged = worst;
    const path = capturePaths[found.index] ?? `capture ${found.index}`;
    const reading = found.workers.states.reading ?? 0;
    const writing = found.workers.states.writing ?? 0;
    const clients = found.workers.readingOrWritingClients;
    const severity: Severity = found.manyClients && found.noIdle ? 'critical' : 'high';
    const parts: string[] = [`${reading} workers reading a request and ${writing} writing a reply`];
    if (clients) parts.push(`held by ${clients.clients} client address${clients.clients === 1 ? '' : 'es'}`);
    const idleText = found.noIdle ? `no idle worker left of ${found.workers.slots} slots` : `${found.idle} idle of ${found.workers.slots} slots`;
    const clientsNote = clients ? '' : ' The page names no clients (server-status?auto): the HTML page with ExtendedStatus On shows who holds the workers.';
    return {
      kind: 'slow-requests',
      severity,
      summary: `${parts.join(', ')} in ${path}; ${idleText}: requests that never finish hold the web server's workers (slowloris-like).${clientsNote}`,
      evidence: {
        remotes: (clients?.top ?? []).slice(0, EVIDENCE_REMOTE_LIMIT).map((entry) => entry.client),
        figures: {
          capture: path,
          server: found.workers.server,
          readingWorkers: reading,
          writingWorkers: writing,
          busyWorkers: found.busy,
          idleWorkers: found.idle,
          slots: found.workers.slots,
          ...(clients ? { clients: clients.clients } : {}),
        },
      },
      thresholds: { slowRequestWorkers: options.slowRequestWorkers, slowRequestClients: options.slowRequestClients },
    };
  },
};
