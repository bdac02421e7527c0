// Escaping of attacker-controlled text for each output format. The model holds
// sanitized text already (sanitizeText at the boundary); renderers escape again
// for their own syntax, so a PTR name like "x|`<script>`" stays inert.
import { sanitizeText } from '../net/sanitize.js';

/** Longest untrusted string a report cell shows. */
const MAX_CELL_LENGTH = 200;

// CommonMark lets any ASCII punctuation be backslash-escaped. These are the ones
// that change meaning inside a paragraph or a GFM table cell: emphasis (* _ ~),
// code spans (`), links/images ([ ] !), raw HTML and autolinks (< >), entities (&),
// table columns (|), GitHub math ($), mentions and e-mail autolinks (@) and the escape itself (\).
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~&$!#@]/g;
// GFM's extended autolinks fire on 'scheme://' and 'www.' in plain text; an escaped
// ':' or '.' breaks the trigger (a PTR named 'www.evil.example' stays text).
const AUTOLINK_TRIGGER = /:(?=\/\/)|(?<=\bwww)\./gi;

/** Untrusted text -> one markdown line that renders literally (tables and paragraphs). */
export function escapeMarkdown(value: string, maxLength = MAX_CELL_LENGTH): string {
  const oneLine = sanitizeText(value.replace(/[\r\n\t]+/g, ' '), maxLength);
  return oneLine.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`).replace(AUTOLINK_TRIGGER, (char) => `\\${char}`).trim();
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Untrusted text -> XML text or attribute value (control characters are not legal XML 1.0). */
export function escapeXml(value: string, maxLength = MAX_CELL_LENGTH): string {
  return sanitizeText(value.replace(/[\r\n\t]+/g, ' '), maxLength).replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}

// Spreadsheets evaluate cells starting with these (OWASP "CSV injection").
// papaparse's own escapeFormulae regex (/^[=+\-@\t\r].*$/) misses a value whose
// formula is followed by a newline, because `.` stops at the line break: we
// neutralise before handing cells to papaparse.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV text cell that a spreadsheet shows as text, never runs as a formula. */
export function neutralizeCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Untrusted text -> HTML text or a quoted attribute value. Line breaks become spaces
 * (cells stay one line); every character that can end a text run or an attribute is an entity.
 */
export function escapeHtml(value: string, maxLength = MAX_CELL_LENGTH): string {
  return sanitizeText(value.replace(/[\r\n\t]+/g, ' '), maxLength).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

// Inside <script type="application/json"> the HTML parser ends the element at '</script'
// and switches modes on '<!--'; escaping every '<' (and '>', '&' for good measure) as a
// JSON \u escape makes both impossible while JSON.parse reads the same string. U+2028/2029
// are escaped too: legal in JSON, but line terminators to older JavaScript parsers.
const SCRIPT_JSON_UNSAFE = /[<>&\u2028\u2029]/g;

/** A value as JSON that can sit inside a <script> element without ending or changing it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(SCRIPT_JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
