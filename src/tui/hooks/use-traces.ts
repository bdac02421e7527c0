// Traceroutes for the host screen: paths already in the report, background
// traces of the busiest remotes (unless --no-trace), and 't' to trace one now.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Report } from '../../model/report.js';
import type { TracePath } from '../../model/trace.js';
import type { TraceStatus } from '../panels/host-detail.js';

/** Runs one live traceroute (src/trace/live.ts behind an adapter); rejects on failure. */
export type TraceRunner = (ip: string) => Promise<TracePath>;

export interface TracesState {
  pathFor(ip: string): TracePath | null;
  statusFor(ip: string): TraceStatus;
  traceNow(ip: string): void;
  running: number;
}

export function useTraces(report: Report, runner: TraceRunner | null, background: { count: number } | null): TracesState {
  const [live, setLive] = useState<ReadonlyMap<string, TracePath>>(new Map());
  const [statuses, setStatuses] = useState<ReadonlyMap<string, TraceStatus>>(new Map());
  const inFlight = useRef(new Set<string>());
  // Background traces run once per address, however often the report is refreshed (rDNS, live).
  const attempted = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);

  const fromReport = useRef(new Map<string, TracePath>());
  fromReport.current = new Map(report.analysis.traces.filter((trace) => trace.target.ip).map((trace) => [trace.target.ip!, trace]));

  const start = useCallback(
    (ip: string, force: boolean): Promise<void> => {
      if (!runner || inFlight.current.has(ip) || (!force && attempted.current.has(ip))) return Promise.resolve();
      attempted.current.add(ip);
      inFlight.current.add(ip);
      setStatuses((previous) => new Map(previous).set(ip, { state: 'running', startedAt: Date.now() }));
      return runner(ip).then(
        (path) => {
          inFlight.current.delete(ip);
          if (!mounted.current) return;
          setLive((previous) => new Map(previous).set(ip, path));
          setStatuses((previous) => new Map(previous).set(ip, { state: 'done' }));
        },
        (error: unknown) => {
          inFlight.current.delete(ip);
          if (!mounted.current) return;
          setStatuses((previous) => new Map(previous).set(ip, { state: 'failed', message: error instanceof Error ? error.message : String(error) }));
        },
      );
    },
    [runner],
  );

  useEffect(() => {
    if (!runner || !background) return;
    let cancelled = false;
    const targets = report.analysis.remotes.filter((remote) => !remote.special && !fromReport.current.has(remote.ip)).slice(0, background.count).map((remote) => remote.ip);
    void (async () => {
      // One at a time: traces are slow and we must not flood the network from the box under attack.
      for (const ip of targets) {
        if (cancelled) return;
        await start(ip, false);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [runner, background, report]);

  return {
    pathFor: (ip) => live.get(ip) ?? fromReport.current.get(ip) ?? null,
    statusFor: (ip) => statuses.get(ip) ?? (runner ? { state: 'idle' } : { state: 'unavailable', message: 'live tracing is not available here (no traceroute runner)' }),
    traceNow: (ip) => void start(ip, true),
    running: inFlight.current.size,
  };
}
