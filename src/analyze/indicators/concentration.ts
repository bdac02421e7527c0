// Concentration: a few networks (the top three ASNs) or one country carry most of
// the connections. A public web server's visitors are spread out; a flood from a
// handful of campus networks is not.
import type { Indicator, Severity } from '../../model/analysis.js';
import { Tally } from '../tally.js';
import { EVIDENCE_REMOTE_LIMIT, percent, type IndicatorDetector } from './types.js';

export const CONCENTRATION_TOP_ASNS = 3;

export const concentration: IndicatorDetector = {
  kind: 'concentration',
  description: `the top ${CONCENTRATION_TOP_ASNS} ASNs, or the top country, carry at least concentrationShare of the connections`,
  detect({ aggregate, profiles, countries, options }): Indicator | null {
    const total = aggregate.connections;
    if (total < options.concentrationMinConnections) return null;
    const asns = new Tally<number>();
    for (const profile of profiles) if (profile.asn !== null) asns.add(profile.asn, profile.connections);
    const topAsns = asns.top(CONCENTRATION_TOP_ASNS);
    let asnConnections = 0;
    for (const asn of topAsns) asnConnections += asns.counts.get(asn) ?? 0;
    const asnShare = asnConnections / total;
    const topCountry = countries[0];
    const countryShare = topCountry ? topCountry.connections / total : 0;
    const threshold = options.concentrationShare;
    if (asnShare < threshold && countryShare < threshold) return null;
    const topAsnSet = new Set(topAsns);
    const involved = profiles.filter((profile) =>
      asnShare >= threshold ? profile.asn !== null && topAsnSet.has(profile.asn) : profile.country === topCountry?.country,
    );
    const parts: string[] = [];
    if (asnShare >= threshold) parts.push(`${topAsns.length === 1 ? 'one network' : `${topAsns.length} networks`} (${topAsns.map((asn) => `AS${asn}`).join(', ')}) carry ${percent(asnShare)} of all connections`);
    if (countryShare >= threshold && topCountry) parts.push(`${topCountry.countryName} alone carries ${percent(countryShare)}`);
    const severity: Severity = Math.max(asnShare, countryShare) >= 0.95 ? 'high' : 'medium';
    return {
      kind: 'concentration',
      severity,
      summary: `Load is concentrated: ${parts.join('; ')}.`,
      evidence: {
        remotes: involved.slice(0, EVIDENCE_REMOTE_LIMIT).map((profile) => profile.ip),
        figures: {
          topAsns: topAsns.join(','),
          topAsnShare: asnShare,
          topCountry: topCountry?.country ?? '',
          topCountryShare: countryShare,
          connections: total,
        },
      },
      thresholds: { concentrationShare: threshold, topAsns: CONCENTRATION_TOP_ASNS, concentrationMinConnections: options.concentrationMinConnections },
    };
  },
};
