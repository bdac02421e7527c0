// The analysis stage: connections + enrichment in, findings out. Pure and
// deterministic: no clock, no randomness, every list sorted with a tie-breaker,
// and nothing depends on Map iteration order of the inputs.
import type { Analysis, AnalysisInput, CaptureTotals, Indicator } from '../model/analysis.js';
import type { TracePath } from '../model/trace.js';
import { compareIps } from '../net/ip.js';
import { aggregateCaptures, type Aggregate } from './aggregate.js';
import { buildClusters } from './clusters.js';
import { INDICATOR_DETECTORS } from './indicators/index.js';
import { resolveAnalysisOptions } from './options.js';
import { buildProfile } from './profiles.js';
import { toStateCounts } from './state-counts.js';
import { countRdnsStatuses, orderIndicators } from './revise-rdns.js';
import { attributionSummary, verdictText } from './summary.js';
import { buildTimeline } from './timeline.js';

export { DEFAULT_ANALYSIS_OPTIONS } from './options.js';
export { INDICATOR_DETECTORS } from './indicators/index.js';
export { reviseAnalysisForRdns } from './revise-rdns.js';

/**
 * `precomputed`: the captures' aggregate when it was summed elsewhere (a fleet store sums in SQL,
 * with the same web ports); `input.captures` then only name the captures.
 */
export function analyze(input: AnalysisInput, precomputed?: Aggregate): Analysis {
  const options = resolveAnalysisOptions(input.options);
  const aggregate = precomputed ?? aggregateCaptures(input.captures, options.webPorts);
  const baseline = input.baseline && input.baseline.length > 0 ? aggregateCaptures(input.baseline, options.webPorts) : null;
  const total = aggregate.connections;
  const remoteCount = aggregate.remoteCount ?? aggregate.remotes.length;

  const profiles = aggregate.remotes.map((stats) =>
    buildProfile(stats, total, input.attributions.get(stats.identity.ip), input.rdns.get(stats.identity.ip), input.verdicts.get(stats.identity.ip)),
  );
  const members = aggregate.remotes.map((stats, index) => ({ stats, profile: profiles[index]! }));
  const { clusters, members: clusterMembers, countries, institutions } = buildClusters(members, total, options.clusterThreshold, input.routes);

  const captures: CaptureTotals[] = input.captures.map((capture, index) => {
    const totals = aggregate.captures[index]!;
    return {
      index,
      path: capture.info.path,
      capturedAt: capture.info.capturedAt,
      connections: totals.connections,
      remotes: totals.remotes,
      states: toStateCounts(totals.states),
    };
  });
  const capturePaths = captures.map((capture) => capture.path);

  const workers = input.captures.map((capture) => capture.info.workers ?? null);
  const context = { options, aggregate, profiles, clusters, countries, baseline, capturePaths, workers };
  const indicators = orderIndicators(INDICATOR_DETECTORS.map((detector) => detector.detect(context)).filter((indicator): indicator is Indicator => indicator !== null));

  const summary = attributionSummary(aggregate.remotes, profiles, total);
  const traces: TracePath[] = [...input.traces].sort((a, b) => compareIps(a[0], b[0])).map(([, trace]) => trace);

  return {
    captures,
    totals: { connections: total, remotes: remoteCount, listening: aggregate.listening, states: toStateCounts(aggregate.states) },
    remotes: profiles,
    clusters,
    countries,
    institutions,
    indicators,
    rdnsCounts: countRdnsStatuses(profiles),
    timeline: buildTimeline(captures, aggregate, baseline, clusters, clusterMembers, options.surgeFactor),
    summary,
    verdict: verdictText(indicators, summary, total, remoteCount),
    options,
    traces,
  };
}
