// Report -> one self-contained HTML page: styles, script, map, timeline and data inline,
// nothing fetched. The server-side part below is the whole report as plain tables (what
// a reader with scripts off, or a printer, gets); the page's own script (html-script.ts)
// then renders sortable, filterable, virtualised tables, the map's tooltips and the host
// panel from one JSON island. Every untrusted string is escaped here with escapeHtml, the
// island with jsonForScript, and the Content-Security-Policy admits no network load and
// no script or style but the page's own (by hash).
import { createHash } from 'node:crypto';
import type { Cluster, Indicator, RemoteProfile } from '../../model/analysis.js';
import type { Report } from '../../model/report.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import { formatCount, formatShare, formatStates } from '../format.js';
import { htmlPageData } from './html-data.js';
import { EARLY_SCRIPT, PAGE_SCRIPT } from './html-script.js';
import { PAGE_STYLE } from './html-style.js';
import { renderTimelineSvg } from './html-timeline.js';
import { renderSvgMap } from './svg-map.js';
import { formatUtc as formatUtcDate } from '../../time/utc.js';
import { clustersTable, countriesTable, institutionsTable, plural, remotesTable } from './report-tables.js';

/** Rows of a plain (scripts off, print) table of remotes or institutions; the interactive ones hold all. */
export const STATIC_ROWS = 500;
/** Longest untrusted paragraph (verdict, summaries). */
const MAX_PARAGRAPH = 4000;
const DASH = '—';

const sha256Base64 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

