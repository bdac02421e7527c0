// Hop attribution: who owns each hop (geo/ASN from a GeoLookup, names from the trace or rDNS),
// the AS path, the last responsive hop and, when the destination is silent, the last hop outside
// the destination's network. Pure: the GeoLookup and the rDNS answers are passed in.
import type { RdnsResult } from '../model/attribution.js';
import type { GeoLookup } from '../model/services.js';
import type { HopAttribution, TraceHop, TracePath } from '../model/trace.js';
import { sanitizeText } from '../net/sanitize.js';
import { hostnameHints } from './hostname-hints.js';
import type { LocationCodes } from './location-codes.js';

export interface PathAttribution {
  hops: HopAttribution[];
  /** ASNs along the path, consecutive repeats collapsed, unknown/silent hops skipped. */
  asPath: number[];
  lastResponsiveHop: HopAttribution | null;
  /** Destination silent only: the last responsive hop whose AS or country differs from the destination's. */
  lastHopOutsideDestination: HopAttribution | null;
  destinationSilent: boolean;
}

export interface AttributeOptions {
  /** PTR answers by address (from reverseDnsBatch); used when the trace printed no name. */
  rdns?: ReadonlyMap<string, RdnsResult>;
  codes?: LocationCodes;
}

/** The responder that answered most probes of a hop (ties: first printed). */
function mainResponder(hop: TraceHop) {
  const counts = new Map<string, { count: number; order: number; name: string | null; asn: number | null }>();
  hop.probes.forEach((probe, order) => {
    if (probe.ip === null) return;
    const entry = counts.get(probe.ip);
    if (entry) {
      entry.count++;
      entry.name ??= probe.name;
      entry.asn ??= probe.asn;
    } else counts.set(probe.ip, { count: 1, order, name: probe.name, asn: probe.asn });
  });
  const best = [...counts].sort((a, b) => b[1].count - a[1].count || a[1].order - b[1].order)[0];
  return best ? { ip: best[0], ...best[1] } : null;
}

export function attributeHop(hop: TraceHop, geo: GeoLookup, options: AttributeOptions = {}): HopAttribution {
  const responder = mainResponder(hop);
  if (!responder) {
    // A hop with a name but no address ('Internal (Internal)') still carries the name.
    const named = hop.probes.find((probe) => probe.name !== null);
    const name = named?.name ?? null;
    return { ttl: hop.ttl, ip: null, name, asn: named?.asn ?? null, asOrg: null, country: null, hints: hostnameHints(name, options.codes) };
  }
  const own = geo.lookup(responder.ip);
  const ptr = options.rdns?.get(responder.ip);
  const ptrName = ptr?.status === 'ok' && ptr.names[0] ? sanitizeText(ptr.names[0]) : null;
  const name = responder.name ?? ptrName;
  return {
    ttl: hop.ttl,
    ip: responder.ip,
    name,
    // The geo database first; the tracer's own AS lookup (traceroute -A, mtr -z) fills gaps.
    asn: own.asn ?? responder.asn,
    asOrg: own.asOrg !== null ? sanitizeText(own.asOrg) : null,
    country: own.special ? null : own.country,
    hints: hostnameHints(name, options.codes),
    institution: own.institution,
  };
}

export function collapseAsPath(asns: readonly (number | null)[]): number[] {
  const path: number[] = [];
  for (const asn of asns) if (asn !== null && path[path.length - 1] !== asn) path.push(asn);
  return path;
}

export function attributePath(path: TracePath, geo: GeoLookup, options: AttributeOptions = {}): PathAttribution {
  const hops = path.hops.map((hop) => attributeHop(hop, geo, options));
  const responsive = hops.filter((hop) => hop.ip !== null);
  const lastResponsiveHop = responsive[responsive.length - 1] ?? null;
  const destinationSilent = !path.reached;
  let lastHopOutsideDestination: HopAttribution | null = null;
  if (destinationSilent && path.target.ip !== null) {
    const destination = geo.lookup(path.target.ip);
    for (let index = responsive.length - 1; index >= 0; index--) {
      const hop = responsive[index] as HopAttribution;
      const otherAs = hop.asn !== null && destination.asn !== null && hop.asn !== destination.asn;
      const otherCountry = hop.country !== null && destination.country !== null && hop.country !== destination.country;
      if (otherAs || otherCountry) {
        lastHopOutsideDestination = hop;
        break;
      }
    }
  }
  return { hops, asPath: collapseAsPath(hops.map((hop) => hop.asn)), lastResponsiveHop, lastHopOutsideDestination, destinationSilent };
}
