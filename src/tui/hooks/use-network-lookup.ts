// 'w' on the host screen: ask the registry (RDAP, and a national registry's whois) about
// that host's network, in the background, with a spinner while it runs. With --rdap the
// remotes that matter are asked one after another once the screen is up. Answers of
// this session are kept per address; the lookup itself caches by network.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NetworkRegistration } from '../../model/network.js';
import type { Report } from '../../model/report.js';

/** Looks up one address's network; never rejects for a registry failure (that is a status). */
export type NetworkRunner = (ip: string) => Promise<NetworkRegistration | null>;

export type NetworkLookupStatus = { state: 'idle' } | { state: 'running'; frame: number } | { state: 'done' } | { state: 'failed'; message: string } | { state: 'unavailable'; message: string };

export interface NetworkLookupState {
  networkFor(ip: string): NetworkRegistration | null;
  statusFor(ip: string): NetworkLookupStatus;
  lookupNow(ip: string): void;
  running: number;
}

const SPINNER_INTERVAL_MS = 120;

export function useNetworkLookup(report: Report, runner: NetworkRunner | null, background: readonly string[] | null): NetworkLookupState {
  const [results, setResults] = useState<ReadonlyMap<string, NetworkRegistration>>(new Map());
  const [failures, setFailures] = useState<ReadonlyMap<string, string>>(new Map());
  const [frame, setFrame] = useState(0);
  const inFlight = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const [running, setRunning] = useState(0);

  // The spinner turns only while something runs.
  useEffect(() => {
    if (running === 0) return;
    const timer = setInterval(() => setFrame((value) => value + 1), SPINNER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [running]);

  const start = useCallback(
    (ip: string): Promise<void> => {
      if (!runner || inFlight.current.has(ip)) return Promise.resolve();
      inFlight.current.add(ip);
      setRunning(inFlight.current.size);
      return runner(ip).then(
        (network) => {
          inFlight.current.delete(ip);
          if (!mounted.current) return;
          setRunning(inFlight.current.size);
          if (network) setResults((previous) => new Map(previous).set(ip, network));
        },
        (error: unknown) => {
          inFlight.current.delete(ip);
          if (!mounted.current) return;
          setRunning(inFlight.current.size);
          setFailures((previous) => new Map(previous).set(ip, error instanceof Error ? error.message : String(error)));
        },
      );
    },
    [runner],
  );

  useEffect(() => {
    if (!runner || !background || background.length === 0) return;
    let cancelled = false;
    void (async () => {
      for (const ip of background) {
        if (cancelled) return;
        await start(ip);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [runner, background, start]);

  const fromReport = new Map(report.analysis.remotes.flatMap((remote) => (remote.network ? [[remote.ip, remote.network] as const] : [])));
  return {
    networkFor: (ip) => results.get(ip) ?? fromReport.get(ip) ?? null,
    statusFor: (ip) => {
      if (inFlight.current.has(ip)) return { state: 'running', frame };
      const failure = failures.get(ip);
      if (failure) return { state: 'failed', message: failure };
      if (results.has(ip) || fromReport.has(ip)) return { state: 'done' };
      return runner ? { state: 'idle' } : { state: 'unavailable', message: 'registry lookups are off (--offline)' };
    },
    lookupNow: (ip) => void start(ip),
    running,
  };
}
