// One abuse report per contact, as an RFC 5322 message a person reviews and sends:
// what happened, our server's address, the UTC time span, the remote addresses with
// their connection counts and states, capture-line excerpts with the captures' SHA-256,
// and the netsleuth version. A contact that covers one address gets an X-ARF v0.2
// message (machine-readable report + evidence parts); X-ARF describes one source per
// message, so a contact with several addresses gets the text, one complete X-ARF
// message per address attached as message/rfc822, and all the evidence.
// Pure: evidence lines are read by the caller and passed in.
import { createHash } from 'node:crypto';
import type { RemoteProfile } from '../model/analysis.js';
import type { ContactRow } from '../model/network.js';
import type { Report } from '../model/report.js';
import { sanitizeText } from '../net/sanitize.js';
import { networkSourceLabel } from './format.js';

export interface EvidenceLine {
  file: string;
  line: number;
  text: string;
}

export interface AbuseDraft {
  /** 'security_at_snu.example.eml': safe as a file name. */
  fileName: string;
  to: string[];
  subject: string;
  /** The whole message, CRLF line ends. */
  message: string;
  /** The plain-text part alone (what notify channels other than mail carry). */
  text: string;
  addresses: string[];
}

export interface DraftOptions {
  from: string;
  /** Capture lines per remote address (the caller reads them from the inputs). */
  evidence: ReadonlyMap<string, readonly EvidenceLine[]>;
  /** Our server's address(es), when the caller found them in the capture lines. */
  localAddresses: readonly string[];
  /** Lines shown per address. */
  excerptLines?: number;
}

const CRLF = '\r\n';

/** A header value: one line, no control characters, bounded. */
function header(value: string, maxLength = 300): string {
  return sanitizeText(value.replace(/[\r\n\t]+/g, ' '), maxLength);
}

/** RFC 5322 date-time in UTC: 'Tue, 14 Nov 2023 22:13:20 +0000'. */
export function rfc5322Date(iso: string): string {
  const date = new Date(iso);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function statesText(remote: RemoteProfile): string {
  return Object.entries(remote.states)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([state, count]) => `${state} ${count}`)
    .join(', ');
}

/** The UTC span of the captures these remotes appear in, or null when the captures carry no time. */
function timeSpan(report: Report, remotes: readonly RemoteProfile[]): { from: string; to: string } | null {
  const captures = report.analysis.captures;
  const times: string[] = [];
  for (const remote of remotes) {
    for (let index = remote.firstCapture; index <= remote.lastCapture; index++) {
      const time = captures[index]?.capturedAt;
      if (time) times.push(time);
    }
  }
  if (times.length === 0) return null;
  times.sort();
  return { from: times[0]!, to: times[times.length - 1]! };
}

