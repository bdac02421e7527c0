// Hand-built Reports for the TUI tests: the Korean academic flood (SNU AS9488,
// POSTECH AS3784, KISTI AS1237) against a small web server, plus a remote whose
// PTR and AS names are hostile (escape sequences, bidi override, wide chars).
import type { Analysis, RemoteProfile } from '../../src/model/analysis.js';
import type { RdnsResult } from '../../src/model/attribution.js';
import type { Report } from '../../src/model/report.js';
import type { TracePath } from '../../src/model/trace.js';

export { syntheticReport } from '../support/synthetic-report.js';

const NO_RDNS: RdnsResult = { status: 'nxdomain', names: [], ttl: null, server: '127.0.0.1:5353', rcode: 'NXDOMAIN' };

interface RemoteSpec {
  ip: string;
  established: number;
  synRecv?: number;
  timeWait?: number;
  country: string | null;
  countryName: string | null;
  city: string | null;
  asn: number | null;
  asOrg: string | null;
  institution?: { name: string; type: 'academic' | 'research' | 'isp' | 'hosting' };
  ptr?: string[];
  rdns?: RdnsResult;
  latitude?: number;
  longitude?: number;
}

/** The escape sequences a hostile PTR or AS name could carry. */
export const HOSTILE_PTR = 'evil\u001b[2J\u001b]0;pwned\u0007.\u202eexample\u0000.com';
export const HOSTILE_AS_ORG = '\u001b[31mRED-NET\u001b[0m \u009b6n 서울대학교 Hangul wide name that is much too long for any column';

export const REMOTE_SPECS: readonly RemoteSpec[] = [
  { ip: '147.46.195.90', established: 310, synRecv: 12, country: 'KR', countryName: 'South Korea', city: 'Seoul', asn: 9488, asOrg: 'Seoul National University', institution: { name: 'Seoul National University', type: 'academic' }, ptr: ['dorm-195-90.snu.ac.kr'], latitude: 37.46, longitude: 126.95 },
  { ip: '147.46.207.207', established: 240, synRecv: 30, timeWait: 15, country: 'KR', countryName: 'South Korea', city: 'Seoul', asn: 9488, asOrg: 'Seoul National University', institution: { name: 'Seoul National University', type: 'academic' }, ptr: ['lab-207.snu.ac.kr'], latitude: 37.46, longitude: 126.95 },
  { ip: '147.46.70.231', established: 180, country: 'KR', countryName: 'South Korea', city: 'Seoul', asn: 9488, asOrg: 'Seoul National University', institution: { name: 'Seoul National University', type: 'academic' }, rdns: { status: 'timeout', names: [], ttl: null, server: null } },
  { ip: '141.223.5.18', established: 150, synRecv: 5, country: 'KR', countryName: 'South Korea', city: 'Pohang', asn: 3784, asOrg: 'POSTECH', institution: { name: 'POSTECH', type: 'academic' }, ptr: ['cs5-18.postech.ac.kr'] },
  { ip: '141.223.90.2', established: 95, country: 'KR', countryName: 'South Korea', city: 'Pohang', asn: 3784, asOrg: 'POSTECH', institution: { name: 'POSTECH', type: 'academic' } },
  { ip: '134.75.30.11', established: 120, country: 'KR', countryName: 'South Korea', city: 'Daejeon', asn: 1237, asOrg: 'KISTI', institution: { name: 'KISTI', type: 'research' } },
  { ip: '143.248.2.77', established: 60, country: 'KR', countryName: 'South Korea', city: 'Daejeon', asn: 1781, asOrg: 'KAIST', institution: { name: 'KAIST', type: 'academic' }, ptr: ['kaist-2-77.kaist.ac.kr'] },
  { ip: '79.192.4.31', established: 3, timeWait: 2, country: 'DE', countryName: 'Germany', city: 'Berlin', asn: 3320, asOrg: 'Deutsche Telekom AG', ptr: ['p4fc0041f.dip0.t-ipconnect.de'] },
  { ip: '73.15.2.101', established: 1, timeWait: 1, country: 'US', countryName: 'United States', city: 'San Jose', asn: 7922, asOrg: 'COMCAST-7922' },
  { ip: '126.200.1.74', established: 2, country: 'JP', countryName: 'Japan', city: 'Tokyo', asn: 17676, asOrg: 'SoftBank Corp.' },
  { ip: '203.0.113.66', established: 4, country: null, countryName: null, city: null, asn: 64500, asOrg: HOSTILE_AS_ORG, ptr: [HOSTILE_PTR] },
  { ip: '2001:db8::beef', established: 1, country: null, countryName: null, city: null, asn: null, asOrg: null },
];

