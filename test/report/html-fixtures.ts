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
  return report;
}
