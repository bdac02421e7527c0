// A deterministic, realistic Report of any size for the TUI's benchmark and
// tests: an httpd flood from Korean academic networks (SNU AS9488, POSTECH
// AS3784, KISTI AS1237, KAIST AS1781) over a background of ordinary clients.
// No randomness from the environment: a small LCG seeded by the caller.
import type { Analysis, Cluster, RemoteProfile } from '../../src/model/analysis.js';
import type { InstitutionType, RdnsResult } from '../../src/model/attribution.js';
import type { Report } from '../../src/model/report.js';
import { intToIpv4, ipv4ToInt } from '../../src/net/ip.js';

interface NetworkSpec {
  prefix: string;
  bits: number;
  asn: number;
  asOrg: string;
  institution: string;
  type: InstitutionType;
  country: string;
  countryName: string;
  city: string;
  ptrDomain: string | null;
  /** Relative share of remotes and connections per remote. */
  weight: number;
  connectionsPerRemote: number;
}

export const FLOOD_NETWORKS: readonly NetworkSpec[] = [
  { prefix: '147.46.0.0', bits: 16, asn: 9488, asOrg: 'Seoul National University', institution: 'Seoul National University', type: 'academic', country: 'KR', countryName: 'South Korea', city: 'Seoul', ptrDomain: 'snu.ac.kr', weight: 30, connectionsPerRemote: 40 },
  { prefix: '141.223.0.0', bits: 16, asn: 3784, asOrg: 'POSTECH', institution: 'Pohang University of Science and Technology', type: 'academic', country: 'KR', countryName: 'South Korea', city: 'Pohang', ptrDomain: 'postech.ac.kr', weight: 15, connectionsPerRemote: 30 },
  { prefix: '134.75.0.0', bits: 16, asn: 1237, asOrg: 'KISTI', institution: 'Korea Institute of Science and Technology Information', type: 'research', country: 'KR', countryName: 'South Korea', city: 'Daejeon', ptrDomain: null, weight: 10, connectionsPerRemote: 25 },
  { prefix: '143.248.0.0', bits: 16, asn: 1781, asOrg: 'KAIST', institution: 'Korea Advanced Institute of Science and Technology', type: 'academic', country: 'KR', countryName: 'South Korea', city: 'Daejeon', ptrDomain: 'kaist.ac.kr', weight: 8, connectionsPerRemote: 20 },
  { prefix: '211.104.0.0', bits: 14, asn: 4766, asOrg: 'Korea Telecom', institution: 'Korea Telecom', type: 'isp', country: 'KR', countryName: 'South Korea', city: 'Seoul', ptrDomain: null, weight: 10, connectionsPerRemote: 2 },
  { prefix: '73.0.0.0', bits: 8, asn: 7922, asOrg: 'COMCAST-7922', institution: 'Comcast Cable Communications', type: 'isp', country: 'US', countryName: 'United States', city: 'Philadelphia', ptrDomain: 'hsd1.pa.comcast.net', weight: 12, connectionsPerRemote: 1 },
  { prefix: '84.128.0.0', bits: 10, asn: 3320, asOrg: 'Deutsche Telekom AG', institution: 'Deutsche Telekom AG', type: 'isp', country: 'DE', countryName: 'Germany', city: 'Frankfurt am Main', ptrDomain: 'dip0.t-ipconnect.de', weight: 8, connectionsPerRemote: 1 },
  { prefix: '126.0.0.0', bits: 8, asn: 17676, asOrg: 'SoftBank Corp.', institution: 'SoftBank Corp.', type: 'isp', country: 'JP', countryName: 'Japan', city: 'Tokyo', ptrDomain: 'bbtec.net', weight: 7, connectionsPerRemote: 1 },
];

const COORDINATES: Record<string, [number, number]> = {
  Seoul: [37.57, 126.98], Pohang: [36.02, 129.34], Daejeon: [36.35, 127.38], Philadelphia: [39.95, -75.16], 'Frankfurt am Main': [50.11, 8.68], Tokyo: [35.69, 139.69],
};

