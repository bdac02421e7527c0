// Report -> GitHub-flavoured markdown for people (and terminal markdown viewers).
// Every untrusted string goes through escapeMarkdown; numbers are formatted here only.
import type { Cluster, Indicator, RemoteProfile } from '../../model/analysis.js';
import type { FleetSection } from '../../model/fleet.js';
import type { Report } from '../../model/report.js';
import { escapeMarkdown } from '../../output/escape.js';
import { knownElsewhereSection, whomToContactSection } from './markdown-network.js';
import { formatCount, formatShare, formatStates, sparkline } from '../format.js';
import { formatUtc as formatUtcDate } from '../../time/utc.js';
import { clustersTable, countriesTable, institutionsTable, listWithMore, plural, remotesTable, type CellTable } from './report-tables.js';

export interface MarkdownOptions {
  /** How many remotes the top-remotes table shows (JSON and CSV always list all). */
  topRemotes?: number;
  /** Relative link to the SVG map written beside the markdown, or null. */
  mapHref?: string | null;
}

export const DEFAULT_TOP_REMOTES = 25;
const DASH = '—';

/** Text cells are escaped here; `{ escaped }` is markdown the caller already escaped. */
type Cell = string | number | null | undefined | { escaped: string };

/** A GFM table; cells are untrusted text unless already escaped by the caller via `raw`. */
function table(headers: string[], rows: Cell[][], numericColumns: ReadonlySet<number> = new Set()): string {
  const head = `| ${headers.join(' | ')} |`;
  const rule = `|${headers.map((_, index) => (numericColumns.has(index) ? '---:' : '---')).join('|')}|`;
  const body = rows.map((row) => `| ${headers.map((_, index) => cell(row[index])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function cell(value: Cell): string {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'number') return formatCount(value);
  if (typeof value === 'object') return value.escaped || DASH;
  return escapeMarkdown(value) || DASH;
}

const columns = (...indexes: number[]): Set<number> => new Set(indexes);

const cellTable = ({ headers, rows, numericColumns }: CellTable): string => table(headers, rows, numericColumns);

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const { analysis } = report;
  const topRemotes = options.topRemotes ?? DEFAULT_TOP_REMOTES;
  const sections: string[] = [];
  const totals = analysis.totals;

  sections.push(
    `# ${report.tool.name} report`,
    [
      `Generated ${formatUtc(report.generatedAt)} by ${report.tool.name} ${escapeMarkdown(report.tool.version)}`,
      `from ${plural(report.inputs.length, 'input')}:`,
      `${plural(totals.connections, 'connection')} from ${plural(totals.remotes, 'remote address', 'remote addresses')}`,
      `(${plural(totals.listening, 'listening socket')} not counted).`,
    ].join(' '),
  );

  sections.push('## Verdict', escapeMarkdown(analysis.verdict, 4000) || 'No verdict.');
  sections.push('## Indicators', indicatorsSection(analysis.indicators));

  const attribution = [escapeMarkdown(analysis.summary, 4000) || 'No attribution summary.'];
  const rdnsLine = formatStates(analysis.rdnsCounts as Record<string, number>, ' ');
  if (report.run.dns && rdnsLine) attribution.push(`Reverse DNS answers: ${rdnsLine}.`);
  if (!report.run.dns) attribution.push('Reverse DNS was not queried (--no-dns).');
  if (options.mapHref) attribution.push(`![Map of connection sources](${encodeURIComponent(options.mapHref)})`, `[Open the map](${encodeURIComponent(options.mapHref)})`);
  sections.push('## Attribution summary', attribution.join('\n\n'));

  sections.push(
    '## Countries',
    analysis.countries.length === 0
      ? 'No remote address could be located.'
      : cellTable(countriesTable(analysis.countries)),
  );

  sections.push(
    '## Institutions',
    analysis.institutions.length === 0
      ? 'No institution could be attributed.'
      : cellTable(institutionsTable(analysis.institutions)),
  );

  sections.push('## Clusters', clustersSection(analysis.clusters, analysis.options.clusterThreshold));
  if (report.fleet) sections.push('## Across hosts', acrossHostsSection(report.fleet));
  sections.push(
    analysis.remotes.length > topRemotes
      ? `## Top remotes (${formatCount(topRemotes)} of ${formatCount(analysis.remotes.length)}; JSON and CSV list all)`
      : '## Remotes',
    remotesSection(analysis.remotes.slice(0, topRemotes)),
  );
  const contacts = whomToContactSection(report);
  if (contacts) sections.push('## Whom to contact', contacts);
  const listed = knownElsewhereSection(report);
  if (listed) sections.push('## Known elsewhere', listed);

  const timeline = timelineSection(report);
  if (timeline) sections.push('## Timeline', timeline);
  if (analysis.traces.length > 0) sections.push('## Traceroute paths', tracesSection(report));

  sections.push('## Methodology', methodologySection(report));
  sections.push('## Data sources', dataSourcesSection(report));
  sections.push('## Evidence', evidenceSection(report));
  return sections.join('\n\n') + '\n';
}

