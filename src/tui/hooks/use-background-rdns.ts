// Reverse DNS in the background: the screens are usable from the first frame;
// names fill in chunk by chunk (busiest remotes first) with a progress line.
// The resolver is async I/O, so the input loop keeps running between answers.
import { useEffect, useRef, useState } from 'react';
import type { RdnsResult } from '../../model/attribution.js';
import type { Report } from '../../model/report.js';
import type { RdnsProgress, ReverseDnsBatch, ReverseDnsOptions } from '../../model/services.js';
import { progressAt } from '../../enrich/rdns/progress.js';

export interface BackgroundRdns {
  resolver: ReverseDnsBatch;
  options: ReverseDnsOptions;
}

export interface RdnsState {
  results: ReadonlyMap<string, RdnsResult>;
  progress: RdnsProgress | null;
  running: boolean;
  error: string | null;
}

const FIRST_CHUNK = 64;
const MAX_CHUNK = 4096;
const FLUSH_MS = 250;

export function useBackgroundRdns(report: Report, background: BackgroundRdns | null): RdnsState {
  const resultsRef = useRef(new Map<string, RdnsResult>());
  const [state, setState] = useState<RdnsState>({ results: resultsRef.current, progress: null, running: false, error: null });
  useEffect(() => {
    if (!background) return;
    let cancelled = false;
    const pending = report.analysis.remotes.filter((remote) => remote.rdns.status === 'skipped' && !resultsRef.current.has(remote.ip)).map((remote) => remote.ip);
    if (pending.length === 0) return;
    let lastFlush = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    let progress: RdnsProgress = { done: 0, total: pending.length, ratePerSecond: 0, etaSeconds: null };
    const startedAt = Date.now();
    let published: ReadonlyMap<string, RdnsResult> = new Map(resultsRef.current);
    // At most one screen update per FLUSH_MS; a throttled update is sent when the window ends, never dropped.
    const flush = (force: boolean, running: boolean, error: string | null = null) => {
      const now = Date.now();
      if (!force && now - lastFlush < FLUSH_MS) {
        trailing ??= setTimeout(() => {
          trailing = null;
          if (!cancelled) flush(true, running);
        }, FLUSH_MS - (now - lastFlush));
        return;
      }
      if (trailing) clearTimeout(trailing);
      trailing = null;
      lastFlush = now;
      // A new results map (so a new report, remotes index and sort orders) only when answers
      // arrived; progress alone must not rebuild the index of 100k remotes.
      if (published.size !== resultsRef.current.size) published = new Map(resultsRef.current);
      setState({ results: published, progress, running, error });
    };
    void (async () => {
      flush(true, true);
      let done = 0;
      let size = FIRST_CHUNK;
      try {
        for (let start = 0; start < pending.length && !cancelled; start += size, size = Math.min(MAX_CHUNK, size * 2)) {
          const chunk = pending.slice(start, start + size);
          const base = done;
          const answers = await background.resolver(chunk, {
            ...background.options,
            onProgress: (chunkProgress) => {
              if (cancelled) return;
              progress = progressAt(base + chunkProgress.done, pending.length, Date.now() - startedAt);
              flush(false, true);
            },
          });
          if (cancelled) return;
          for (const [ip, result] of answers) resultsRef.current.set(ip, result);
          done = base + chunk.length;
          progress = progressAt(done, pending.length, Date.now() - startedAt);
          flush(true, done < pending.length);
        }
      } catch (error) {
        if (!cancelled) flush(true, false, error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      cancelled = true;
      if (trailing) clearTimeout(trailing);
    };
  }, [report, background]);
  return state;
}
