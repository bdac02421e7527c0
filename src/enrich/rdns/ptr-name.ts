// PTR names are chosen by whoever controls the reverse zone: an attacker.
// A name that is a valid hostname passes through (lower-cased); anything else
// is shown in DNS presentation form with every unusual byte as \DDD, so
// control characters, markdown pipes, backticks and HTML never survive raw.
import { sanitizeText } from '../../net/sanitize.js';

export interface PresentedName {
  /** Safe to store and print (after each renderer's own escaping). */
  name: string;
  /** True when the name is a syntactically valid hostname (LDH labels, underscores tolerated). */
  valid: boolean;
}

// One pass over the whole name: ASCII only, so characters are bytes; labels 1-63, total 1-253.
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;
const PLAIN_CHAR = /[a-z0-9_-]/i;

/**
 * `raw` is a name as dns-packet decodes it: labels joined by '.', label bytes
 * decoded as UTF-8 (invalid bytes become U+FFFD). A '.' inside a label cannot
 * be told apart from a label separator at this point; we accept that loss.
 */
export function presentPtrName(raw: string): PresentedName {
  const trimmed = raw.endsWith('.') && raw !== '.' ? raw.slice(0, -1) : raw;
  if (HOSTNAME.test(trimmed)) return { name: trimmed.toLowerCase(), valid: true };
  const escaped = trimmed.split('.').map(escapeLabel).join('.');
  return { name: sanitizeText(escaped), valid: false };
}

function escapeLabel(label: string): string {
  let out = '';
  for (const char of label) {
    if (PLAIN_CHAR.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return out;
}
