// Many idle ESTABLISHED sockets from one address on a web port: the slowloris /
// chunked-encoding pattern of the original incident. Apache 1.3 on a Cobalt RaQ
// gave each such socket a whole httpd child until MaxClients ran out. "Idle" is what
// netstat can show: ESTABLISHED with Recv-Q 0 and Send-Q 0 (nothing in flight either way).
import type { Indicator, Severity } from '../../model/analysis.js';
import { EVIDENCE_REMOTE_LIMIT, peakIndex, peakValue, percent, rankRemotes, type IndicatorDetector } from './types.js';

export const idleEstablished: IndicatorDetector = {
  kind: 'idle-established',
  description: 'one address holds at least idleEstablishedPerRemote ESTABLISHED sockets with empty queues on a web port in one capture',
  detect({ aggregate, options, capturePaths }): Indicator | null {
    const threshold = options.idleEstablishedPerRemote;
    const holders = rankRemotes(aggregate.remotes, (stats) => peakValue(stats.idleWebPerCapture), threshold);
    const top = holders[0];
    if (!top) return null;
    // The capture where the flagged addresses together held the most idle sockets.
    const perCapture = new Array<number>(aggregate.captures.length).fill(0);
    for (const { stats } of holders) {
      const idle = stats.idleWebPerCapture;
      for (let index = 0; index < idle.length; index++) perCapture[index] = (perCapture[index] ?? 0) + (idle[index] ?? 0);
    }
    const peak = peakIndex(perCapture);
    const idleInPeak = perCapture[peak] ?? 0;
    const captureTotal = aggregate.captures[peak]?.connections ?? 0;
    const shareOfCapture = captureTotal > 0 ? idleInPeak / captureTotal : 0;
    const severity: Severity = holders.length >= 3 || idleInPeak >= options.floodPerRemote ? 'high' : 'medium';
    return {
      kind: 'idle-established',
      severity,
      summary: `${holders.length === 1 ? '1 address holds' : `${holders.length} addresses hold`} ${threshold} or more idle ESTABLISHED connections (empty send and receive queues) on web ports ${options.webPorts.join('/')}: ${idleInPeak} such sockets (${percent(shareOfCapture)} of all connections) in ${capturePaths[peak] ?? `capture ${peak}`}, the slowloris / chunked-encoding pattern that ties up one server process per socket.`,
      evidence: {
        remotes: holders.slice(0, EVIDENCE_REMOTE_LIMIT).map(({ stats }) => stats.identity.ip),
        figures: {
          remotes: holders.length,
          idleConnections: idleInPeak,
          maxIdlePerRemote: top.value,
          capture: capturePaths[peak] ?? String(peak),
          captureConnections: captureTotal,
          shareOfCapture,
          webPorts: options.webPorts.join(','),
        },
      },
      thresholds: { idleEstablishedPerRemote: threshold },
    };
  },
};
