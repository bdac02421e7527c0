// One remote in full: attribution, rDNS outcome, connections by state, ports,
// programs, and the traceroute path hop by hop. Scrolls when taller than the screen.
import { Box, Text } from 'ink';
import type { RemoteProfile } from '../../model/analysis.js';
import type { NetworkLookupStatus } from '../hooks/use-network-lookup.js';
import type { CaptureRowsStatus } from '../hooks/use-capture-rows.js';
import type { CaptureRow } from '../../model/capture-rows.js';
import type { TracePath } from '../../model/trace.js';
import { fit, formatCount, formatPercent, safeText } from '../text.js';
import { type Tone, tone } from './style.js';

export type TraceStatus = { state: 'idle' } | { state: 'running'; startedAt: number } | { state: 'done' } | { state: 'failed'; message: string } | { state: 'unavailable'; message: string };

export interface HostDetailProps {
  remote: RemoteProfile | null;
  ip: string | null;
  trace: TracePath | null;
  traceStatus: TraceStatus;
  /** 'w': where the registry lookup of this host stands. */
  networkStatus?: NetworkLookupStatus;
  /** Its first capture rows, read back from the captures. */
  rows?: CaptureRowsStatus;
  scroll: number;
  width: number;
  height: number;
  color: boolean;
}

export interface DetailLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Registration data (RDAP / national whois) and blocklist hits of one host. */
export function networkLines(remote: RemoteProfile, status: NetworkLookupStatus): DetailLine[] {
  const lines: DetailLine[] = [];
  const field = (name: string, value: string | null | undefined) => lines.push({ text: `  ${name.padEnd(14)} ${value === null || value === undefined || value === '' ? '-' : safeText(value)}` });
  lines.push({ text: 'Network (registry)', bold: true });
  const network = remote.network;
  if (status.state === 'running') lines.push({ text: `  ${SPINNER[status.frame % SPINNER.length]} asking the registry (RDAP)…`, tone: 'warn' });
  else if (status.state === 'failed') lines.push({ text: `  lookup failed: ${safeText(status.message)}`, tone: 'bad' });
  if (network) {
    if (network.status !== 'ok' && network.status !== 'cached') lines.push({ text: `  ${safeText(network.status)}: ${safeText(network.detail ?? '')}`, tone: 'bad' });
    else {
      field('registry', `${network.registry}${network.status === 'cached' ? ' (cached)' : ''}`);
      field('network', [network.name, network.handle && network.handle !== network.name ? `(${network.handle})` : null].filter(Boolean).join(' '));
      field('range', network.range);
      field('country', network.country);
      field('organisation', network.org);
      field('registered', network.registered?.slice(0, 10));
      field('last changed', network.lastChanged?.slice(0, 10));
      const abuse = network.abuse;
      lines.push({ text: `  ${'abuse contact'.padEnd(14)} ${abuse && abuse.emails.length > 0 ? safeText(abuse.emails.join(', ')) : 'none registered'}`, tone: abuse && abuse.emails.length > 0 ? 'good' : 'warn' });
      if (abuse?.phones.length) field('abuse phone', abuse.phones.join(', '));
      if (abuse?.handle) field('abuse handle', abuse.handle);
      if (network.nir) field(network.nir.registry, network.nir.status === 'ok' ? `${network.nir.org ?? ''} ${network.nir.range ?? ''}`.trim() : `${network.nir.status}: ${network.nir.detail ?? ''}`);
      field('source', network.url);
    }
  } else if (status.state === 'idle') lines.push({ text: '  not asked yet: press w to ask the registry (sends this address to it)', tone: 'dim' });
  else if (status.state === 'unavailable') lines.push({ text: `  ${safeText(status.message)}`, tone: 'dim' });
  if (remote.listedIn) {
    lines.push({ text: 'Known elsewhere', bold: true });
    if (remote.listedIn.length === 0) lines.push({ text: '  on none of the blocklists in use', tone: 'dim' });
    for (const hit of remote.listedIn) lines.push({ text: `  ${safeText(hit.list)}: ${safeText(hit.entry)}`, tone: 'bad' });
  }
  return lines;
}

