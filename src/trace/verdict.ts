// A verdict per remote IP: its own geo/ASN combined with what its path says.
// "destination silent; last 3 hops in AS4766 Korea Telecom, hostnames end in .kr -> KR, medium confidence"
import type { IpAttribution } from '../model/attribution.js';
import type { HopAttribution, TracePath, TraceVerdict } from '../model/trace.js';
import { collapseAsPath } from './attribute.js';

/** How many responsive hops at the end of the path speak for the destination. */
export const TAIL_HOPS = 3;
const WEIGHT = { high: 3, medium: 2, low: 1 } as const;

function describeAs(asn: number, asOrg: string | null): string {
  return asOrg ? `AS${asn} ${asOrg}` : `AS${asn}`;
}

/** Country votes of the tail hops: geo country (2), then each hostname hint by its confidence. */
function tailCountry(tail: readonly HopAttribution[]): { country: string | null; votes: number; total: number; hopsAgreeing: number } {
  const votes = new Map<string, { weight: number; hops: Set<number>; first: number }>();
  let order = 0;
  const vote = (country: string, weight: number, ttl: number) => {
    const entry = votes.get(country) ?? { weight: 0, hops: new Set<number>(), first: order++ };
    entry.weight += weight;
    entry.hops.add(ttl);
    votes.set(country, entry);
  };
  for (const hop of tail) {
    if (hop.country) vote(hop.country, 2, hop.ttl);
    for (const hint of hop.hints) if (hint.country) vote(hint.country, WEIGHT[hint.confidence], hop.ttl);
  }
  const total = [...votes.values()].reduce((sum, entry) => sum + entry.weight, 0);
  const best = [...votes].sort((a, b) => b[1].weight - a[1].weight || a[1].first - b[1].first)[0];
  return best ? { country: best[0], votes: best[1].weight, total, hopsAgreeing: best[1].hops.size } : { country: null, votes: 0, total: 0, hopsAgreeing: 0 };
}

export function traceVerdict(ip: string, attribution: IpAttribution, path: TracePath, hops: readonly HopAttribution[]): TraceVerdict {
  const responsive = hops.filter((hop) => hop.ip !== null);
  const lastResponsiveHop = responsive[responsive.length - 1] ?? null;
  const answered = path.reached;
  // When the destination answered, its own hop is not evidence about the path to it.
  const before = answered ? responsive.filter((hop) => hop.ip !== ip) : responsive;
  const tail = before.slice(-TAIL_HOPS);
  const parts: string[] = [];
  const destinationHop = answered ? responsive.find((hop) => hop.ip === ip) : undefined;
  parts.push(answered ? `destination answered${destinationHop ? ` at hop ${destinationHop.ttl}` : ''}` : 'destination silent');
  const tailAsns = new Set(tail.map((hop) => hop.asn));
  const firstTail = tail[0];
  if (tail.length > 0 && tailAsns.size === 1 && firstTail?.asn != null) {
    parts.push(`last ${tail.length === 1 ? 'hop' : `${tail.length} hops`} in ${describeAs(firstTail.asn, firstTail.asOrg)}`);
  } else if (lastResponsiveHop && !answered) {
    parts.push(`last responsive hop ${lastResponsiveHop.ip}${lastResponsiveHop.asn !== null ? ` in ${describeAs(lastResponsiveHop.asn, lastResponsiveHop.asOrg)}` : ''} at hop ${lastResponsiveHop.ttl}`);
  } else if (!lastResponsiveHop) {
    parts.push('no hop answered');
  }
  const tlds = tail.map((hop) => hop.hints.find((hint) => hint.source.startsWith('.'))?.source ?? null);
  const tld = tlds[0];
  if (tld && tlds.filter((entry) => entry === tld).length >= Math.max(1, Math.ceil(tail.length / 2))) parts.push(`hostnames end in ${tld}`);
  const specific = tail.flatMap((hop) => hop.hints.filter((hint) => !hint.source.startsWith('.') && hint.confidence !== 'low'));
  if (specific[0]) parts.push(`router names point to ${specific[0].city ?? specific[0].country} (${specific[0].source})`);

  const own = attribution.country;
  const pathVote = tailCountry(tail);
  let country: string | null;
  let confidence: TraceVerdict['confidence'];
  if (own && pathVote.country === own) {
    country = own;
    confidence = answered || pathVote.hopsAgreeing >= 2 ? 'high' : 'medium';
    parts.push(`own geo ${own} agrees`);
  } else if (own && pathVote.country) {
    country = own;
    confidence = 'low';
    parts.push(`own geo says ${own} but the path points to ${pathVote.country}`);
  } else if (own) {
    country = own;
    confidence = answered ? 'medium' : 'low';
    parts.push(`own geo ${own}; the path says nothing about the country`);
  } else if (pathVote.country) {
    country = pathVote.country;
    const strong = pathVote.hopsAgreeing >= 2 && pathVote.votes * 2 > pathVote.total;
    confidence = strong ? 'medium' : 'low';
    parts.push(attribution.special ? `${attribution.special.name} address, no geo of its own` : 'no geo for the address itself');
  } else {
    country = null;
    confidence = 'low';
    parts.push('no country from geo or path');
  }
  const summary = `${parts.join('; ')} -> ${country ?? 'unknown'}, ${confidence} confidence`;
  return { ip, country, confidence, summary, asPath: collapseAsPath(hops.map((hop) => hop.asn)), lastResponsiveHop };
}
