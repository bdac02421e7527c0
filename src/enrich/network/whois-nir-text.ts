// Port-43 answers of TWNIC, CNNIC and IDNIC -> the contact a report needs. Pure.
//  - TWNIC (whois.twnic.net.tw): not RPSL. The holder's name and address lines, then
//    indented 'Netname: HINET-NET' / 'Netblock: 114.45.0.0/16', then headed contact
//    sections whose lines are 'Name  mailbox' and phone numbers:
//        Administrator contact:
//           network-adm@hinet.net
//    (layout as TWNIC answers; a public recorded answer for 114.45.70.76 has exactly the
//    Netname/Netblock/Administrator/Technical lines). A 'Spam/Abuse contact' section, when
//    present, is the one used; else the administrator's, else the technical contact's.
//  - CNNIC (ipwhois.cnnic.cn) and IDNIC (whois.idnic.net): RPSL like APNIC's, whose database
//    they feed ('source: CNNIC', 'mnt-irt:', 'abuse-mailbox:'); read by the RIR parser.
import { addressToBigInt } from '../../net/ip-range.js';
import type { WhoisContact } from '../../model/network.js';
import { addWhoisEmail, addWhoisPhone, cleanWhoisValue } from './whois-parse.js';
import { parseRirWhois, parseWhoisRange } from './whois-rir.js';

/** TWNIC's answer: the network block, its holder and the best contact section. */
export function parseTwnicWhois(answer: string, ip?: string): WhoisContact | null {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const netblockAt = lines.findIndex((line) => /^\s*Netblock\s*:/i.test(line));
  if (netblockAt < 0) return null;
  const range = cleanWhoisValue(lines[netblockAt]!.replace(/^\s*Netblock\s*:/i, ''));
  const parsedRange = range ? parseWhoisRange(range) : null;
  const address = ip ? addressToBigInt(ip) : null;
  // An answer about a block that does not hold the address is no answer for it.
  if (address && parsedRange && (parsedRange.version !== address.version || address.value < parsedRange.start || address.value > parsedRange.end)) return null;
  const netnameLine = lines.find((line) => /^\s*Netname\s*:/i.test(line));
  const name = cleanWhoisValue(netnameLine?.replace(/^\s*Netname\s*:/i, ''), 100);
  // The holder: the first text line before the network lines that is not a banner or a comment.
  const firstNetworkLine = Math.min(...[netblockAt, lines.indexOf(netnameLine ?? '')].filter((index) => index >= 0));
  const org = cleanWhoisValue(lines.slice(0, firstNetworkLine).find((line) => line.trim() !== '' && !/^\s*(\[|%|#)/.test(line)));

  const sections = new Map<string, { emails: string[]; phones: string[] }>();
  let current: { emails: string[]; phones: string[] } | null = null;
  for (const line of lines.slice(netblockAt + 1)) {
    const heading = /^\s*([A-Za-z/ -]{3,40}?)\s+contact\s*:\s*$/i.exec(line);
    if (heading?.[1]) {
      current = { emails: [], phones: [] };
      sections.set(heading[1].trim().toLowerCase(), current);
      continue;
    }
    if (!current || line.trim() === '') continue;
    addWhoisEmail(current.emails, line);
    addWhoisPhone(current.phones, /^\s*(\+?[\d][\d .()-]{5,30}\d)\s*$/.exec(line)?.[1]);
  }
  const abuse = [...sections.entries()].find(([key, section]) => /abuse|spam/.test(key) && section.emails.length > 0)?.[1];
  const chosen = abuse ?? [sections.get('administrator'), sections.get('technical')].find((section) => section && section.emails.length > 0) ?? { emails: [], phones: [] };
  return { range, org, name, registered: null, emails: [...chosen.emails], phones: [...chosen.phones] };
}

/** CNNIC's and IDNIC's RPSL answers: the most specific network holding the address and its contact. */
export function parseRpslNirWhois(answer: string, ip?: string): WhoisContact | null {
  const parsed = parseRirWhois(answer, ip);
  if (!parsed) return null;
  const address = ip ? addressToBigInt(ip) : null;
  if (address && parsed.ipRange && (parsed.ipRange.version !== address.version || address.value < parsed.ipRange.start || address.value > parsed.ipRange.end)) return null;
  return { range: parsed.range, org: parsed.org, name: parsed.name, registered: parsed.registered?.slice(0, 10) ?? null, emails: parsed.emails, phones: parsed.phones };
}
