// Live mode: each Report from the stream (watch --tui) replaces the one on
// screen; a point per report feeds the live timeline.
import { useEffect, useState } from 'react';
import type { Report } from '../../model/report.js';
import type { LivePoint } from '../panels/timeline.js';

const MAX_POINTS = 512;

export interface LiveState {
  report: Report;
  points: LivePoint[];
  ended: boolean;
  error: string | null;
}

export function useLiveReports(initial: Report, live: AsyncIterable<Report> | undefined): LiveState {
  const [state, setState] = useState<LiveState>(() => ({ report: initial, points: live ? [pointOf(initial)] : [], ended: !live, error: null }));
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const iterator = live[Symbol.asyncIterator]();
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (stopped) return;
          if (next.done) {
            setState((previous) => ({ ...previous, ended: true }));
            return;
          }
          const report = next.value;
          setState((previous) => ({ ...previous, report, points: [...previous.points, pointOf(report)].slice(-MAX_POINTS) }));
        }
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, ended: true, error: error instanceof Error ? error.message : String(error) }));
      }
    })();
    return () => {
      stopped = true;
      void iterator.return?.();
    };
  }, [live]);
  return state;
}

function pointOf(report: Report): LivePoint {
  return { at: report.generatedAt, connections: report.analysis.totals.connections, remotes: report.analysis.totals.remotes };
}
