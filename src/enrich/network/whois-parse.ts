// Whois answers -> the contact a report needs. Pure, one function per format:
//  - KRNIC/KISA (whois.kisa.or.kr): a Korean then an '# ENGLISH' part, blocks headed
//    '[ Network Information ]', 'Label : value' lines; the last block is the most specific
//    assignment and carries the network's own contact ('E-Mail : kornet_ip@kt.com').
//    Read from the recorded web-whois page (ipwhois krnic.json), which wraps the same text
//    in HTML: tags are stripped first, so the port-43 text and the page parse alike.
//  - JPNIC (whois.nic.ad.jp, '/e' for English): 'a. [Network Number]   133.1.0.0/16' lines
//    (ipwhois jpnic.json); contacts are handles, e-mail only in '[Abuse]'/'[E-Mail]' lines.
//  The regional registries' text is read by whois-rir.ts.
import { emailOf } from './rdap-network.js';
import type { WhoisContact } from '../../model/network.js';
import { sanitizeText } from '../../net/sanitize.js';


const MAX_VALUES = 10;

/** One whois value as the report keeps it: white space folded, sanitised, bounded; null when empty. */
export function cleanWhoisValue(value: string | undefined, maxLength = 200): string | null {
  if (value === undefined) return null;
  const text = sanitizeText(value.replace(/\s+/g, ' ').trim(), maxLength);
  return text === '' ? null : text;
}

/** Adds the mailboxes in a whois value (quoted, bracketed or followed by punctuation), at most MAX_VALUES. */
export function addWhoisEmail(list: string[], value: string | undefined): void {
  if (!value) return;
  for (const token of value.split(/[\s,;]+/)) {
    const email = emailOf(token.replace(/^['"<(]+|['">).:]+$/g, ''));
    if (email && !list.includes(email) && list.length < MAX_VALUES) list.push(email);
  }
}

export function addWhoisPhone(list: string[], value: string | undefined): void {
  // LACNIC appends the extension in brackets: '+57 4 5699090 [312]'.
  const phone = cleanWhoisValue(value?.replace(/\[\s*\]/g, ''), 40);
  if (phone && /\d/.test(phone) && !list.includes(phone) && list.length < MAX_VALUES) list.push(phone);
}

/** HTML (a web-whois page) -> its text; plain text is returned unchanged. */
export function stripHtml(text: string): string {
  if (!/<\/?[a-z][^>]*>/i.test(text)) return text;
  return text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function yyyymmdd(value: string | null): string | null {
  if (!value) return null;
  const match = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** KISA's answer: the most specific network block with a contact. */
export function parseKrnicWhois(answer: string): WhoisContact | null {
  let text = stripHtml(answer).replace(/\r\n?/g, '\n');
  const english = text.indexOf('# ENGLISH');
  if (english >= 0) text = text.slice(english);
  const blocks = text.split(/^\s*\[\s*Network Information\s*\]\s*$/m).slice(1);
  if (blocks.length === 0) return null;
  const parsed = blocks.map((block) => {
    const fields = new Map<string, string[]>();
    for (const line of block.split('\n')) {
      const match = /^\s*([A-Za-z][A-Za-z0-9 ./-]{1,40}?)\s*:\s*(.*)$/.exec(line);
      if (!match?.[1] || match[2] === undefined) continue;
      const key = match[1].toLowerCase();
      fields.set(key, [...(fields.get(key) ?? []), match[2]]);
    }
    return fields;
  });
  const last = parsed[parsed.length - 1] ?? new Map<string, string[]>();
  const first = (fields: Map<string, string[]>, ...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = fields.get(key)?.find((entry) => entry.trim() !== '');
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const emails: string[] = [];
  const phones: string[] = [];
  for (const value of last.get('e-mail') ?? []) addWhoisEmail(emails, value);
  for (const value of last.get('phone') ?? []) addWhoisPhone(phones, value);
  // A block without its own contact falls back to the allocation above it (the ISP's).
  if (emails.length === 0) {
    for (const fields of parsed) for (const value of fields.get('e-mail') ?? []) addWhoisEmail(emails, value);
  }
  const range = first(last, 'ipv4 address', 'ipv6 address');
  return {
    range: cleanWhoisValue(range?.replace(/\s*\(.*\)\s*$/, '')),
    org: cleanWhoisValue(first(last, 'organization name')),
    name: cleanWhoisValue(first(last, 'service name', 'network type')),
    registered: yyyymmdd(cleanWhoisValue(first(last, 'registration date'))),
    emails,
    phones,
  };
}

/** JPNIC's English answer (or its gateway page). */
export function parseJpnicWhois(answer: string): WhoisContact | null {
  const text = stripHtml(answer).replace(/\r\n?/g, '\n');
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:[a-z]\.\s*)?\[([^\]]{1,40})\]\s*(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const key = match[1].trim().toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), match[2].trim()]);
  }
  const range = fields.get('network number')?.[0];
  if (range === undefined) return null;
  const emails: string[] = [];
  const phones: string[] = [];
  for (const key of ['abuse', 'e-mail', 'email']) for (const value of fields.get(key) ?? []) addWhoisEmail(emails, value);
  for (const value of fields.get('tel') ?? []) addWhoisPhone(phones, value);
  return {
    range: cleanWhoisValue(range),
    org: cleanWhoisValue(fields.get('organization')?.[0]),
    name: cleanWhoisValue(fields.get('network name')?.[0]),
    registered: yyyymmdd(cleanWhoisValue(fields.get('assigned date')?.[0])),
    emails,
    phones,
  };
}
