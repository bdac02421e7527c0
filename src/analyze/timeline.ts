// The series view of several captures: totals per capture, per-cluster series,
// which remotes are new, growing or persisting, and where the surge began.
import type { CaptureTotals, Cluster, Timeline } from '../model/analysis.js';
import type { Aggregate } from './aggregate.js';
import type { Member } from './cluster-members.js';
import { surgeReference, surgeStartIndex } from './indicators/surge.js';

export function buildTimeline(
  captures: CaptureTotals[],
  aggregate: Aggregate,
  baseline: Aggregate | null,
  clusters: Cluster[],
  clusterMembers: Member[][],
  surgeFactor: number,
): Timeline | null {
  const count = captures.length;
  if (count < 2) return null;
  const clusterSeries = clusters.map((cluster, index) => {
    const series = new Array<number>(count).fill(0);
    for (const { stats } of clusterMembers[index] ?? []) {
      for (let i = 0; i < count; i++) series[i] = (series[i] ?? 0) + (stats.perCapture[i] ?? 0);
    }
    return { kind: cluster.kind, key: cluster.key, label: cluster.label, series };
  });
  const newRemotes: string[] = [];
  const growingRemotes: string[] = [];
  const persistingRemotes: string[] = [];
  for (const stats of aggregate.remotes) {
    if (stats.firstCapture > 0) newRemotes.push(stats.identity.ip);
    let present = 0;
    for (let i = 0; i < count; i++) if ((stats.perCapture[i] ?? 0) > 0) present++;
    if (present >= 2 && (stats.perCapture[stats.lastCapture] ?? 0) > (stats.perCapture[stats.firstCapture] ?? 0)) growingRemotes.push(stats.identity.ip);
    if (present === count) persistingRemotes.push(stats.identity.ip);
  }
  const reference = surgeReference(aggregate, baseline);
  return {
    captures,
    clusterSeries,
    newRemotes,
    growingRemotes,
    persistingRemotes,
    surgeStart: reference ? surgeStartIndex(aggregate, reference, surgeFactor) : null,
  };
}
