// A regional registry's port-43 answer -> the network it registers and its abuse contact.
// Pure. Read from the recorded answers of all five RIRs (ipwhois whois.json):
//  - RPSL (RIPE, APNIC, AFRINIC; LACNIC's CRLF variant): paragraphs of 'key: value',
//    '% Information related to' sections, the network in 'inetnum:'/'inet6num:', its
//    contact in 'abuse-mailbox:' of a role or IRT ('mnt-irt: IRT-KRNIC-KR'), or through
//    'abuse-c: JDM7' -> the object with 'nic-hdl: JDM7' (LACNIC), or RIPE's comment
//    "% Abuse contact for '62.239.237.0 - 62.239.237.255' is 'protect@bt.com'", or an
//    address in a remark that says 'abuse' (AFRINIC: 'please send abuse reports to ...').
//  - ARIN: '#' banners, 'NetRange:'/'CIDR:'/'NetHandle:' blocks (several when the network
//    is reassigned: the most specific is the one), 'OrgAbuseEmail:'/'RAbuseEmail:'.
//  - IANA (whois.iana.org): 'refer: whois.apnic.net' names the registry to ask.
// APNIC's answer for a Korean network carries KRNIC's mirror as a second section: the
// section of the most specific network containing the address is the one read.
import { addressToBigInt, parseRangeText, type IpRange } from '../../net/ip-range.js';
import type { RegistryName } from '../../model/network.js';
import { addWhoisEmail, addWhoisPhone, cleanWhoisValue } from './whois-parse.js';

export interface RirWhoisNetwork {
  /** The range as printed ('62.239.237.0 - 62.239.237.255', '2801:10:c000::/48'). */
  range: string | null;
  ipRange: IpRange | null;
  handle: string | null;
  name: string | null;
  country: string | null;
  org: string | null;
  registered: string | null;
  lastChanged: string | null;
  emails: string[];
  phones: string[];
  abuseHandle: string | null;
  /** The registry the answer says it is from ('source: RIPE', ARIN's banner), when it says. */
  registry: RegistryName | null;
  /** The whole answer's text, bounded, for spotting a national registry's handles. */
  text: string;
}

const NETWORK_KEYS = new Set(['inetnum', 'inet6num', 'netrange']);

type Field = [key: string, value: string];

/** '2008-08-14T14:54:30Z', '2005-03-14', '20131029', 'hm-changed@apnic.net 20021025' -> ISO UTC. */
function whoisDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Paragraphs of 'key: value' lines ('%' and '#' comments dropped, continuation lines ignored). */
function paragraphs(text: string): Field[][] {
  const blocks: Field[][] = [];
  let current: Field[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9-]{0,30}):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) current.push([match[1].toLowerCase(), match[2].trim()]);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

const first = (fields: readonly Field[], ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const found = fields.find(([name, value]) => name === key && value !== '');
    if (found) return found[1];
  }
  return undefined;
};

const all = (fields: readonly Field[], key: string): string[] => fields.filter(([name]) => name === key).map(([, value]) => value);

const SOURCES: [RegExp, RegistryName][] = [
  [/^RIPE\b/i, 'RIPE NCC'],
  [/^APNIC\b/i, 'APNIC'],
  [/^AFRINIC\b/i, 'AFRINIC'],
  [/^LACNIC\b/i, 'LACNIC'],
  [/^ARIN\b/i, 'ARIN'],
  [/^KRNIC\b/i, 'KRNIC'],
  [/^JPNIC\b/i, 'JPNIC'],
  [/^TWNIC\b/i, 'TWNIC'],
];

