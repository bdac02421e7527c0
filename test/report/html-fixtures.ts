// A report model full of strings that try to break out of HTML: the markdown tests'
// hostile names plus script-element breakouts, javascript: URLs, event-handler
// attributes, a network load and JavaScript's line separators, in every field the
// HTML page shows (tables, map tooltips, host panel, evidence).
import type { Report } from '../../src/model/report.js';
import { HOSTILE, incidentReport } from './fixtures.js';

export const HOSTILE_HTML = {
  scriptBreakout: '</script><script>window.__pwned=1</script>',
  javascriptUrl: 'javascript:window.__pwned=2',
  attribute: '" onmouseover="window.__pwned=3" x="',
  svgOnload: "'><svg onload=window.__pwned=4>",
  networkLoad: '<img src="http://198.51.100.9/x.png"><link rel=stylesheet href="http://198.51.100.9/x.css">',
  comment: '<!-- <script>window.__pwned=5</script> -->',
  lineSeparator: 'a\u2028b\u2029c',
} as const;

const ALL = Object.values(HOSTILE_HTML).join(' ');

/** The one outside link the hostile report may show: an https: RDAP record. */
export const RDAP_URL = 'https://rdap.arin.net/registry/ip/203.0.113.0';

/**
 * The incident fixture's remotes carry their coordinates as real profiles do
 * (src/analyze/profiles.ts copies them from the attribution), so each remote
 * belongs to its map bubble.
 */
export function locatedIncidentReport(options: { hostile?: boolean; remotes?: number } = {}): Report {
  const report = incidentReport(options);
  const byPlace = new Map((report.map ?? []).map((point) => [point.country, point]));
  for (const remote of report.analysis.remotes) {
    const point = remote.country ? byPlace.get(remote.country) : undefined;
    remote.latitude = point?.latitude ?? null;
    remote.longitude = point?.longitude ?? null;
  }
  return report;
}