function formatUtc(iso: string | null): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeMarkdown(iso);
  return formatUtcDate(date);
}

function indicatorsSection(indicators: Indicator[]): string {
  if (indicators.length === 0) return 'No attack indicator fired.';
  return table(
    ['Severity', 'Indicator', 'Summary', 'Remotes', 'Figures'],
    indicators.map((indicator) => [
      indicator.severity,
      indicator.kind,
      { escaped: escapeMarkdown(indicator.summary, 1000) },
      listWithMore(indicator.evidence.remotes, 5),
      Object.entries(indicator.evidence.figures)
        .map(([name, value]) => `${name}=${typeof value === 'number' ? formatCount(value) : value}`)
        .join(', '),
    ]),
  );
}

function clustersSection(clusters: Cluster[], threshold: number): string {
  if (clusters.length === 0) return `No cluster reached the threshold of ${formatShare(threshold)} of connections.`;
  return cellTable(clustersTable(clusters));
}

function remotesSection(remotes: RemoteProfile[]): string {
  if (remotes.length === 0) return 'No connection with a remote peer.';
  return cellTable(remotesTable(remotes));
}

/** Sources seen on several hosts, when and how much on each; per-host totals and timelines. */
const ACROSS_HOSTS_SOURCES = 50;

function acrossHostsSection(fleet: FleetSection): string {
  const parts: string[] = [];
  const selection = [
    fleet.selection.hosts.length > 0 ? `hosts ${fleet.selection.hosts.map((host) => escapeMarkdown(host)).join(', ')}` : 'every host',
    fleet.selection.since ? `since ${formatUtc(fleet.selection.since)}` : '',
    fleet.selection.until ? `until ${formatUtc(fleet.selection.until)}` : '',
  ].filter(Boolean).join(', ');
  const grouping = fleet.bucketMs === null ? 'each snapshot is one capture' : `snapshots grouped into captures of ${formatCount(fleet.bucketMs / 1000)} s`;
  parts.push(`From the store ${escapeMarkdown(fleet.store)} (${selection}; ${grouping}): ${plural(fleet.hosts.length, 'host')}.`);
  parts.push(
    table(
      ['Host', 'Captures', 'First capture', 'Last capture', 'Connections', 'Timeline'],
      fleet.hosts.map((host) => [host.name, host.captures, formatUtc(host.firstCapture), formatUtc(host.lastCapture), host.connections, sparkline(host.series)]),
      columns(1, 4),
    ),
  );
  if (fleet.sources.length === 0) {
    parts.push('No source was seen on two or more hosts.');
    return parts.join('\n\n');
  }
  const shown = fleet.sources.slice(0, ACROSS_HOSTS_SOURCES);
  parts.push(
    `Sources seen on two or more hosts (${formatCount(fleet.sources.length)}${shown.length < fleet.sources.length ? `, the first ${formatCount(shown.length)} shown; JSON lists all` : ''}), on the most hosts first:`,
  );
  parts.push(
    table(
      ['Source', 'Label', 'Hosts', 'Connections', 'Per host: first seen – last seen (connections)'],
      shown.map((source) => [
        `${source.kind} ${source.kind === 'asn' ? `AS${source.key}` : source.key}`,
        source.label,
        source.hosts.length,
        source.connections,
        {
          escaped: source.hosts
            .map((host) => `${escapeMarkdown(host.host)}: ${formatUtc(host.firstSeen)} – ${formatUtc(host.lastSeen)} (${formatCount(host.connections)})`)
            .join('; '),
        },
      ]),
      columns(2, 3),
    ),
  );
  return parts.join('\n\n');
}

