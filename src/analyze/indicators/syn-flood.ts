// SYN flood: many half-open sockets (SYN_RECV) in one capture, both as a count and
// as a share of that capture's connections (a busy server always has a few).
import type { Indicator, Severity } from '../../model/analysis.js';
import { STATE_COUNT } from '../../model/connection.js';
import { SYN_RECV_INDEX } from '../state-counts.js';
import { EVIDENCE_REMOTE_LIMIT, percent, rankRemotes, type IndicatorDetector } from './types.js';

export const synFlood: IndicatorDetector = {
  kind: 'syn-flood',
  description: 'at least synRecvCount SYN_RECV sockets making up at least synRecvShare of one capture',
  detect({ aggregate, options, capturePaths }): Indicator | null {
    let peak = -1;
    let peakCount = 0;
    aggregate.captures.forEach((capture, index) => {
      const count = capture.states[SYN_RECV_INDEX] ?? 0;
      if (count > peakCount) {
        peak = index;
        peakCount = count;
      }
    });
    if (peak < 0) return null;
    const capture = aggregate.captures[peak]!;
    const share = capture.connections > 0 ? peakCount / capture.connections : 0;
    if (peakCount < options.synRecvCount || share < options.synRecvShare) return null;
    const sources = rankRemotes(aggregate.remotes, (stats) => stats.states[SYN_RECV_INDEX] ?? 0, 1);
    // A source that never completed a handshake proves nothing about who sent the SYN:
    // the source address of a SYN is not authenticated.
    let synOnly = 0;
    for (const { stats } of sources) {
      let other = 0;
      for (let i = 0; i < STATE_COUNT; i++) if (i !== SYN_RECV_INDEX) other += stats.states[i] ?? 0;
      if (other === 0) synOnly++;
    }
    const severity: Severity = share >= 0.5 && peakCount >= 5 * options.synRecvCount ? 'critical' : 'high';
    const spoofNote = synOnly > 0 ? ` ${synOnly} of the ${sources.length} source addresses never completed a handshake: SYN_RECV-only sources may be spoofed, so their attribution is not evidence of who sent them.` : '';
    return {
      kind: 'syn-flood',
      severity,
      summary: `${peakCount} half-open connections (SYN_RECV, ${percent(share)} of the capture) in ${capturePaths[peak] ?? `capture ${peak}`} from ${sources.length} addresses.${spoofNote}`,
      evidence: {
        remotes: sources.slice(0, EVIDENCE_REMOTE_LIMIT).map(({ stats }) => stats.identity.ip),
        figures: {
          synRecv: peakCount,
          share,
          capture: capturePaths[peak] ?? String(peak),
          captureConnections: capture.connections,
          sourceAddresses: sources.length,
          synRecvOnlySources: synOnly,
          note: 'SYN_RECV-only sources may be spoofed',
        },
      },
      thresholds: { synRecvCount: options.synRecvCount, synRecvShare: options.synRecvShare },
    };
  },
};
