// JSON: one object per path (a list when there are several).
import type { TraceEntry } from '../trace-report.js';

export function traceEntryToJson(entry: TraceEntry): Record<string, unknown> {
  const { path, attribution, verdict } = entry;
  return {
    target: path.target,
    format: path.format,
    reached: path.reached,
    source: path.source ?? null,
    hops: path.hops,
    attribution: {
      hops: attribution.hops,
      asPath: attribution.asPath,
      lastResponsiveHop: attribution.lastResponsiveHop,
      lastHopOutsideDestination: attribution.lastHopOutsideDestination,
      destinationSilent: attribution.destinationSilent,
    },
    targetAttribution: entry.target,
    verdict,
    error: entry.error,
    ...(path.raw !== undefined ? { raw: path.raw } : {}),
  };
}

export function renderTraceJson(entries: readonly TraceEntry[]): string {
  const value = entries.length === 1 ? traceEntryToJson(entries[0] as TraceEntry) : entries.map(traceEntryToJson);
  return `${JSON.stringify(value, null, 2)}\n`;
}
