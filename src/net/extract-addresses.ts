// Pull IP addresses out of arbitrary text (logs, netstat output, mail headers), like grepip.
// Handles the endpoint spellings captures use: '1.2.3.4:22', BSD '1.2.3.4.22',
// '[2001:db8::1]:443', ss '::ffff:10.0.0.1:22'. ('::1:1028' is itself a valid IPv6 address
// and is kept as one: text alone cannot tell it from '::1' port 1028.)
import { parseIpAddress } from './ip.js';

const IPV4_CANDIDATE = /(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9])/g;
// Maximal runs of address characters; a run needs two ':' to be IPv6. (A pattern that looks
// for the colons itself backtracks quadratically over long hex text.)
const HEXISH_RUN = /[0-9A-Fa-f:.]+/g;
const LONGEST_CANDIDATE = 45 + 6; // an address plus '.port' or ':port'

/** Canonical addresses in order of first appearance, each once. */
export function extractAddresses(text: string): string[] {
  const found: { index: number; text: string }[] = [];
  const taken: [number, number][] = [];
  for (const match of text.matchAll(HEXISH_RUN)) {
    const run = match[0];
    const firstColon = run.indexOf(':');
    if (firstColon < 0 || run.indexOf(':', firstColon + 1) < 0 || run.length > LONGEST_CANDIDATE) continue;
    const parsed = parseIpv6Candidate(run);
    if (parsed) {
      found.push({ index: match.index, text: parsed });
      taken.push([match.index, match.index + match[0].length]);
    }
  }
  for (const match of text.matchAll(IPV4_CANDIDATE)) {
    // Skip the IPv4 tail of an IPv6 address already taken ('::ffff:10.0.0.1').
    if (taken.some(([start, end]) => match.index >= start && match.index < end)) continue;
    const parsed = parseIpAddress(match[0]);
    if (parsed) found.push({ index: match.index, text: parsed.text });
  }
  found.sort((a, b) => a.index - b.index || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of found) {
    if (seen.has(item.text)) continue;
    seen.add(item.text);
    out.push(item.text);
  }
  return out;
}

function parseIpv6Candidate(run: string): string | null {
  // Trim punctuation glued on by prose ('... from 2001:db8::1.' or 'at ::1:').
  let candidate = run.replace(/^[.]+|[.:]+$/g, (trim) => (trim === '::' ? trim : ''));
  if (candidate.length < 2) return null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const parsed = parseIpAddress(candidate);
    if (parsed) return parsed.text;
    // Drop a trailing port: '2001:db8::1.443' (BSD) or '::ffff:10.0.0.1:22' / '::1:1028' (Linux).
    const cut = Math.max(candidate.lastIndexOf(':'), candidate.lastIndexOf('.'));
    if (cut <= 0) return null;
    candidate = candidate.slice(0, cut);
  }
  return null;
}
