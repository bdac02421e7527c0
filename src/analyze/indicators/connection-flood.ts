// Connection flood per remote: DDoS-Deflate's rule (`netstat -ntu`, count per
// address, ban at NO_OF_CONNECTIONS=150), applied to each capture separately so
// that a series of snapshots does not add up one client's steady connections.
import type { Indicator, Severity } from '../../model/analysis.js';
import { EVIDENCE_REMOTE_LIMIT, peakIndex, peakValue, percent, rankRemotes, type IndicatorDetector } from './types.js';

export const connectionFlood: IndicatorDetector = {
  kind: 'connection-flood',
  description: 'one address holds at least floodPerRemote sockets in a single capture (DDoS-Deflate default 150)',
  detect({ aggregate, options, capturePaths }): Indicator | null {
    const threshold = options.floodPerRemote;
    const flooding = rankRemotes(aggregate.remotes, (stats) => peakValue(stats.perCapture), threshold);
    const top = flooding[0];
    if (!top) return null;
    const peakCapture = peakIndex(top.stats.perCapture);
    const captureTotal = aggregate.captures[peakCapture]?.connections ?? 0;
    let floodingInPeak = 0;
    for (const { stats } of flooding) floodingInPeak += stats.perCapture[peakCapture] ?? 0;
    const shareOfCapture = captureTotal > 0 ? floodingInPeak / captureTotal : 0;
    const severity: Severity = flooding.length >= 10 && shareOfCapture >= 0.5 ? 'critical' : flooding.length >= 3 || shareOfCapture >= 0.5 ? 'high' : 'medium';
    const who = flooding.length === 1 ? `1 address held` : `${flooding.length} addresses each held`;
    return {
      kind: 'connection-flood',
      severity,
      summary: `${who} ${threshold} or more connections in one capture; the largest, ${top.stats.identity.ip}, held ${top.value} in ${capturePaths[peakCapture] ?? `capture ${peakCapture}`} (the flooding addresses carry ${percent(shareOfCapture)} of that capture).`,
      evidence: {
        remotes: flooding.slice(0, EVIDENCE_REMOTE_LIMIT).map(({ stats }) => stats.identity.ip),
        figures: {
          remotes: flooding.length,
          maxConnectionsPerRemote: top.value,
          capture: capturePaths[peakCapture] ?? String(peakCapture),
          connectionsFromFloodingRemotes: floodingInPeak,
          captureConnections: captureTotal,
          shareOfCapture,
        },
      },
      thresholds: { floodPerRemote: threshold },
    };
  },
};