/** No fetch, image, font, frame or form anywhere; only this page's script and style run. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256Base64(EARLY_SCRIPT)}' 'sha256-${sha256Base64(PAGE_SCRIPT)}'`,
    `style-src 'sha256-${sha256Base64(PAGE_STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

type Cell = string | number | null | undefined | { html: string };

function cell(value: Cell): string {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'number') return formatCount(value);
  if (typeof value === 'object') return value.html || DASH;
  return escapeHtml(value) || DASH;
}

/** A plain table; numeric columns right-aligned. Cells are untrusted text unless given as { html }. */
function table(headers: string[], rows: Cell[][], numericColumns: ReadonlySet<number> = new Set(), className = 'static-table'): string {
  const head = headers.map((header, index) => `<th scope="col"${numericColumns.has(index) ? ' class="num"' : ''}>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${headers.map((_, index) => `<td${numericColumns.has(index) ? ' class="num"' : ''}>${cell(row[index])}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const columns = (...indexes: number[]): Set<number> => new Set(indexes);

function formatUtc(iso: string | null): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatUtcDate(date);
}

function section(id: string, title: string, body: string, extraClass = ''): string {
  return `<section id="${id}"${extraClass ? ` class="${extraClass}"` : ''} aria-labelledby="${id}-h">\n<h2 id="${id}-h">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/** Where the page's script mounts an interactive table; the plain table beside it is for scripts off and print. */
function gridHost(name: string): string {
  return `<div class="grid-host" data-grid="${name}"></div>`;
}

export function renderHtml(report: Report): string {
  const { analysis } = report;
  const totals = analysis.totals;
  const title = `${report.tool.name} report: ${plural(totals.connections, 'connection')} from ${plural(totals.remotes, 'remote')}`;
  const timelineSvg = renderTimelineSvg(analysis.timeline);
  const hasMap = (report.map?.length ?? 0) > 0;
  const nav: [string, string][] = [
    ['verdict', 'Verdict'],
    ['indicators', 'Indicators'],
    ...(hasMap ? [['map', 'Map'] as [string, string]] : []),
    ...(timelineSvg ? [['timeline', 'Timeline'] as [string, string]] : []),
    ['remotes', 'Remotes'],
    ['clusters', 'Clusters'],
    ['countries', 'Countries'],
    ['institutions', 'Institutions'],
    ...(report.networks ? [['contacts', 'Whom to contact'] as [string, string]] : []),
    ...(report.blocklists ? [['blocklists', 'Known elsewhere'] as [string, string]] : []),
    ...(report.fleet ? [['hosts', 'Hosts'] as [string, string]] : []),
    ...(analysis.traces.length > 0 ? [['traces', 'Traces'] as [string, string]] : []),
    ['evidence', 'Evidence'],
  ];

  const sections: string[] = [];
  sections.push(section('verdict', 'Verdict', verdictBlock(report)));
  sections.push(section('indicators', 'Indicators', indicatorsBlock(analysis.indicators)));
  sections.push(section('summary', 'Attribution summary', attributionBlock(report)));
  if (hasMap) {
    sections.push(section(
      'map',
      'Where the connections come from',
      `<figure class="map-figure">${renderSvgMap(report)}<figcaption class="js-only">Hover a place for its figures; click it to list its remotes.</figcaption></figure>`,
    ));
  }
  if (timelineSvg) sections.push(section('timeline', 'Timeline', timelineBlock(report, timelineSvg)));
  sections.push(section('remotes', 'Remotes', `${gridHost('remotes')}${remotesBlock(analysis.remotes)}`));
  sections.push(section('clusters', 'Clusters', `${gridHost('clusters')}${clustersBlock(analysis.clusters, analysis.options.clusterThreshold)}`));
  sections.push(section('countries', 'Countries', `${gridHost('countries')}${countriesBlock(report)}`));
  sections.push(section('institutions', 'Institutions', `${gridHost('institutions')}${institutionsBlock(report)}`));
  if (report.networks) sections.push(section('contacts', 'Whom to contact', `${gridHost('contacts')}${contactsBlock(report)}`));
  if (report.blocklists) sections.push(section('blocklists', 'Known elsewhere', `${gridHost('blocklists')}${blocklistsBlock(report)}`));
  if (report.fleet) sections.push(section('hosts', 'Hosts', `${gridHost('hosts')}${hostsBlock(report)}`));
  if (analysis.traces.length > 0) sections.push(section('traces', 'Traceroute paths', tracesBlock(report)));
  sections.push(section('evidence', 'Evidence', evidenceBlock(report)));

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta name="generator" content="${escapeHtml(`${report.tool.name} ${report.tool.version}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    `<script>${EARLY_SCRIPT}</script>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the report</a>',
    '<header class="top">',
    `<h1>${escapeHtml(report.tool.name)} report</h1>`,
    `<p class="meta">Generated ${escapeHtml(formatUtc(report.generatedAt))} by ${escapeHtml(`${report.tool.name} ${report.tool.version}`)} from ${plural(report.inputs.length, 'input')}: ` +
      `${plural(totals.connections, 'connection')} from ${plural(totals.remotes, 'remote address', 'remote addresses')} (${plural(totals.listening, 'listening socket')} not counted).</p>`,
    `<nav aria-label="Sections"><ul>${nav.map(([id, label]) => `<li><a href="#${id}">${escapeHtml(label)}</a></li>`).join('')}</ul></nav>`,
    '</header>',
    '<main id="main">',
    ...sections,
    '</main>',
    '<aside id="host-panel" class="host-panel" role="dialog" aria-labelledby="host-panel-title" hidden></aside>',
    '<div id="map-tooltip" class="map-tooltip" role="tooltip" hidden></div>',
    `<script type="application/json" id="report-data">${jsonForScript(htmlPageData(report))}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function verdictBlock(report: Report): string {
  const { indicators } = report.analysis;
  const verdict = `<p class="verdict">${escapeHtml(report.analysis.verdict, MAX_PARAGRAPH) || 'No verdict.'}</p>`;
  if (indicators.length === 0) return `${verdict}\n<p>No attack indicator fired.</p>`;
  const items = indicators
    .map((indicator, index) =>
      `<li><a href="#indicator-${index + 1}"><span class="sev sev-${escapeHtml(indicator.severity)}">${escapeHtml(indicator.severity)}</span> ${escapeHtml(indicator.kind)}</a> — ${plural(indicator.evidence.remotes.length, 'remote')}</li>`)
    .join('\n');
  return `${verdict}\n<ul class="indicator-summary">\n${items}\n</ul>`;
}

function indicatorsBlock(indicators: Indicator[]): string {
  if (indicators.length === 0) return '<p>No attack indicator fired.</p>';
  return `<ol class="indicators">\n${indicators
    .map((indicator, index) => {
      const shown = indicator.evidence.remotes.slice(0, 50);
      const more = indicator.evidence.remotes.length - shown.length;
      const figures = Object.entries(indicator.evidence.figures).map(([name, value]) => [name, typeof value === 'number' ? formatCount(value) : value]);
      const thresholds = Object.entries(indicator.thresholds).map(([name, value]) => [name, formatCount(value)]);
      return [
        `<li id="indicator-${index + 1}" class="indicator" data-indicator="${index}">`,
        `<h3><span class="sev sev-${escapeHtml(indicator.severity)}">${escapeHtml(indicator.severity)}</span> ${escapeHtml(indicator.kind)}</h3>`,
        `<p>${escapeHtml(indicator.summary, MAX_PARAGRAPH)}</p>`,
        `<p class="evidence-remotes">Evidence: ${plural(indicator.evidence.remotes.length, 'remote')}${shown.length > 0 ? `: ${shown.map((ip) => `<code>${escapeHtml(ip)}</code>`).join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}` : ''}.</p>`,
        `<div class="indicator-actions js-only"></div>`,
        table(['Figure', 'Value'], figures, new Set(), 'static-table small'),
        thresholds.length > 0 ? table(['Threshold', 'Value'], thresholds, new Set(), 'static-table small') : '',
        '</li>',
      ].join('\n');
    })
    .join('\n')}\n</ol>`;
}

function attributionBlock(report: Report): string {
  const parts = [`<p>${escapeHtml(report.analysis.summary, MAX_PARAGRAPH) || 'No attribution summary.'}</p>`];
  const rdnsLine = formatStates(report.analysis.rdnsCounts as Record<string, number>, ' ');
  if (report.run.dns && rdnsLine) parts.push(`<p>Reverse DNS answers: ${escapeHtml(rdnsLine)}.</p>`);
  if (!report.run.dns) parts.push('<p>Reverse DNS was not queried (--no-dns).</p>');
  return parts.join('\n');
}

function timelineBlock(report: Report, svg: string): string {
  const timeline = report.analysis.timeline;
  if (!timeline) return svg;
  const parts = [`<figure class="timeline-figure">${svg}</figure>`];
  if (timeline.surgeStart !== null) {
    const start = timeline.captures[timeline.surgeStart];
    parts.push(`<p>The surge began with capture ${timeline.surgeStart + 1}${start ? ` (${escapeHtml(start.path)}${start.capturedAt ? `, ${escapeHtml(formatUtc(start.capturedAt))}` : ''})` : ''}.</p>`);
  }
  parts.push(table(
    ['#', 'Captured at', 'Input', 'Connections', 'Remotes', 'States'],
    timeline.captures.map((capture) => [String(capture.index + 1), formatUtc(capture.capturedAt), capture.path, capture.connections, capture.remotes, formatStates(capture.states)]),
    columns(0, 3, 4),
  ));
  parts.push(`<p>New remotes: ${formatCount(timeline.newRemotes.length)}, growing: ${formatCount(timeline.growingRemotes.length)}, present throughout: ${formatCount(timeline.persistingRemotes.length)}.</p>`);
  return parts.join('\n');
}

function remotesBlock(remotes: RemoteProfile[]): string {
  if (remotes.length === 0) return '<p>No connection with a remote peer.</p>';
  const shown = remotes.slice(0, STATIC_ROWS);
  const note = remotes.length > shown.length
    ? `<p class="static-only">The ${formatCount(shown.length)} heaviest of ${formatCount(remotes.length)} remotes (the interactive table, with scripts on, and the JSON and CSV reports list all).</p>`
    : '';
  const { headers, rows, numericColumns } = remotesTable(shown);
  return `<div class="static-only">${note}${table(headers, rows, numericColumns)}</div>`;
}

function clustersBlock(clusters: Cluster[], threshold: number): string {
  if (clusters.length === 0) return `<p>No cluster reached the threshold of ${formatShare(threshold)} of connections.</p>`;
  const { headers, rows, numericColumns } = clustersTable(clusters);
  return `<div class="static-only">${table(headers, rows, numericColumns)}</div>`;
}

function countriesBlock(report: Report): string {
  const { countries } = report.analysis;
  if (countries.length === 0) return '<p>No remote address could be located.</p>';
  const { headers, rows, numericColumns } = countriesTable(countries);
  return `<div class="static-only">${table(headers, rows, numericColumns)}</div>`;
}

function institutionsBlock(report: Report): string {
  const { institutions } = report.analysis;
  if (institutions.length === 0) return '<p>No institution could be attributed.</p>';
  const shown = institutions.slice(0, STATIC_ROWS);
  const note = institutions.length > shown.length
    ? `<p>The ${formatCount(shown.length)} heaviest of ${formatCount(institutions.length)} institutions (the interactive table, with scripts on, and the JSON report list all).</p>`
    : '';
  const { headers, rows, numericColumns } = institutionsTable(shown);
  return `<div class="static-only">${note}${table(headers, rows, numericColumns)}</div>`;
}

/** An outside link, only for an https: URL (RDAP records); never a referrer. */
export function outsideLink(url: string | null, text: string): string {
  if (!url) return escapeHtml(text);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeHtml(text);
  }
  if (parsed.protocol !== 'https:') return escapeHtml(text);
  return `<a href="${escapeHtml(parsed.href, 2000)}" rel="noreferrer noopener" target="_blank">${escapeHtml(text)}</a>`;
}

function contactsBlock(report: Report): string {
  const section = report.networks;
  if (!section) return '';
  const parts: string[] = [];
  if (section.contacts.length === 0) parts.push('<p>No abuse contact was found for the remotes\' networks.</p>');
  else {
    parts.push(`<div class="static-only">${table(
      ['Contact', 'Name', 'E-mail', 'Phone', 'Networks', 'Connections', 'Share', 'Remotes', 'Source'],
      section.contacts.slice(0, STATIC_ROWS).map((row) => [
        row.key,
        [row.contact.name, row.contact.handle].filter(Boolean).join(', '),
        row.contact.emails.join(', '),
        row.contact.phones.join(', '),
        { html: row.networks.map((network) => outsideLink(network.url, [network.name, network.range, network.registry].filter(Boolean).join(' '))).join('; ') },
        row.connections,
        formatShare(row.share),
        row.addresses.length,
        row.source,
      ]),
      columns(5, 6, 7),
    )}</div>`);
  }
  if (section.problems.length > 0) {
    parts.push(`<p>No contact for ${plural(section.problems.reduce((sum, problem) => sum + problem.addresses.length, 0), 'address', 'addresses')}: ${escapeHtml(
      section.problems.slice(0, 10).map((problem) => `${problem.status} (${problem.registry}${problem.detail ? `, ${problem.detail}` : ''})`).join('; '), 2000)}.</p>`);
  }
  parts.push(`<p class="muted">Registry questions in this run: ${formatCount(section.queries.rdap)} RDAP, ${formatCount(section.queries.whois)} whois, ${formatCount(section.queries.cached)} answered from the cache.</p>`);
  return parts.join('\n');
}

function blocklistsBlock(report: Report): string {
  const section = report.blocklists;
  if (!section) return '';
  if (section.hits.length === 0) return `<p>No remote is on any of the ${plural(section.lists.length, 'list')} used.</p>`;
  return `<div class="static-only">${table(
    ['Remote', 'Connections', 'Listed in'],
    section.hits.slice(0, STATIC_ROWS).map((hit) => [hit.ip, hit.connections, hit.listedIn.map((entry) => `${entry.list}: ${entry.entry}`).join('; ')]),
    columns(1),
  )}</div>`;
}

function hostsBlock(report: Report): string {
  const fleet = report.fleet;
  if (!fleet) return '';
  const parts = [`<p>From the store ${escapeHtml(fleet.store)}: ${plural(fleet.hosts.length, 'host')}${fleet.bucketMs === null ? '' : `; snapshots grouped into captures of ${formatCount(fleet.bucketMs / 1000)} s`}.</p>`];
  parts.push(`<div class="static-only">${table(
    ['Host', 'Snapshots', 'First', 'Last', 'Connections'],
    fleet.hosts.map((host) => [host.name, host.captures, formatUtc(host.firstCapture), formatUtc(host.lastCapture), host.connections]),
    columns(1, 4),
  )}</div>`);
  if (fleet.sources.length > 0) {
    const shown = fleet.sources.slice(0, STATIC_ROWS);
    parts.push(`<h3>Sources seen on two or more hosts (${formatCount(fleet.sources.length)}${shown.length < fleet.sources.length ? `, the first ${formatCount(shown.length)} shown` : ''})</h3>`);
    parts.push(table(
      ['Kind', 'Source', 'Label', 'Hosts', 'Connections', 'Per host'],
      shown.map((source) => [
        source.kind,
        source.kind === 'asn' ? `AS${source.key}` : source.key,
        source.label,
        source.hosts.length,
        source.connections,
        source.hosts.map((host) => `${host.host} ${formatCount(host.connections)}`).join(', '),
      ]),
      columns(3, 4),
    ));
  }
  return parts.join('\n');
}

function tracesBlock(report: Report): string {
  const evidenceByTarget = new Map((report.pathAttributions ?? []).map((evidence) => [evidence.target, evidence]));
  return report.analysis.traces
    .map((trace) => {
      const target = trace.target.ip ?? trace.target.name ?? 'unknown target';
      const evidence = trace.target.ip ? evidenceByTarget.get(trace.target.ip) : undefined;
      const hopsByTtl = new Map((evidence?.hops ?? []).map((hop) => [hop.ttl, hop]));
      const about = [
        `Source: ${escapeHtml(trace.format)}${trace.source ? `, ${escapeHtml(trace.source.file)} line ${trace.source.line}` : ''}.`,
        trace.reached ? 'The destination answered.' : 'The destination did not answer.',
      ];
      if (evidence && evidence.asPath.length > 0) about.push(`AS path: ${evidence.asPath.map((asn) => `AS${asn}`).join(' → ')}.`);
      if (evidence?.verdict) about.push(`Verdict (${escapeHtml(evidence.verdict.confidence)} confidence): ${escapeHtml(evidence.verdict.summary, 1000)}`);
      const rows = trace.hops.map((hop): Cell[] => {
        const responders = hop.probes.filter((probe) => probe.ip !== null || probe.name !== null);
        const attributed = hopsByTtl.get(hop.ttl);
        const rtts = hop.probes.map((probe) => probe.rttMs).filter((rtt): rtt is number => rtt !== null);
        const names = [...new Set(responders.map((probe) => probe.name ?? ''))].filter(Boolean);
        const asn = attributed?.asn ?? responders.find((probe) => probe.asn !== null)?.asn ?? null;
        return [
          String(hop.ttl),
          responders.length > 0 ? [...new Set(responders.map((probe) => probe.ip ?? ''))].filter(Boolean).join(', ') : '*',
          names.length > 0 ? names.join(', ') : attributed?.name,
          rtts.length > 0 ? rtts.map((rtt) => rtt.toFixed(3)).join(' / ') : null,
          asn === null ? null : `AS${asn}`,
          attributed?.asOrg,
          attributed?.country,
        ];
      });
      return [
        `<h3>Path to ${escapeHtml(target)}${trace.target.name && trace.target.ip ? ` (${escapeHtml(trace.target.name)})` : ''}</h3>`,
        `<p>${about.join(' ')}</p>`,
        table(['TTL', 'Address', 'Name', 'RTT ms', 'ASN', 'Organisation', 'Country'], rows, columns(0)),
      ].join('\n');
    })
    .join('\n');
}

function evidenceBlock(report: Report): string {
  const { run, analysis } = report;
  const parts: string[] = [
    `<p>Tool: ${escapeHtml(`${report.tool.name} ${report.tool.version}`)}. Report generated ${escapeHtml(formatUtc(report.generatedAt))}. Schema version ${report.schemaVersion}.</p>`,
    '<h3>Inputs</h3>',
  ];
  const inputs = [
    ...report.inputs.map((input) => ({ input, role: 'capture' })),
    ...(report.baselineInputs ?? []).map((input) => ({ input, role: 'baseline' })),
  ];
  parts.push(inputs.length === 0 ? '<p>No input.</p>' : table(
    ['Input', 'Role', 'Size (bytes)', 'SHA-256', 'Format', 'Host', 'Captured at', 'Lines', 'Parsed', 'Skipped'],
    inputs.map(({ input, role }) => [
      input.snapshot ? `${input.path} (snapshot ${input.snapshot.index + 1} of ${input.snapshot.count}, from line ${input.snapshot.firstLine})` : input.path,
      role,
      input.sizeBytes,
      { html: `<code class="hash">${escapeHtml(input.sha256)}</code>` },
      input.format,
      input.host,
      input.capturedAt ? formatUtc(input.capturedAt) : null,
      input.lines,
      input.parsed,
      input.skipped,
    ]),
    columns(2, 7, 8, 9),
  ));
  if (report.blocklists && report.blocklists.lists.length > 0) {
    parts.push('<h3>Blocklists</h3>', table(
      ['List', 'From', 'Fetched', 'Entries', 'Size (bytes)', 'SHA-256'],
      report.blocklists.lists.map((list) => [list.name, list.origin, formatUtc(list.fetchedAt), list.entries, list.sizeBytes, { html: `<code class="hash">${escapeHtml(list.sha256)}</code>` }]),
      columns(3, 4),
    ));
  }
  parts.push('<h3>Data sources</h3>');
  if (report.dataSources.length === 0) {
    parts.push('<p>No geolocation or ASN database was loaded: country, city and ASN columns are empty.</p>');
  } else {
    parts.push(table(
      ['Source', 'Kind', 'Build date', 'Licence', 'File'],
      report.dataSources.map((source) => [source.name, source.kind, source.buildDate, source.licence, source.path]),
    ));
    const attributions = [...new Set(report.dataSources.map((source) => source.attribution).filter(Boolean))];
    if (attributions.length > 0) parts.push(`<ul class="attributions">${attributions.map((text) => `<li>${escapeHtml(text, 1000)}</li>`).join('')}</ul>`);
  }
  parts.push('<h3>Methodology</h3>', '<ul>',
    '<li>A connection is a socket with a remote peer; LISTEN rows and wildcard peers are counted separately as listening sockets.</li>',
    `<li>Reverse DNS: ${run.dns ? `queried${run.dnsServers.length > 0 ? ` via ${escapeHtml(run.dnsServers.join(', '))}` : ' via the system resolvers'}` : 'off (--no-dns)'}.</li>`,
    `<li>Live traceroutes: ${run.trace ? 'run for the top remotes' : 'off'}; saved traces attached: ${formatCount(analysis.traces.length)}.</li>`,
    `<li>Baseline: ${run.baseline ? escapeHtml(run.baseline) : 'none'}.</li>`,
    '<li>Prefix clusters follow Aguri: prefixes holding at least the cluster threshold of connections, heavier sub-prefixes taken out first.</li>',
    '</ul>', '<h3>Thresholds</h3>');
  parts.push(table(
    ['Threshold', 'Value'],
    Object.entries(analysis.options)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
  ));
  return parts.join('\n');
}
