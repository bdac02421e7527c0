// The attribution summary and the verdict, in plain words. Built only from the
// analysis figures, so it says nothing the tables do not show.
import type { Indicator, RemoteProfile, Severity } from '../model/analysis.js';
import type { RemoteStats } from './aggregate.js';
import { SYN_RECV_INDEX } from './state-counts.js';
import { Tally } from './tally.js';
import { remoteName } from './profiles.js';
import { percent } from './indicators/types.js';

const LISTED_INSTITUTIONS = 3;

function pct(numerator: number, denominator: number): string {
  return percent(denominator > 0 ? numerator / denominator : 0);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The local port most connections arrive on (ties: lower port). */
export function dominantLocalPort(stats: RemoteStats[]): number | null {
  const ports = new Tally<number>();
  for (const remote of stats) remote.localPorts.forEachInbound((port, count) => ports.add(port, count));
  return ports.top(1)[0] ?? null;
}

export function attributionSummary(stats: RemoteStats[], profiles: RemoteProfile[], totalConnections: number): string {
  if (totalConnections === 0) return 'No connections with a remote peer were found in the captures.';
  const port = dominantLocalPort(stats);
  // Each remote's connections on that port, read once (a remote's ports are made when asked for).
  const onPort = new Float64Array(stats.length);
  for (let index = 0; index < stats.length; index++) onPort[index] = port === null ? stats[index]!.connections : stats[index]!.localPorts.count(port);
  const portOf = (index: number): number => onPort[index] ?? 0;
  let portTotal = 0;
  const countries = new Tally<string>();
  profiles.forEach((profile, index) => {
    const count = portOf(index);
    portTotal += count;
    if (profile.country && count > 0) countries.add(profile.country, count);
  });
  const where = port === null ? 'connections' : `port-${port} connections`;
  const topCountry = countries.top(1)[0];
  if (topCountry === undefined) {
    const top = Math.min(10, profiles.length);
    let topCount = 0;
    for (let i = 0; i < top; i++) topCount += portOf(i);
    return `${pct(topCount, portTotal)} of ${where} came from the top ${plural(top, 'address', 'addresses')}; no geographic attribution was available.`;
  }
  let countryConnections = 0;
  let addresses = 0;
  let countryName = topCountry;
  const networks = new Set<number>();
  const institutions = new Tally<string>();
  const types = new Map<string, string>();
  let synOnly = 0;
  profiles.forEach((profile, index) => {
    const count = portOf(index);
    if (profile.country !== topCountry || count === 0) return;
    countryConnections += count;
    addresses++;
    const remote = stats[index];
    if (remote && remote.connections > 0 && remote.states[SYN_RECV_INDEX] === remote.connections) synOnly++;
    if (profile.countryName) countryName = profile.countryName;
    if (profile.asn !== null) networks.add(profile.asn);
    const name = remoteName(profile);
    if (name) {
      institutions.add(name, count);
      if (profile.institution && profile.institution.type !== 'unknown') types.set(name, profile.institution.type);
    }
  });
  const named = institutions.top(LISTED_INSTITUTIONS).map((name) => (types.has(name) ? `${name} (${types.get(name)})` : name));
  const more = institutions.size - named.length;
  const list = named.length > 0 ? `: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : '';
  const networkText = networks.size > 0 ? ` in ${plural(networks.size, 'network', 'networks')}` : '';
  // A SYN's source address is not authenticated: say so when most of these never answered.
  const spoofNote = synOnly * 2 > addresses ? ` ${synOnly} of these ${addresses} addresses never completed a handshake (SYN_RECV only): they may be spoofed, and so may this attribution.` : '';
  return `${pct(countryConnections, portTotal)} of ${where} came from ${plural(addresses, 'address', 'addresses')}${networkText} in ${countryName}${list}.${spoofNote}`;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

export function verdictText(indicators: Indicator[], summary: string, totalConnections: number, remotes: number): string {
  const scale = `${plural(totalConnections, 'connection', 'connections')} from ${plural(remotes, 'address', 'addresses')}`;
  const serious = indicators.filter((indicator) => severityRank(indicator.severity) >= SEVERITY_RANK.medium);
  if (serious.length === 0) {
    const minor = indicators.length > 0 ? ` Minor observations: ${indicators.map((indicator) => indicator.kind).join(', ')}.` : '';
    return `No attack pattern reached its threshold across ${scale}.${minor} ${summary}`;
  }
  const worst = serious[0]!;
  const kinds = serious.map((indicator) => indicator.kind).join(', ');
  const attack = worst.severity === 'critical' || worst.severity === 'high' ? 'This looks like an attack' : 'This looks suspicious';
  return `${attack} (${worst.severity}): ${serious.length === 1 ? 'one indicator fired' : `${serious.length} indicators fired`} (${kinds}) across ${scale}. ${worst.summary} ${summary}`;
}