export function hostileHtmlReport(): Report {
  const report = locatedIncidentReport({ hostile: true });
  const { analysis } = report;
  analysis.verdict = `${analysis.verdict} ${HOSTILE_HTML.scriptBreakout} ${HOSTILE_HTML.comment}`;
  analysis.summary = `${analysis.summary} ${HOSTILE_HTML.networkLoad}`;
  const target = analysis.remotes.find((remote) => remote.ip === '203.0.113.7');
  if (!target) throw new Error('fixture changed: 203.0.113.7 missing');
  target.rdns = { ...target.rdns, names: [HOSTILE.ptr, HOSTILE_HTML.scriptBreakout, HOSTILE_HTML.javascriptUrl, HOSTILE_HTML.lineSeparator], fcrdns: 'mismatch' };
  target.programs = [{ program: HOSTILE_HTML.attribute, connections: 30 }];
  target.institution = { name: HOSTILE_HTML.svgOnload, type: 'hosting', evidence: [HOSTILE_HTML.networkLoad, HOSTILE_HTML.comment] };
  target.verdict = { ip: target.ip, country: 'US', confidence: 'medium', summary: ALL, asPath: [64500], lastResponsiveHop: null };
  for (const indicator of analysis.indicators) indicator.summary = `${indicator.summary} ${HOSTILE_HTML.attribute}`;
  for (const cluster of analysis.clusters) cluster.label = `${cluster.label} ${HOSTILE_HTML.svgOnload}`;
  for (const institution of analysis.institutions) if (institution.asn === 64500) institution.name = HOSTILE_HTML.svgOnload;
  for (const country of analysis.countries) if (country.country === 'US') country.countryName = HOSTILE_HTML.scriptBreakout;
  report.inputs[1] = { ...report.inputs[1]!, path: HOSTILE_HTML.networkLoad, host: HOSTILE_HTML.javascriptUrl };
  report.dataSources[0] = { ...report.dataSources[0]!, attribution: HOSTILE_HTML.networkLoad, licence: HOSTILE_HTML.attribute };
  for (const point of report.map ?? []) if (point.country === 'US') point.city = `${HOSTILE.city} ${HOSTILE_HTML.svgOnload}`;

  // Registration, blocklists and fleet hosts: registry and list text is attacker-controlled too,
  // and an RDAP URL may be anything; only the https: one may become a link.
  const abuse = { emails: ['abuse@e.example', HOSTILE_HTML.attribute], phones: [HOSTILE_HTML.svgOnload], handle: 'AB-1', name: HOSTILE_HTML.comment };
  target.network = {
    status: 'ok', handle: 'NET-1', name: HOSTILE_HTML.svgOnload, range: '203.0.113.0/24', startAddress: '203.0.113.0', endAddress: '203.0.113.255',
    country: 'US', registry: 'ARIN', registered: null, lastChanged: null, org: HOSTILE_HTML.scriptBreakout, abuse, source: 'rdap',
    url: RDAP_URL, fetchedAt: null,
  };
  const network = { handle: 'NET-1', name: HOSTILE_HTML.svgOnload, range: '203.0.113.0/24', registry: 'ARIN' as const, country: 'US' };
  report.networks = {
    contacts: [{ key: 'abuse@e.example', contact: abuse, networks: [{ ...network, url: HOSTILE_HTML.javascriptUrl }, { ...network, url: RDAP_URL }], addresses: [target.ip], connections: 30, share: 0.15, source: 'rdap' }],
    problems: [{ addresses: ['147.46.10.20'], status: 'error', detail: HOSTILE_HTML.networkLoad, registry: 'APNIC' }],
    queries: { rdap: 2, whois: 0, cached: 0 },
  };
  // Capture rows: file names and program names come from the capture.
  const hostileRow = { file: HOSTILE_HTML.networkLoad, line: 7, protocol: 'tcp', localAddress: '10.0.0.1', localPort: 443, remoteAddress: target.ip, remotePort: 5555, state: HOSTILE_HTML.attribute, recvQ: 0, sendQ: 0, pid: 4242 };
  report.captureRows = {
    perRemote: 10,
    remotes: [{ ip: target.ip, total: 30, rows: [{ ...hostileRow, program: HOSTILE_HTML.scriptBreakout }, { ...hostileRow, line: 9, program: HOSTILE_HTML.svgOnload }], notes: [HOSTILE_HTML.comment] }],
  };
  target.listedIn = [{ list: 'drop', entry: HOSTILE_HTML.networkLoad, fetchedAt: null }];
  report.blocklists = {
    lists: [{ name: 'drop', origin: HOSTILE_HTML.javascriptUrl, fetchedAt: null, sizeBytes: 10, sha256: 'c'.repeat(64), entries: 1 }],
    hits: [{ ip: target.ip, connections: 30, listedIn: target.listedIn }],
  };
  target.hosts = [HOSTILE_HTML.svgOnload, 'web2'];
  report.fleet = {
    store: HOSTILE_HTML.comment,
    selection: { hosts: [], since: null, until: null },
    bucketMs: null,
    hosts: [
      { name: HOSTILE_HTML.svgOnload, captures: 2, firstCapture: '2026-11-27T10:00:00.000Z', lastCapture: '2026-11-27T11:00:00.000Z', connections: 30, series: [0, 30] },
      { name: 'web2', captures: 2, firstCapture: '2026-11-27T10:00:00.000Z', lastCapture: '2026-11-27T11:00:00.000Z', connections: 200, series: [20, 180] },
    ],
    sources: [{ kind: 'address', key: target.ip, label: HOSTILE_HTML.scriptBreakout, connections: 30, hosts: [{ host: HOSTILE_HTML.svgOnload, firstSeen: null, lastSeen: null, connections: 10 }, { host: 'web2', firstSeen: null, lastSeen: null, connections: 20 }] }],
  };
  return report;
}