/** The server's own banner first (APNIC's answer may carry a national registry's mirrored object), then 'source:'. */
function registryOf(network: readonly Field[], text: string): RegistryName | null {
  const banner = text.slice(0, 2000);
  if (/^% \[whois\.apnic\.net\]/m.test(banner)) return 'APNIC';
  if (/^% This is the RIPE Database/m.test(banner)) return 'RIPE NCC';
  if (/^% This is the AfriNIC Whois server/im.test(banner)) return 'AFRINIC';
  if (/^# ARIN WHOIS data/m.test(banner)) return 'ARIN';
  if (/whois\.lacnic\.net/i.test(banner)) return 'LACNIC';
  const source = first(network, 'source');
  if (source) for (const [pattern, name] of SOURCES) if (pattern.test(source)) return name;
  return first(network, 'nethandle') ? 'ARIN' : null;
}

/** A whois range; LACNIC abbreviates IPv4 prefixes ('inetnum: 200.57.128/19'). */
export function parseWhoisRange(text: string): IpRange | null {
  const abbreviated = /^\s*(\d{1,3}(?:\.\d{1,3}){0,2})\/(\d{1,2})\s*$/.exec(text);
  if (abbreviated?.[1] && abbreviated[2]) {
    const octets = abbreviated[1].split('.');
    while (octets.length < 4) octets.push('0');
    return parseRangeText(`${octets.join('.')}/${abbreviated[2]}`);
  }
  return parseRangeText(text);
}

/** The registry IANA's whois refers to ('refer: whois.apnic.net'), or null. */
export function whoisReferral(answer: string): string | null {
  const match = /^refer:\s*([A-Za-z0-9.-]{3,100})\s*$/im.exec(answer);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/**
 * The most specific network in the answer that contains `ip` (the first one when `ip` is
 * not given), with its section's contact. null when the answer names no network.
 */
export function parseRirWhois(answer: string, ip?: string): RirWhoisNetwork | null {
  const text = answer.replace(/\r\n?/g, '\n');
  const blocks = paragraphs(text);
  // Sections: a network block and the blocks after it, up to the next network block.
  const sections: { network: Field[]; range: IpRange | null; blocks: Field[][] }[] = [];
  for (const block of blocks) {
    const head = block[0]?.[0];
    if (head && NETWORK_KEYS.has(head)) sections.push({ network: block, range: parseWhoisRange(block[0]![1]), blocks: [block] });
    else sections[sections.length - 1]?.blocks.push(block);
  }
  if (sections.length === 0) return null;
  const address = ip ? addressToBigInt(ip) : null;
  let chosen = sections[0]!;
  if (address) {
    const containing = sections.filter((section) => section.range && section.range.version === address.version && section.range.start <= address.value && address.value <= section.range.end);
    if (containing.length > 0) chosen = containing.reduce((best, section) => (section.range!.end - section.range!.start < best.range!.end - best.range!.start ? section : best));
  }
  const network = chosen.network;
  const everything = chosen.blocks.flat();
  const rangeText = cleanWhoisValue(network[0]?.[1]);

  const emails: string[] = [];
  const phones: string[] = [];
  for (const key of ['orgabuseemail', 'rabuseemail', 'abuse-mailbox']) for (const value of all(everything, key)) addWhoisEmail(emails, value);
  for (const key of ['orgabusephone', 'rabusephone']) for (const value of all(everything, key)) addWhoisPhone(phones, value);
  // RIPE states the contact in a comment above the section, naming the range it is for.
  for (const match of text.matchAll(/^%\s*Abuse contact for '([^']*)' is '([^']*)'/gim)) {
    if (!rangeText || cleanWhoisValue(match[1]) === rangeText) addWhoisEmail(emails, match[2]);
  }
  const abuseHandle = cleanWhoisValue(first(everything, 'orgabusehandle', 'abuse-c', 'mnt-irt'), 100);
  if (abuseHandle) {
    // The contact object the handle names: its mailbox when the section had none, its phone.
    const contact = blocks.find((block) => block.some(([key, value]) => (key === 'nic-hdl' || key === 'irt' || key === 'nic-hdl-br') && cleanWhoisValue(value, 100) === abuseHandle));
    if (contact) {
      if (emails.length === 0) for (const key of ['abuse-mailbox', 'e-mail']) for (const value of all(contact, key)) addWhoisEmail(emails, value);
      if (phones.length === 0) for (const value of all(contact, 'phone')) addWhoisPhone(phones, value);
    }
  }
  if (emails.length === 0) for (const value of all(everything, 'remarks')) if (/abuse/i.test(value)) addWhoisEmail(emails, value);

  const changed = all(network, 'changed').map(whoisDate).filter((date): date is string => date !== null).sort();
  return {
    range: rangeText,
    ipRange: chosen.range,
    handle: cleanWhoisValue(first(network, 'nethandle') ?? network[0]?.[1], 100),
    name: cleanWhoisValue(first(network, 'netname'), 100),
    country: cleanWhoisValue(first(network, 'country') ?? first(everything, 'country'), 8)?.toUpperCase() ?? null,
    org: cleanWhoisValue(first(everything, 'orgname', 'org-name', 'owner') ?? first(network, 'organization', 'descr')),
    registered: whoisDate(first(network, 'regdate', 'created')),
    lastChanged: whoisDate(first(network, 'updated', 'last-modified')) ?? changed[changed.length - 1] ?? null,
    emails,
    phones,
    abuseHandle,
    registry: registryOf(network, text),
    text: text.slice(0, 200_000),
  };
}