function profile(spec: RemoteSpec, total: number): RemoteProfile {
  const connections = spec.established + (spec.synRecv ?? 0) + (spec.timeWait ?? 0);
  const states: RemoteProfile['states'] = { ESTABLISHED: spec.established };
  if (spec.synRecv) states.SYN_RECV = spec.synRecv;
  if (spec.timeWait) states.TIME_WAIT = spec.timeWait;
  return {
    ip: spec.ip,
    ipVersion: spec.ip.includes(':') ? 6 : 4,
    connections,
    states,
    localPorts: [{ port: 80, connections }],
    programs: [{ program: 'httpd', connections }],
    share: connections / total,
    firstCapture: 0,
    lastCapture: 2,
    special: spec.ip.startsWith('2001:db8') ? { kind: 'documentation', prefix: '2001:db8::/32', name: 'Documentation', rfc: 'RFC 3849' } : null,
    country: spec.country,
    countryName: spec.countryName,
    city: spec.city,
    ...(spec.latitude !== undefined ? { latitude: spec.latitude, longitude: spec.longitude ?? null } : {}),
    asn: spec.asn,
    asOrg: spec.asOrg,
    institution: spec.institution ? { ...spec.institution, evidence: [`AS name '${spec.asOrg}'`] } : null,
    rdns: spec.rdns ?? (spec.ptr ? { status: 'ok', names: spec.ptr, ttl: 3600, server: '127.0.0.1:5353', fcrdns: 'confirmed' } : NO_RDNS),
  };
}

export const SNU_TRACE: TracePath = {
  target: { ip: '147.46.195.90', name: null },
  reached: false,
  format: 'traceroute-linux',
  hops: [
    { ttl: 1, probes: [{ ip: '198.51.100.1', name: 'gw.example.net', rttMs: 0.4, annotation: null, asn: null }] },
    { ttl: 2, probes: [{ ip: '112.174.3.1', name: null, rttMs: 130.2, annotation: null, asn: 4766 }] },
    { ttl: 3, probes: [{ ip: null, name: null, rttMs: null, annotation: null, asn: null }] },
    { ttl: 4, probes: [{ ip: '147.46.0.1', name: 'snu-gw.snu.ac.kr', rttMs: 141.9, annotation: null, asn: 9488 }] },
  ],
};