function lcg(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A Report with remoteCount remotes and captureCount captures (for the timeline). */
export function syntheticReport(remoteCount: number, options: { seed?: number; captureCount?: number; generatedAt?: string } = {}): Report {
  const random = lcg(options.seed ?? 42);
  const captureCount = Math.max(1, options.captureCount ?? 6);
  const totalWeight = FLOOD_NETWORKS.reduce((sum, network) => sum + network.weight, 0);
  const used = new Set<string>();
  const remotes: RemoteProfile[] = [];
  for (let i = 0; remotes.length < remoteCount && i < remoteCount * 4; i++) {
    let pick = random() * totalWeight;
    let network = FLOOD_NETWORKS[0]!;
    for (const candidate of FLOOD_NETWORKS) {
      pick -= candidate.weight;
      if (pick <= 0) {
        network = candidate;
        break;
      }
    }
    const size = 2 ** (32 - network.bits);
    const ip = intToIpv4(ipv4ToInt(network.prefix) + 1 + Math.floor(random() * (size - 2)));
    if (used.has(ip)) continue;
    used.add(ip);
    const connections = Math.max(1, Math.round(network.connectionsPerRemote * (0.5 + random())));
    const synRecv = network.type === 'academic' || network.type === 'research' ? Math.floor(connections * 0.3 * random()) : 0;
    const established = connections - synRecv;
    const rdns: RdnsResult = network.ptrDomain
      ? { status: 'ok', names: [`${ip.split('.').reverse().join('-')}.${network.ptrDomain}`], ttl: 3600, server: '127.0.0.1:5353' }
      : { status: random() < 0.5 ? 'nxdomain' : 'timeout', names: [], ttl: null, server: null };
    const first = Math.floor(random() * captureCount);
    remotes.push({
      ip,
      ipVersion: 4,
      connections,
      states: synRecv > 0 ? { ESTABLISHED: established, SYN_RECV: synRecv } : { ESTABLISHED: established },
      localPorts: [{ port: 80, connections }],
      programs: [{ program: 'httpd', connections }],
      share: 0,
      firstCapture: first,
      lastCapture: captureCount - 1,
      special: null,
      country: network.country,
      countryName: network.countryName,
      city: network.city,
      asn: network.asn,
      asOrg: network.asOrg,
      institution: { name: network.institution, type: network.type, evidence: [`AS${network.asn} ${network.asOrg}`] },
      rdns,
      latitude: COORDINATES[network.city]?.[0] ?? null,
      longitude: COORDINATES[network.city]?.[1] ?? null,
    });
  }
  const totalConnections = remotes.reduce((sum, remote) => sum + remote.connections, 0);
  for (const remote of remotes) remote.share = totalConnections === 0 ? 0 : remote.connections / totalConnections;
  remotes.sort((a, b) => b.connections - a.connections || ipv4ToInt(a.ip) - ipv4ToInt(b.ip));
  return { ...reportShell(options.generatedAt), analysis: summarise(remotes, captureCount) };
}

function reportShell(generatedAt = '2026-11-28T12:00:00.000Z'): Omit<Report, 'analysis'> {
  return {
    schemaVersion: 1,
    tool: { name: 'netsleuth', version: '0.1.0' },
    generatedAt,
    inputs: [{ path: 'synthetic/netstat-anp.txt', sizeBytes: 0, sha256: '0'.repeat(64), format: 'netstat-linux', capturedAt: generatedAt, lines: 0, parsed: 0, skipped: 0 }],
    dataSources: [],
    run: { dns: true, trace: false, dnsServers: ['127.0.0.1:5353'], baseline: null },
  };
}

/** Totals, clusters, countries, institutions, timeline: what analysis would derive, computed plainly. */
function summarise(remotes: RemoteProfile[], captureCount: number): Analysis {
  const total = remotes.reduce((sum, remote) => sum + remote.connections, 0);
  const states: Record<string, number> = {};
  for (const remote of remotes) for (const [state, count] of Object.entries(remote.states)) states[state] = (states[state] ?? 0) + (count ?? 0);
  const group = <K extends string | number>(keyOf: (remote: RemoteProfile) => K | null) => {
    const groups = new Map<K, RemoteProfile[]>();
    for (const remote of remotes) {
      const key = keyOf(remote);
      if (key === null) continue;
      const list = groups.get(key) ?? [];
      list.push(remote);
      groups.set(key, list);
    }
    return [...groups.entries()]
      .map(([key, members]) => ({ key, members, connections: members.reduce((sum, remote) => sum + remote.connections, 0) }))
      .sort((a, b) => b.connections - a.connections || String(a.key).localeCompare(String(b.key)));
  };
  const networkOf = (remote: RemoteProfile) => FLOOD_NETWORKS.find((network) => network.asn === remote.asn)!;
  const clusterOf = (kind: Cluster['kind'], key: string, label: string, members: RemoteProfile[], connections: number): Cluster => ({
    kind, key, label, connections, share: total ? connections / total : 0, remotes: members.length,
    states: { ESTABLISHED: members.reduce((sum, remote) => sum + (remote.states.ESTABLISHED ?? 0), 0), SYN_RECV: members.reduce((sum, remote) => sum + (remote.states.SYN_RECV ?? 0), 0) },
    summary: { countries: [members[0]!.country ?? ''], asns: [members[0]!.asn ?? 0], asOrgs: [members[0]!.asOrg ?? ''] },
  });
  const byAsn = group((remote) => remote.asn);
  const byCountry = group((remote) => remote.country);
  const clusters: Cluster[] = [
    ...byAsn.map(({ members, connections }) => {
      const network = networkOf(members[0]!);
      return clusterOf('prefix', `${network.prefix}/${network.bits}`, network.asOrg, members, connections);
    }),
    ...byAsn.map(({ key, members, connections }) => clusterOf('asn', String(key), members[0]!.asOrg ?? '', members, connections)),
    ...byAsn.map(({ members, connections }) => clusterOf('institution', members[0]!.institution!.name, members[0]!.institution!.name, members, connections)),
    ...byCountry.map(({ key, members, connections }) => clusterOf('country', String(key), members[0]!.countryName ?? '', members, connections)),
  ];
  const captures = Array.from({ length: captureCount }, (_, index) => {
    const present = remotes.filter((remote) => remote.firstCapture <= index);
    const connections = present.reduce((sum, remote) => sum + remote.connections, 0);
    return { index, path: `synthetic/capture-${index + 1}.txt`, capturedAt: `2026-11-28T${String(10 + index).padStart(2, '0')}:00:00Z`, connections, remotes: present.length, states: {} };
  });
  const krShare = (byCountry.find((entry) => entry.key === 'KR')?.connections ?? 0) / (total || 1);
  const top = byAsn[0];
  return {
    captures,
    totals: { connections: total, remotes: remotes.length, listening: 2, states },
    remotes,
    clusters,
    countries: byCountry.map(({ key, members, connections }) => ({ country: String(key), countryName: members[0]!.countryName ?? '', connections, remotes: members.length })),
    institutions: byAsn.map(({ key, members, connections }) => ({ asn: Number(key), name: members[0]!.institution!.name, type: members[0]!.institution!.type, country: members[0]!.country, connections, remotes: members.length })),
    indicators: [
      { kind: 'connection-flood', severity: 'high', summary: `${remotes.filter((remote) => remote.connections >= 40).length} remotes hold 40+ connections to port 80`, evidence: { remotes: remotes.slice(0, 5).map((remote) => remote.ip), figures: { port: 80 } }, thresholds: { floodPerRemote: 40 } },
      { kind: 'concentration', severity: 'medium', summary: `${Math.round(krShare * 100)}% of connections come from South Korea`, evidence: { remotes: [], figures: { share: krShare } }, thresholds: { concentrationShare: 0.5 } },
      { kind: 'surge', severity: 'medium', summary: 'connections grew across the captures', evidence: { remotes: [], figures: {} }, thresholds: { surgeFactor: 3 } },
    ],
    rdnsCounts: remotes.reduce<Partial<Record<RdnsResult['status'], number>>>((counts, remote) => {
      counts[remote.rdns.status] = (counts[remote.rdns.status] ?? 0) + 1;
      return counts;
    }, {}),
    timeline: {
      captures,
      clusterSeries: byAsn.slice(0, 4).map(({ key, members }) => ({ kind: 'asn' as const, key: String(key), label: members[0]!.asOrg ?? '', series: captures.map((capture) => members.filter((remote) => remote.firstCapture <= capture.index).reduce((sum, remote) => sum + remote.connections, 0)) })),
      newRemotes: [],
      growingRemotes: [],
      persistingRemotes: [],
      surgeStart: captureCount > 1 ? 1 : null,
    },
    summary: `Most connections come from Korean academic networks${top ? `, led by AS${top.key} ${top.members[0]!.asOrg}` : ''}.`,
    verdict: `A connection flood on port 80 from Korean university and research networks (${Math.round(krShare * 100)}% of connections from South Korea). Block or rate-limit the prefixes below.`,
    options: { clusterThreshold: 0.05, floodPerRemote: 150, synRecvCount: 100, synRecvShare: 0.5, idleEstablishedPerRemote: 20, webPorts: [80, 443], portScanPorts: 10, rdnsFailShare: 0.5, rdnsMinQueriedRemotes: 5, concentrationShare: 0.5, concentrationMinConnections: 100, surgeFactor: 3, slowRequestWorkers: 50, slowRequestClients: 3, slowIdleTotal: 100, slowIdleShare: 0.5 },
    traces: [],
  };
}