function endpoint(address: string, port: number | null): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port ?? '*'}`;
}

/** One capture row as a line: where it is in the capture, then its columns. */
export function captureRowText(row: CaptureRow, withFile: boolean): string {
  const queues = row.recvQ === null && row.sendQ === null ? '' : `${row.recvQ ?? '-'}/${row.sendQ ?? '-'}`;
  const owner = [row.pid === null ? '' : String(row.pid), row.program ?? ''].filter((part) => part !== '').join('/');
  return [withFile ? `${row.file}:${row.line}` : `L${row.line}`, row.protocol, endpoint(row.localAddress, row.localPort), '<-', endpoint(row.remoteAddress, row.remotePort), row.state, queues, owner]
    .filter((part) => part !== '')
    .join('  ');
}

/** The "Capture rows" section of the host screen. */
export function captureRowLines(status: CaptureRowsStatus): DetailLine[] {
  const lines: DetailLine[] = [{ text: 'Capture rows', bold: true }];
  switch (status.state) {
    case 'unavailable':
      // Live and store reports were not read from capture files here: nothing to read back.
      return [];
    case 'reading':
      lines.push({ text: '  reading them back from the captures…', tone: 'warn' });
      return lines;
    case 'failed':
      lines.push({ text: `  cannot read them back: ${safeText(status.message)}`, tone: 'bad' });
      return lines;
    default:
      break;
  }
  const { rows, total, notes } = status.rows;
  const files = new Set(rows.map((row) => row.file));
  const from = files.size === 1 && rows[0] ? ` from ${safeText(rows[0].file)}` : '';
  lines.push({ text: `  ${rows.length < total ? `${formatCount(total)} rows in all; the first ${rows.length}${from}` : `${formatCount(total)} row${total === 1 ? '' : 's'}${from}`}`, tone: 'dim' });
  for (const row of rows) lines.push({ text: `  ${safeText(captureRowText(row, files.size > 1))}` });
  for (const note of notes) lines.push({ text: `  ${safeText(note)}`, tone: 'warn' });
  return lines;
}

export function hostDetailLines(remote: RemoteProfile, trace: TracePath | null, traceStatus: TraceStatus, networkStatus: NetworkLookupStatus = { state: 'idle' }, rows?: CaptureRowsStatus): DetailLine[] {
  const lines: DetailLine[] = [];
  const heading = (text: string) => lines.push({ text, bold: true });
  const field = (name: string, value: string | number | null | undefined) => lines.push({ text: `  ${name.padEnd(14)} ${value === null || value === undefined || value === '' ? '-' : safeText(value)}` });
  heading(`Host ${remote.ip}`);
  field('connections', `${formatCount(remote.connections)} (${formatPercent(remote.share)} of all)`);
  field('seen', `capture ${remote.firstCapture + 1} to ${remote.lastCapture + 1}`);
  heading('Attribution');
  if (remote.special) field('special range', `${remote.special.name} ${remote.special.prefix} (${remote.special.rfc})`);
  field('country', remote.country ? `${remote.country} ${remote.countryName ?? ''}` : null);
  field('city', remote.city);
  if (remote.latitude != null && remote.longitude != null) field('location', `${remote.latitude.toFixed(2)}, ${remote.longitude.toFixed(2)}`);
  field('ASN', remote.asn === null ? null : `AS${remote.asn} ${remote.asOrg ?? ''}`);
  field('institution', remote.institution ? `${remote.institution.name} (${remote.institution.type})` : null);
  for (const evidence of remote.institution?.evidence ?? []) lines.push({ text: `      because ${safeText(evidence)}`, tone: 'dim' });
  heading('Reverse DNS');
  const rdns = remote.rdns;
  field('status', `${rdns.status}${rdns.rcode ? ` (${rdns.rcode})` : ''}${rdns.detail ? `: ${rdns.detail}` : ''}`);
  for (const name of rdns.names) field('PTR', name);
  if (rdns.fcrdns) field('forward check', rdns.fcrdns);
  if (rdns.server) field('server', rdns.server);
  if (rdns.ttl !== null) field('TTL', `${rdns.ttl} s`);
  heading('Connections by state');
  const states = Object.entries(remote.states).filter(([, count]) => (count ?? 0) > 0).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0) || a[0].localeCompare(b[0]));
  for (const [state, count] of states) field(state, formatCount(count ?? 0));
  if (remote.localPorts.length > 0) field('local ports', remote.localPorts.slice(0, 8).map((port) => `${port.port}×${port.connections}`).join(' '));
  if (remote.programs.length > 0) field('programs', remote.programs.slice(0, 5).map((program) => `${program.program}×${program.connections}`).join(' '));
  heading('Traceroute');
  if (remote.verdict) lines.push({ text: `  ${safeText(remote.verdict.summary)} [${remote.verdict.confidence}]` });
  switch (traceStatus.state) {
    case 'running': lines.push({ text: '  tracing… (the screen stays usable)', tone: 'warn' }); break;
    case 'failed': lines.push({ text: `  trace failed: ${safeText(traceStatus.message)}`, tone: 'bad' }); break;
    case 'unavailable': lines.push({ text: `  ${safeText(traceStatus.message)}`, tone: 'dim' }); break;
    default: break;
  }
  if (!trace) {
    if (traceStatus.state !== 'running') lines.push({ text: '  no path yet: press t to trace it now', tone: 'dim' });
    // Rows, then registry data: the path stays where it was on the screen when they arrive.
    if (rows) lines.push(...captureRowLines(rows));
    lines.push(...networkLines(remote, networkStatus));
    return lines;
  }
  lines.push({ text: `  ${trace.format}: ${trace.hops.length} hops, destination ${trace.reached ? 'reached' : 'silent'}`, tone: trace.reached ? 'good' : 'warn' });
  for (const hop of trace.hops) {
    const responders = hop.probes.filter((probe) => probe.ip !== null);
    if (responders.length === 0) {
      lines.push({ text: `  ${String(hop.ttl).padStart(3)}  *`, tone: 'dim' });
      continue;
    }
    const first = responders[0]!;
    const rtts = hop.probes.map((probe) => (probe.rttMs === null ? '*' : `${probe.rttMs.toFixed(1)}ms`)).join(' ');
    const others = [...new Set(responders.slice(1).map((probe) => probe.ip))].filter((ip) => ip !== first.ip);
    const annotation = hop.probes.map((probe) => probe.annotation).filter(Boolean).join(' ');
    lines.push({ text: `  ${String(hop.ttl).padStart(3)}  ${safeText(first.ip)}${first.name ? ` (${safeText(first.name)})` : ''}${first.asn ? ` AS${first.asn}` : ''}  ${rtts}${annotation ? ` ${safeText(annotation)}` : ''}${others.length ? ` +${others.join(' ')}` : ''}` });
  }
  if (rows) lines.push(...captureRowLines(rows));
  lines.push(...networkLines(remote, networkStatus));
  return lines;
}

export function HostDetail({ remote, ip, trace, traceStatus, networkStatus, rows, scroll, width, height, color }: HostDetailProps) {
  if (!remote) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text>{fit(`No remote ${ip ?? ''} in the current report.`, width)}</Text>
      </Box>
    );
  }
  const lines = hostDetailLines(remote, trace, traceStatus, networkStatus, rows);
  const shown = lines.slice(scroll, scroll + height);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {shown.map((line, index) => (
        <Text key={scroll + index} bold={line.bold ?? false} wrap="truncate-end" {...(line.tone ? tone(color, line.tone) : {})}>{fit(line.text, width)}</Text>
      ))}
    </Box>
  );
}
