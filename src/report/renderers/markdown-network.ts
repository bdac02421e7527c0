// The markdown sections "Whom to contact" (abuse contacts from RDAP / national whois) and
// "Known elsewhere" (blocklist hits). Every registry and list string is escaped here.
import type { Report } from '../../model/report.js';
import { escapeMarkdown } from '../../output/escape.js';
import { formatCount, formatShare, networkSourceLabel } from '../format.js';

const DASH = '—';
const MAX_LISTED = 8;

function row(cells: string[]): string {
  return `| ${cells.map((value) => value || DASH).join(' | ')} |`;
}

function listed(values: readonly string[], limit = MAX_LISTED): string {
  const shown = values.slice(0, limit).map((value) => escapeMarkdown(value));
  return values.length > limit ? `${shown.join(', ')} and ${formatCount(values.length - limit)} more` : shown.join(', ');
}

export function whomToContactSection(report: Report): string | null {
  const section = report.networks;
  if (!section) return null;
  const parts: string[] = [];
  const { queries } = section;
  parts.push(
    `Registration data from the regional registries (RDAP) and, for networks a national registry manages, its whois: ${formatCount(queries.rdap)} RDAP and ${formatCount(queries.whois)} whois ${queries.rdap + queries.whois === 1 ? 'question' : 'questions'} asked; ${formatCount(queries.cached)} ${queries.cached === 1 ? 'address was' : 'addresses were'} answered by a network already known (this run or the cache). Registry data is what the network's holder registered, not checked by netsleuth.`,
  );
  if (section.contacts.length === 0) parts.push('No abuse contact was found for the remotes asked about.');
  else {
    parts.push(
      [
        row(['Abuse contact', 'Phone', 'Networks', 'Addresses', 'Connections', 'Share', 'Found via']),
        '|---|---|---|---|---:|---:|---|',
        ...section.contacts.map((contact) =>
          row([
            listed([...contact.contact.emails, ...(contact.contact.handle ? [`(${contact.contact.handle})`] : [])]),
            listed(contact.contact.phones, 2),
            listed(contact.networks.map((network) => [network.name, network.range, network.registry, network.country].filter((part): part is string => Boolean(part)).join(' '))),
            listed(contact.addresses),
            formatCount(contact.connections),
            formatShare(contact.share),
            networkSourceLabel(contact.source),
          ]),
        ),
      ].join('\n'),
    );
  }
  if (section.problems.length > 0) {
    parts.push(
      [
        'Without a contact:',
        '',
        ...section.problems.map((problem) => `- ${escapeMarkdown(problem.status)}: ${escapeMarkdown(problem.detail, 300)} — ${listed(problem.addresses)}`),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

export function knownElsewhereSection(report: Report): string | null {
  const section = report.blocklists;
  if (!section) return null;
  const parts: string[] = [];
  parts.push(
    [
      `Every remote matched offline against ${formatCount(section.lists.length)} ${section.lists.length === 1 ? 'list' : 'lists'}:`,
      '',
      ...section.lists.map(
        (list) =>
          `- ${escapeMarkdown(list.name)}: ${formatCount(list.entries)} entries from ${escapeMarkdown(list.origin, 300)}, ${list.fetchedAt ? `fetched ${escapeMarkdown(list.fetchedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC'))}` : 'read as given'}, SHA-256 \`${escapeMarkdown(list.sha256)}\``,
      ),
    ].join('\n'),
  );
  if (section.hits.length === 0) parts.push('No remote address is on any of them.');
  else {
    parts.push(
      [
        row(['Address', 'Connections', 'List', 'Entry']),
        '|---|---:|---|---|',
        ...section.hits.flatMap((hit) => hit.listedIn.map((entry) => row([escapeMarkdown(hit.ip), formatCount(hit.connections), escapeMarkdown(entry.list), escapeMarkdown(entry.entry)]))),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}
