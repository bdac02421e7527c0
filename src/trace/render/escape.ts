// Escaping for the trace renderers. Names are sanitized when parsed; these make sure that
// whatever is left cannot act as markup (markdown) or as a terminal control (table).
import { sanitizeText } from '../../net/sanitize.js';

/** Markdown table cell: no pipes, no link/emphasis/HTML syntax, one line. */
export function escapeMarkdownCell(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&]/g, (char) => `\\${char}`);
}

/** Terminal cell: no control characters or escapes (sanitizeText), no line breaks. */
export function escapeTerminal(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ');
}