function timelineSection(report: Report): string | null {
  const timeline = report.analysis.timeline;
  if (!timeline || timeline.captures.length < 2) return null;
  const parts: string[] = [];
  const series = timeline.captures.map((capture) => capture.connections);
  parts.push(`Connections per capture: \`${sparkline(series)}\` (${series.map(formatCount).join(' → ')})`);
  if (timeline.surgeStart !== null) {
    const start = timeline.captures[timeline.surgeStart];
    const when = start ? [escapeMarkdown(start.path), start.capturedAt ? formatUtc(start.capturedAt) : ''].filter(Boolean).join(', ') : '';
    parts.push(`The surge began with capture ${timeline.surgeStart + 1}${when ? ` (${when})` : ''}.`);
  }
  parts.push(
    table(
      ['#', 'Captured at', 'Input', 'Connections', 'Remotes', 'States'],
      timeline.captures.map((capture) => [
        String(capture.index + 1),
        capture.capturedAt ? formatUtc(capture.capturedAt) : null,
        capture.path,
        capture.connections,
        capture.remotes,
        formatStates(capture.states),
      ]),
      columns(3, 4),
    ),
  );
  if (timeline.clusterSeries.length > 0) {
    parts.push(
      table(
        ['Cluster', 'Label', 'Trend', 'Per capture'],
        timeline.clusterSeries.map((cluster) => [
          `${cluster.kind} ${cluster.kind === 'asn' ? `AS${cluster.key}` : cluster.key}`,
          cluster.label,
          sparkline(cluster.series),
          cluster.series.map(formatCount).join(' → '),
        ]),
      ),
    );
  }
  parts.push(
    [
      `New remotes: ${formatCount(timeline.newRemotes.length)}`,
      `growing: ${formatCount(timeline.growingRemotes.length)}`,
      `present throughout: ${formatCount(timeline.persistingRemotes.length)}.`,
    ].join(', '),
  );
  return parts.join('\n\n');
}

function tracesSection(report: Report): string {
  const { traces, remotes } = report.analysis;
  const remoteVerdicts = new Map(remotes.filter((remote) => remote.verdict).map((remote) => [remote.ip, remote.verdict]));
  const evidenceByTarget = new Map((report.pathAttributions ?? []).map((evidence) => [evidence.target, evidence]));
  return traces
    .map((trace) => {
      const target = trace.target.ip ?? trace.target.name ?? 'unknown target';
      const heading = `### Path to ${escapeMarkdown(target)}${trace.target.name && trace.target.ip ? ` (${escapeMarkdown(trace.target.name)})` : ''}`;
      const evidence = trace.target.ip ? evidenceByTarget.get(trace.target.ip) : undefined;
      const about = [
        `Source: ${escapeMarkdown(trace.format)}${trace.source ? `, ${escapeMarkdown(trace.source.file)} line ${trace.source.line}` : ''}.`,
        trace.reached ? 'The destination answered.' : 'The destination did not answer.',
      ];
      if (evidence && evidence.asPath.length > 0) about.push(`AS path: ${evidence.asPath.map((asn) => `AS${asn}`).join(' → ')}.`);
      const verdict = evidence?.verdict ?? (trace.target.ip ? remoteVerdicts.get(trace.target.ip) : undefined);
      if (verdict) about.push(`Verdict (${verdict.confidence} confidence): ${escapeMarkdown(verdict.summary, 1000)}`);
      const hopsByTtl = new Map((evidence?.hops ?? []).map((hop) => [hop.ttl, hop]));
      const rows = trace.hops.map((hop) => {
        const responders = hop.probes.filter((probe) => probe.ip !== null || probe.name !== null);
        const attributed = hopsByTtl.get(hop.ttl);
        const rtts = hop.probes.map((probe) => probe.rttMs).filter((rtt): rtt is number => rtt !== null);
        const names = [...new Set(responders.map((probe) => probe.name ?? ''))].filter(Boolean);
        const probeAsn = responders.find((probe) => probe.asn !== null)?.asn ?? null;
        const asn = attributed?.asn ?? probeAsn;
        const hints = (attributed?.hints ?? []).map((hint) => hint.country).filter((country): country is string => Boolean(country));
        return [
          String(hop.ttl),
          responders.length > 0 ? [...new Set(responders.map((probe) => probe.ip ?? ''))].filter(Boolean).join(', ') : '*',
          names.length > 0 ? names.join(', ') : attributed?.name,
          rtts.length > 0 ? rtts.map((rtt) => rtt.toFixed(3)).join(' / ') : null,
          asn === null ? null : `AS${asn}`,
          attributed?.asOrg,
          [attributed?.country, hints.length > 0 ? `name hints ${[...new Set(hints)].join('/')}` : ''].filter(Boolean).join('; '),
          hop.probes.map((probe) => probe.annotation).filter(Boolean).join(' '),
        ];
      });
      return [heading, about.join(' '), table(['TTL', 'Address', 'Name', 'RTT ms', 'ASN', 'Organisation', 'Country', 'Notes'], rows, columns(0))].join('\n\n');
    })
    .join('\n\n');
}

