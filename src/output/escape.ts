// Escaping of attacker-controlled text for the text formats every layer writes: markdown
// (the report, the trace command) and CSV (parse, lookup, store, the report). The model holds
// sanitized text already (sanitizeText at the boundary); renderers escape again for their own
// syntax, so a PTR name like "x|`<script>`" stays inert.
import { sanitizeText } from '../net/sanitize.js';

/** Longest untrusted string a report cell shows. */
export const MAX_CELL_LENGTH = 200;

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

// Spreadsheets evaluate cells starting with = + - @ TAB CR (OWASP "CSV injection").
// papaparse's own escapeFormulae regex (/^[=+\-@\t\r].*$/) misses a value whose formula
// is followed by a newline, because `.` stops at the line break: we neutralise before
// handing cells to papaparse. The start may follow a run of quotes: a value that itself
// begins `'=` gets the prefix too, so reading back removes exactly the one quote writing
// added (a program named `'=x` survives the round trip instead of coming back as `=x`).
const NEEDS_PREFIX = /^'*[=+\-@\t\r]/;

/** A CSV text cell that a spreadsheet shows as text, never runs as a formula: a quote in front. */
export function escapeCsvCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

/** The value escapeCsvCell was given. */
export function unescapeCsvCell(value: string): string {
  return value.startsWith("'") && NEEDS_PREFIX.test(value.slice(1)) ? value.slice(1) : value;
}
