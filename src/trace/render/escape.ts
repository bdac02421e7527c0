// Escaping for the trace table. Names are sanitized when parsed; this makes sure that
// whatever is left cannot act as a terminal control. (Markdown cells: output/escape.ts.)
import { sanitizeText } from '../../net/sanitize.js';

/** Terminal cell: no control characters or escapes (sanitizeText), no line breaks. */
export function escapeTerminal(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ');
}
