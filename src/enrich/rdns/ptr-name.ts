// PTR names are chosen by whoever controls the reverse zone: an attacker.
// A name that is a valid hostname passes through (lower-cased); anything else
// is shown in DNS presentation form with every unusual byte as \DDD, so
// control characters, markdown pipes, backticks and HTML never survive raw.
import { sanitizeText } from '../../net/sanitize.js';

export const MAX_NAME_TEXT_LENGTH = 253;
export const MAX_LABEL_BYTES = 63;

export interface PresentedName {
  /** Safe to store and print (after each renderer's own escaping). */
  name: string;
  /** True when the name is a syntactically valid hostname (LDH labels, underscores tolerated). */
  valid: boolean;
}

const HOSTNAME_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;
const PLAIN_CHAR = /[a-z0-9_-]/i;

/**
 * `raw` is a name as dns-packet decodes it: labels joined by '.', label bytes
 * decoded as UTF-8 (invalid bytes become U+FFFD). A '.' inside a label cannot
 * be told apart from a label separator at this point; we accept that loss.
 */
export function presentPtrName(raw: string): PresentedName {
  const trimmed = raw.endsWith('.') && raw !== '.' ? raw.slice(0, -1) : raw;
  const labels = trimmed.split('.');
  const valid =
    trimmed.length > 0 &&
    trimmed.length <= MAX_NAME_TEXT_LENGTH &&
    labels.every((label) => Buffer.byteLength(label) <= MAX_LABEL_BYTES && HOSTNAME_LABEL.test(label));
  if (valid) return { name: trimmed.toLowerCase(), valid };
  const escaped = labels.map(escapeLabel).join('.');
  return { name: sanitizeText(escaped), valid };
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