function methodologySection(report: Report): string {
  const { run, analysis } = report;
  const lines = [
    '- A connection is a socket with a remote peer; LISTEN rows and wildcard peers are counted separately as listening sockets.',
    `- Reverse DNS: ${run.dns ? `queried${run.dnsServers.length > 0 ? ` via ${escapeMarkdown(run.dnsServers.join(', '))}` : ' via the system resolvers'}` : 'off (--no-dns)'}.`,
    `- Live traceroutes: ${run.trace ? 'run for the top remotes' : 'off'}; saved traces attached: ${formatCount(analysis.traces.length)}.`,
    `- Baseline: ${run.baseline ? escapeMarkdown(run.baseline) : 'none'}.`,
    '- Prefix clusters follow Aguri: prefixes holding at least the cluster threshold of connections, heavier sub-prefixes taken out first.',
  ];
  const thresholds = Object.entries(analysis.options)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]);
  return `${lines.join('\n')}\n\nThresholds used:\n\n${table(['Threshold', 'Value'], thresholds)}`;
}

function dataSourcesSection(report: Report): string {
  if (report.dataSources.length === 0) {
    return 'No geolocation or ASN database was loaded: country, city and ASN columns are empty.';
  }
  const parts = [
    table(
      ['Source', 'Kind', 'Build date', 'Licence', 'File'],
      report.dataSources.map((source) => [source.name, source.kind, source.buildDate, source.licence, source.path]),
    ),
  ];
  const attributions = [...new Set(report.dataSources.map((source) => source.attribution).filter(Boolean))];
  if (attributions.length > 0) parts.push(`Attributions:\n\n${attributions.map((text) => `- ${escapeMarkdown(text, 1000)}`).join('\n')}`);
  return parts.join('\n\n');
}

function evidenceSection(report: Report): string {
  const lines = [
    `Tool: ${report.tool.name} ${escapeMarkdown(report.tool.version)}. Report generated ${formatUtc(report.generatedAt)}. Schema version ${report.schemaVersion}.`,
  ];
  const rows = [
    ...report.inputs.map((input) => ({ input, role: 'capture' })),
    ...(report.baselineInputs ?? []).map((input) => ({ input, role: 'baseline' })),
  ];
  if (rows.length === 0) return `${lines[0]}\n\nNo input.`;
  const inputs = table(
    ['Input', 'Role', 'Size (bytes)', 'SHA-256', 'Format', 'Host', 'Captured at', 'Lines', 'Parsed', 'Skipped'],
    rows.map(({ input, role }) => [
      input.path,
      role,
      input.sizeBytes,
      input.sha256,
      input.format,
      input.host,
      input.capturedAt ? formatUtc(input.capturedAt) : null,
      input.lines,
      input.parsed,
      input.skipped,
    ]),
    columns(2, 7, 8, 9),
  );
  return `${lines[0]}\n\n${inputs}`;
}