function fileNameFor(key: string, used: Set<string>): string {
  const base = key.toLowerCase().replace('@', '_at_').replace(/[^a-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'contact';
  let name = `${base}.eml`;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}.eml`;
  used.add(name);
  return name;
}

function draftFor(report: Report, contact: ContactRow, options: DraftOptions, used: Set<string>): AbuseDraft | null {
  if (contact.contact.emails.length === 0) return null;
  const byIp = new Map(report.analysis.remotes.map((remote) => [remote.ip, remote]));
  const remotes = contact.addresses.flatMap((ip) => (byIp.has(ip) ? [byIp.get(ip)!] : []));
  const span = timeSpan(report, remotes);
  const networks = contact.networks.map((network) => [network.name, network.range].filter(Boolean).join(' ')).join(', ');
  const ourServer = options.localAddresses.length > 0 ? options.localAddresses.join(', ') : 'the server these captures were taken on';
  const subject = header(`Abuse report: ${contact.connections} connections from ${remotes.length} ${remotes.length === 1 ? 'address' : 'addresses'} in ${networks || 'your network'} to ${ourServer}`, 250);
  const excerptLines = options.excerptLines ?? 5;

  const text: string[] = [];
  text.push(`Hello,`, '');
  text.push(
    `Our server ${ourServer} is receiving connections from addresses that the registry lists under your abuse contact (${contact.contact.emails.join(', ')}): ${networks || 'see below'}.`,
    '',
    'What happened:',
    `  ${sanitizeText(report.analysis.verdict.replace(/\s+/g, ' '), 1500)}`,
    '',
  );
  text.push(span ? `Time span (UTC): ${utc(span.from)} to ${utc(span.to)}` : `Time span: the captures carry no time; this report was generated ${utc(report.generatedAt)}.`, '');
  text.push('Addresses in your network, with their connections to us and the TCP states seen:');
  for (const remote of remotes) {
    const ports = remote.localPorts.slice(0, 5).map((port) => `${port.port}`).join(', ');
    text.push(`  ${remote.ip.padEnd(16)} ${String(remote.connections).padStart(6)} connections  ${statesText(remote)}${ports ? `  (our ports ${ports})` : ''}`);
  }
  text.push('', 'Evidence (lines of the captures, as saved; file:line):');
  const usedFiles = new Set<string>();
  const evidenceLog: string[] = [];
  for (const remote of remotes) {
    for (const line of (options.evidence.get(remote.ip) ?? []).slice(0, excerptLines)) {
      const entry = `${line.file}:${line.line}: ${sanitizeText(line.text, 300)}`;
      text.push(`  ${entry}`);
      evidenceLog.push(entry);
      usedFiles.add(line.file);
    }
  }
  if (evidenceLog.length === 0) text.push('  (no capture lines could be read back: the input was a pipe or is no longer there)');
  text.push('', 'Captures (SHA-256 of each file as read):');
  for (const input of report.inputs) {
    const file = input.snapshot?.file ?? input.path;
    if (usedFiles.size > 0 && !usedFiles.has(file)) continue;
    text.push(`  ${file}  ${input.sizeBytes} bytes  sha256 ${input.sha256}${input.capturedAt ? `  captured ${utc(input.capturedAt)}` : ''}`);
  }
  text.push(
    '',
    'We would be grateful if you could look into these hosts and stop the traffic.',
    '',
    `Generated by ${report.tool.name} ${report.tool.version} on ${utc(report.generatedAt)} from registration data (${networkSourceLabel(contact.source)}). Review before sending.`,
  );
  const body = text.join(CRLF) + CRLF;

  const id = createHash('sha256').update(`${contact.key}\u0000${report.generatedAt}\u0000${contact.addresses.join(',')}`).digest('hex').slice(0, 24);
  const boundary = `netsleuth-${id}`;
  const from = header(options.from);
  const to = contact.contact.emails.map((email) => header(email)).join(', ');
  const single = remotes.length === 1 ? remotes[0] : undefined;
  const evidenceFor = (remote: RemoteProfile): string[] => (options.evidence.get(remote.ip) ?? []).slice(0, excerptLines).map((line) => `${line.file}:${line.line}: ${sanitizeText(line.text, 300)}`);
  const xarf = { report, from, localAddresses: options.localAddresses, span };

  const parts: string[] = [textPart(body)];
  if (single) parts.push(...xarfParts(xarf, single, evidenceLog));
  else {
    // X-ARF v0.2 describes one source per message: each address gets a complete X-ARF
    // message of its own, attached as message/rfc822, so the contact still gets one draft.
    for (const [index, remote] of remotes.slice(0, MAX_XARF_ATTACHMENTS).entries()) {
      const inner = xarfMessage(xarf, remote, evidenceFor(remote), { to, messageId: `${id}.${index + 1}`, boundary: `netsleuth-xarf-${index + 1}-${id}` });
      const name = `x-arf-${remote.ip.replace(/[^0-9A-Za-z.]/g, '-')}.eml`;
      parts.push([`Content-Type: message/rfc822; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: 8bit', '', inner].join(CRLF));
    }
    parts.push(evidencePart(evidenceLog));
  }
  const headers = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${rfc5322Date(report.generatedAt)}`,
    `Message-ID: <${id}@netsleuth.invalid>`,
    'MIME-Version: 1.0',
    'Auto-Submitted: no',
    `X-Mailer: ${header(`${report.tool.name} ${report.tool.version}`)}`,
    ...(single ? ['X-ARF: YES'] : []),
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ];
  return { fileName: fileNameFor(contact.key, used), to: [...contact.contact.emails], subject, message: multipart(headers, boundary, parts), text: body, addresses: contact.addresses };
}

/** Addresses of one contact that get an attached X-ARF report each; the text lists them all. */
export const MAX_XARF_ATTACHMENTS = 100;

interface XarfContext {
  report: Report;
  from: string;
  localAddresses: readonly string[];
  span: { from: string; to: string } | null;
}

function multipart(headers: readonly string[], boundary: string, parts: readonly string[]): string {
  return [...headers, '', 'This is a multi-part message in MIME format.', ...parts.map((part) => `--${boundary}${CRLF}${part}`), `--${boundary}--`, ''].join(CRLF);
}

function textPart(body: string): string {
  return ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body].join(CRLF);
}

function evidencePart(lines: readonly string[]): string {
  return ['Content-Type: text/plain; charset=utf-8; name="logfile.log"', 'Content-Disposition: attachment; filename="logfile.log"', 'Content-Transfer-Encoding: 8bit', '', lines.join(CRLF) + CRLF].join(CRLF);
}

/** X-ARF v0.2's second and third parts for one source: the YAML report and its evidence. */
function xarfParts(context: XarfContext, remote: RemoteProfile, evidence: readonly string[]): string[] {
  const { report } = context;
  const remoteSpan = timeSpan(report, [remote]) ?? context.span;
  const yaml = [
    '---',
    `Reported-From: ${context.from}`,
    'Category: abuse',
    'Report-Type: login-attack',
    'Service: tcp',
    'Version: 0.2',
    `User-Agent: ${header(`${report.tool.name} ${report.tool.version}`)}`,
    `Date: ${rfc5322Date(remoteSpan?.to ?? report.generatedAt)}`,
    `Source-Type: ${remote.ipVersion === 6 ? 'ipv6' : 'ipv4'}`,
    `Source: ${remote.ip}`,
    `Port: ${remote.localPorts[0]?.port ?? 0}`,
    `Destination: ${context.localAddresses[0] ?? 'unknown'}`,
    `Connections: ${remote.connections}`,
    'Attachment: text/plain',
    'Schema-URL: http://www.x-arf.org/schema/abuse_login-attack_0.1.2.json',
    '',
  ].join(CRLF);
  // An attachment disposition keeps mail clients (and MIME parsers) from folding the report into the text.
  return [['Content-Type: text/plain; charset=utf-8; name="report.txt"', 'Content-Disposition: attachment; filename="report.txt"', 'Content-Transfer-Encoding: 8bit', '', yaml].join(CRLF), evidencePart(evidence)];
}

/** A complete X-ARF v0.2 message about one source address. */
function xarfMessage(context: XarfContext, remote: RemoteProfile, evidence: readonly string[], ids: { to: string; messageId: string; boundary: string }): string {
  const { report } = context;
  const remoteSpan = timeSpan(report, [remote]);
  const destination = context.localAddresses[0] ?? 'our server';
  const text = [
    `${remote.ip} made ${remote.connections} connections to ${destination} (TCP states: ${statesText(remote) || 'none recorded'}).`,
    remoteSpan ? `Seen (UTC): ${utc(remoteSpan.from)} to ${utc(remoteSpan.to)}.` : 'The captures carry no time.',
    'The covering message lists every address of this report; this part is its machine-readable X-ARF v0.2 report.',
    '',
  ].join(CRLF);
  const headers = [
    `From: ${context.from}`,
    `To: ${ids.to}`,
    `Subject: ${header(`abuse report about ${remote.ip}`)}`,
    `Date: ${rfc5322Date(report.generatedAt)}`,
    `Message-ID: <${ids.messageId}@netsleuth.invalid>`,
    'MIME-Version: 1.0',
    'X-ARF: YES',
    `Content-Type: multipart/mixed; boundary="${ids.boundary}"`,
  ];
  return multipart(headers, ids.boundary, [textPart(text), ...xarfParts(context, remote, evidence)]);
}

/** One draft per contact with an e-mail address, heaviest first. */
export function buildAbuseDrafts(report: Report, options: DraftOptions): AbuseDraft[] {
  const used = new Set<string>();
  return (report.networks?.contacts ?? []).flatMap((contact) => {
    const draft = draftFor(report, contact, options, used);
    return draft ? [draft] : [];
  });
}
