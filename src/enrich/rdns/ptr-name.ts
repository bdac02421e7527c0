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
const ESCAPED_BYTE = /^\\(?:[01]\d\d|2[0-4]\d|25[0-5])$/;

/**
 * `raw` is a name in presentation form as the client decodes PTR data (unusual
 * bytes already `\DDD`, kept as they are), or any other text, escaped here.
 */
export function presentPtrName(raw: string): PresentedName {
  const trimmed = raw.endsWith('.') && raw !== '.' ? raw.slice(0, -1) : raw;
  if (HOSTNAME.test(trimmed)) return { name: trimmed.toLowerCase(), valid: true };
  const escaped = trimmed.split('.').map(escapeLabel).join('.');
  return { name: sanitizeText(escaped), valid: false };
}

function escapeLabel(label: string): string {
  let out = '';
  for (let index = 0; index < label.length; index++) {
    const char = String.fromCodePoint(label.codePointAt(index) as number);
    if (char.length === 2) index++;
    if (PLAIN_CHAR.test(char)) {
      out += char;
      continue;
    }
    if (char === '\\' && ESCAPED_BYTE.test(label.slice(index, index + 4))) {
      out += label.slice(index, index + 4);
      index += 3;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return out;
}
