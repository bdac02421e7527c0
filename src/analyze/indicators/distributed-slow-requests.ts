// The distributed slowloris: many addresses each holding a few idle ESTABLISHED sockets on a
// web port, none of them enough for idle-established (20) or connection-flood (150), together
// holding most of the server's web connections. The shape of the incident once the attacker
// spreads it: 47 Korean addresses with 8-10 idle sockets each, 400 of 449 connections, Apache's
// 150 workers long gone. A healthy busy server has as many web sockets, but they carry data or
// close, so the idle share stays low.
import type { Indicator, Severity } from '../../model/analysis.js';
import { EVIDENCE_REMOTE_LIMIT, percent, type IndicatorDetector } from './types.js';
import { remoteName } from '../profiles.js';

/** Networks named in the summary; the figures carry every one. */
const NAMED_NETWORKS = 3;

export const distributedSlowRequests: IndicatorDetector = {
  kind: 'distributed-slow-requests',
  description: 'one capture holds at least slowIdleTotal idle ESTABLISHED web-port sockets in total, at least slowIdleShare of its web-port connections, however few each address holds',
  detect({ aggregate, profiles, options, capturePaths }): Indicator | null {
    let peak = -1;
    for (let index = 0; index < aggregate.captures.length; index++) {
      const capture = aggregate.captures[index]!;
      const qualifies = capture.idleWebConnections >= options.slowIdleTotal && capture.webConnections > 0 && capture.idleWebConnections / capture.webConnections >= options.slowIdleShare;
      if (qualifies && (peak < 0 || capture.idleWebConnections > aggregate.captures[peak]!.idleWebConnections)) peak = index;
    }
    if (peak < 0) return null;
    const capture = aggregate.captures[peak]!;

    // Who holds them, by network (AS, else the address itself), heaviest first.
    const networks = new Map<string, { label: string; addresses: number; idle: number }>();
    const holders: { ip: string; idle: number }[] = [];
    aggregate.remotes.forEach((stats, index) => {
      const idle = stats.idleWebPerCapture[peak] ?? 0;
      if (idle === 0) return;
      const profile = profiles[index];
      holders.push({ ip: stats.identity.ip, idle });
      const key = profile?.asn != null ? `AS${profile.asn}` : stats.identity.ip;
      const name = profile ? remoteName(profile) : null;
      const label = profile?.asn != null ? `AS${profile.asn}${name ? ` ${name}` : ''}${profile.country ? ` (${profile.country})` : ''}` : stats.identity.ip;
      const network = networks.get(key) ?? { label, addresses: 0, idle: 0 };
      network.addresses++;
      network.idle += idle;
      networks.set(key, network);
    });
    holders.sort((a, b) => b.idle - a.idle || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    const ranked = [...networks.values()].sort((a, b) => b.idle - a.idle || b.addresses - a.addresses || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

    const webShare = capture.idleWebConnections / capture.webConnections;
    const captureShare = capture.connections > 0 ? capture.idleWebConnections / capture.connections : 0;
    const severity: Severity = captureShare >= 0.5 ? 'high' : 'medium';
    const named = ranked
      .slice(0, NAMED_NETWORKS)
      .map((network) => `${network.label}: ${network.addresses === 1 ? '1 address' : `${network.addresses} addresses`}, ${network.idle} idle`)
      .join('; ');
    const more = ranked.length > NAMED_NETWORKS ? `; ${ranked.length - NAMED_NETWORKS} more networks` : '';
    const perAddress = Math.max(...holders.map((holder) => holder.idle));
    const spread = perAddress < options.idleEstablishedPerRemote
      ? `none above the per-address threshold of ${options.idleEstablishedPerRemote}: a slowloris spread thin over many addresses`
      : 'together past what one server process per socket can bear';
    return {
      kind: 'distributed-slow-requests',
      severity,
      summary: `${capture.idleWebConnections} idle ESTABLISHED connections (empty send and receive queues) on web ports ${options.webPorts.join('/')} from ${holders.length === 1 ? '1 address' : `${holders.length} addresses`} (at most ${perAddress} each) in ${capturePaths[peak] ?? `capture ${peak}`}: ${percent(webShare)} of its web connections and ${percent(captureShare)} of all. Each holds a server process without finishing its request, ${spread}. Held by ${named}${more}.`,
      evidence: {
        remotes: holders.slice(0, EVIDENCE_REMOTE_LIMIT).map((holder) => holder.ip),
        figures: {
          remotes: holders.length,
          idleConnections: capture.idleWebConnections,
          webConnections: capture.webConnections,
          maxIdlePerRemote: perAddress,
          networks: ranked.length,
          topNetworks: ranked.slice(0, NAMED_NETWORKS).map((network) => `${network.label} (${network.addresses}/${network.idle})`).join('; '),
          capture: capturePaths[peak] ?? String(peak),
          captureConnections: capture.connections,
          shareOfWebConnections: webShare,
          shareOfCapture: captureShare,
          webPorts: options.webPorts.join(','),
        },
      },
      thresholds: { slowIdleTotal: options.slowIdleTotal, slowIdleShare: options.slowIdleShare },
    };
  },
};
