// One traced path with everything learnt about it: the view model every trace renderer reads.
import type { IpAttribution, RdnsResult } from '../model/attribution.js';
import type { GeoLookup } from '../model/services.js';
import type { TracePath, TraceVerdict } from '../model/trace.js';
import { attributePath, type PathAttribution } from './attribute.js';
import { traceVerdict } from './verdict.js';

export interface TraceEntry {
  path: TracePath;
  attribution: PathAttribution;
  /** null when the path has no target address (a header-less file). */
  verdict: TraceVerdict | null;
  /** The target's own geo/ASN, when it has an address. */
  target: IpAttribution | null;
  /** Live traces: why the trace is partial. */
  error: string | null;
}

export function buildTraceEntry(path: TracePath, geo: GeoLookup, rdns?: ReadonlyMap<string, RdnsResult>, error: string | null = null): TraceEntry {
  const attribution = attributePath(path, geo, rdns ? { rdns } : {});
  const target = path.target.ip !== null ? geo.lookup(path.target.ip) : null;
  const verdict = target !== null && path.target.ip !== null ? traceVerdict(path.target.ip, target, path, attribution.hops) : null;
  return { path, attribution, verdict, target, error };
}
