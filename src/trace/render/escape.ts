// Escaping for the trace renderers. Names are sanitized when parsed; these make sure that
// whatever is left cannot act as markup (markdown) or as a terminal control (table).
import { sanitizeText } from '../../net/sanitize.js';

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+!|~&$@]/g;
// GFM's extended autolinks fire on 'scheme://' and 'www.' even in escaped text
// ('http://evil.example' became a link in a hop name): an escaped ':' or '.' breaks the trigger.
// Same rule as src/report/escape.ts (not imported: trace sits below report).
const AUTOLINK_TRIGGER = /:(?=\/\/)|(?<=\bwww)\./gi;

/** Markdown table cell: no pipes, no link/emphasis/HTML/autolink syntax, one line. */
export function escapeMarkdownCell(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ').replace(MARKDOWN_SPECIAL, (char) => `\\${char}`).replace(AUTOLINK_TRIGGER, (char) => `\\${char}`);
}

/** Terminal cell: no control characters or escapes (sanitizeText), no line breaks. */
export function escapeTerminal(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ');
}
