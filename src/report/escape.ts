// Escaping of attacker-controlled text for XML (the SVG map) and HTML; markdown and CSV
// escaping live in output/escape.ts, below the trace renderers that use them too.
import { sanitizeText } from '../net/sanitize.js';
import { MAX_CELL_LENGTH } from '../output/escape.js';

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Untrusted text -> XML text or attribute value (control characters are not legal XML 1.0). */
export function escapeXml(value: string, maxLength = MAX_CELL_LENGTH): string {
  return sanitizeText(value.replace(/[\r\n\t]+/g, ' '), maxLength).replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
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
