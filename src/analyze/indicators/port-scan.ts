// Port scan: one address reaching many distinct local service ports. On the victim
// a connect() scan only leaves sockets on open ports, so the count is of ports that
// listen (or that the peer reached from an ephemeral port); outbound client sockets
// (our ephemeral port -> their :80) are not counted, see aggregate.ts.
import type { Indicator, Severity } from '../../model/analysis.js';
import { EVIDENCE_REMOTE_LIMIT, rankRemotes, type IndicatorDetector } from './types.js';

export const portScan: IndicatorDetector = {
  kind: 'port-scan',
  description: 'one address reaches at least portScanPorts distinct local service ports',
  detect({ aggregate, options }): Indicator | null {
    const threshold = options.portScanPorts;
    const scanners = rankRemotes(aggregate.remotes, (stats) => stats.localPorts.serviceCount(), threshold);
    const top = scanners[0];
    if (!top) return null;
    const ports = top.stats.localPorts.servicePorts();
    const severity: Severity = scanners.length >= 3 || top.value >= 3 * threshold ? 'high' : 'medium';
    return {
      kind: 'port-scan',
      severity,
      summary: `${scanners.length === 1 ? '1 address' : `${scanners.length} addresses`} touched ${threshold} or more local service ports; ${top.stats.identity.ip} reached ${top.value} (${ports.join(', ')}).`,
      evidence: {
        remotes: scanners.slice(0, EVIDENCE_REMOTE_LIMIT).map(({ stats }) => stats.identity.ip),
        figures: { remotes: scanners.length, maxPorts: top.value, ports: ports.join(',') },
      },
      thresholds: { portScanPorts: threshold },
    };
  },
};