export function floodReport(overrides: { generatedAt?: string; scale?: number } = {}): Report {
  const scale = overrides.scale ?? 1;
  const specs = REMOTE_SPECS.map((spec) => ({ ...spec, established: spec.established * scale }));
  const total = specs.reduce((sum, spec) => sum + spec.established + (spec.synRecv ?? 0) + (spec.timeWait ?? 0), 0);
  const remotes = specs.map((spec) => profile(spec, total)).sort((a, b) => b.connections - a.connections || a.ip.localeCompare(b.ip));
  const sum = (filter: (remote: RemoteProfile) => boolean) => remotes.filter(filter).reduce((acc, remote) => acc + remote.connections, 0);
  const kr = sum((remote) => remote.country === 'KR');
  const snu = sum((remote) => remote.asn === 9488);
  const postech = sum((remote) => remote.asn === 3784);
  const kisti = sum((remote) => remote.asn === 1237);
  const analysis: Analysis = {
    captures: [0, 1, 2].map((index) => ({ index, path: `samples/incident/incident-0${index + 1}.txt`, capturedAt: `2026-11-28T0${index}:00:00Z`, connections: Math.round(total * (index + 1) / 3), remotes: remotes.length, states: {} })),
    totals: { connections: total, remotes: remotes.length, listening: 12, states: { ESTABLISHED: sum(() => true) - 47 - 18, SYN_RECV: 47, TIME_WAIT: 18 } },
    remotes,
    clusters: [
      { kind: 'prefix', key: '147.46.0.0/16', label: 'Seoul National University', connections: snu, share: snu / total, remotes: 3, states: {}, summary: { countries: ['KR'], asns: [9488], asOrgs: ['Seoul National University'] } },
      { kind: 'prefix', key: '141.223.0.0/16', label: 'POSTECH', connections: postech, share: postech / total, remotes: 2, states: {}, summary: { countries: ['KR'], asns: [3784], asOrgs: ['POSTECH'] } },
      { kind: 'asn', key: '9488', label: 'Seoul National University', connections: snu, share: snu / total, remotes: 3, states: {}, summary: { countries: ['KR'], asns: [9488], asOrgs: ['Seoul National University'] } },
      { kind: 'asn', key: '3784', label: 'POSTECH', connections: postech, share: postech / total, remotes: 2, states: {}, summary: { countries: ['KR'], asns: [3784], asOrgs: ['POSTECH'] } },
      { kind: 'asn', key: '1237', label: 'KISTI', connections: kisti, share: kisti / total, remotes: 1, states: {}, summary: { countries: ['KR'], asns: [1237], asOrgs: ['KISTI'] } },
      { kind: 'institution', key: 'Seoul National University', label: 'Seoul National University', connections: snu, share: snu / total, remotes: 3, states: {}, summary: { countries: ['KR'], asns: [9488], asOrgs: [] } },
      { kind: 'country', key: 'KR', label: 'South Korea', connections: kr, share: kr / total, remotes: 7, states: {}, summary: { countries: ['KR'], asns: [9488, 3784, 1237], asOrgs: [] } },
    ],
    countries: [
      { country: 'KR', countryName: 'South Korea', connections: kr, remotes: 7 },
      { country: 'DE', countryName: 'Germany', connections: 5, remotes: 1 },
    ],
    institutions: [
      { asn: 9488, name: 'Seoul National University', type: 'academic', country: 'KR', connections: snu, remotes: 3 },
      { asn: 3784, name: 'POSTECH', type: 'academic', country: 'KR', connections: postech, remotes: 2 },
      { asn: 1237, name: 'KISTI', type: 'research', country: 'KR', connections: kisti, remotes: 1 },
    ],
    indicators: [
      { kind: 'connection-flood', severity: 'high', summary: '3 remotes in 147.46.0.0/16 hold 150+ connections each to port 80', evidence: { remotes: ['147.46.195.90'], figures: { max: 322 } }, thresholds: { floodPerRemote: 150 } },
      { kind: 'concentration', severity: 'medium', summary: '97% of connections come from South Korea', evidence: { remotes: [], figures: {} }, thresholds: { concentrationShare: 0.5 } },
    ],
    rdnsCounts: { ok: 6, nxdomain: 4, timeout: 1 },
    timeline: {
      captures: [],
      clusterSeries: [{ kind: 'asn', key: '9488', label: 'Seoul National University', series: [40, 300, snu] }],
      newRemotes: [],
      growingRemotes: ['147.46.195.90'],
      persistingRemotes: [],
      surgeStart: 1,
    },
    summary: 'Korean academic networks (SNU, POSTECH, KISTI) hold most connections.',
    verdict: 'Connection flood on port 80 from Korean university networks: Seoul National University (AS9488) leads. Rate-limit 147.46.0.0/16.',
    options: { clusterThreshold: 0.05, floodPerRemote: 150, synRecvCount: 100, synRecvShare: 0.5, idleEstablishedPerRemote: 20, webPorts: [80, 443], portScanPorts: 10, rdnsFailShare: 0.5, rdnsMinQueriedRemotes: 5, concentrationShare: 0.5, concentrationMinConnections: 100, surgeFactor: 3, slowRequestWorkers: 50, slowRequestClients: 3, slowIdleTotal: 100, slowIdleShare: 0.5 },
    traces: [SNU_TRACE],
  };
  analysis.timeline!.captures = analysis.captures;
  return {
    schemaVersion: 1,
    tool: { name: 'netsleuth', version: '0.1.0' },
    generatedAt: overrides.generatedAt ?? '2026-11-28T03:00:00.000Z',
    inputs: analysis.captures.map((capture) => ({ path: capture.path, sizeBytes: 1000, sha256: 'a'.repeat(64), format: 'netstat-linux', capturedAt: capture.capturedAt, lines: 100, parsed: 90, skipped: 0 })),
    dataSources: [],
    analysis,
    run: { dns: true, trace: true, dnsServers: ['127.0.0.1:5353'], baseline: null },
  };
}

/** Same report with every remote's rdns 'skipped' (what --no-dns / the fast first pass gives). */
export function withoutRdns(report: Report): Report {
  return {
    ...report,
    run: { ...report.run, dns: false },
    analysis: { ...report.analysis, remotes: report.analysis.remotes.map((remote) => ({ ...remote, rdns: { status: 'skipped', names: [], ttl: null, server: null } })) },
  };
}
