// The host screen's capture rows: read back from the captures (capture/read-rows.ts) when a
// host is opened, in the background; kept per address for this session.
import { useEffect, useRef, useState } from 'react';
import type { RemoteRows } from '../../model/capture-rows.js';

/** A remote's first rows and row count; rejects when the captures cannot be read again. */
export type CaptureRowReader = (ip: string) => Promise<RemoteRows>;

export type CaptureRowsStatus =
  | { state: 'unavailable' }
  | { state: 'reading' }
  | { state: 'done'; rows: RemoteRows }
  | { state: 'failed'; message: string };

/** Rows of the host on screen (`ip`, null when no host screen is open). */
export function useCaptureRows(reader: CaptureRowReader | null, ip: string | null): (ip: string) => CaptureRowsStatus {
  const [results, setResults] = useState<ReadonlyMap<string, CaptureRowsStatus>>(new Map());
  const asked = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);

  useEffect(() => {
    if (!reader || ip === null || asked.current.has(ip)) return;
    asked.current.add(ip);
    setResults((previous) => new Map(previous).set(ip, { state: 'reading' }));
    reader(ip).then(
      (rows) => {
        if (mounted.current) setResults((previous) => new Map(previous).set(ip, { state: 'done', rows }));
      },
      (error: unknown) => {
        if (mounted.current) setResults((previous) => new Map(previous).set(ip, { state: 'failed', message: error instanceof Error ? error.message : String(error) }));
      },
    );
  }, [reader, ip]);

  return (address) => (reader ? results.get(address) ?? { state: 'reading' } : { state: 'unavailable' });
}
