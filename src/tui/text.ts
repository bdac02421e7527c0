// Terminal-safe text: every string a panel prints goes through cell() so hostile
// names (PTR, AS org, program) can never inject escapes or break the column grid.
// Widths are measured with string-width, the measure ink lays rows out with: any other
// table disagrees with it somewhere (emoji such as "☕⚡✅" are two columns each), and a
// row measured differently from how ink measures it gets cut or shifts the next column.
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { sanitizeText } from '../net/sanitize.js';
import { formatUtcSeconds } from '../time/utc.js';

/** Terminal columns `text` occupies, as ink measures it (Hangul, CJK and emoji are two each). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cut to at most widthCells columns, ending with '…' when something was cut. */
export function truncateToWidth(text: string, widthCells: number): string {
  if (widthCells <= 0) return '';
  if (stringWidth(text) <= widthCells) return text;
  // cli-truncate keeps a wide character that straddles the last column (one column over):
  // then cut one column shorter, so the row never grows past its width.
  for (const columns of [widthCells, widthCells - 1]) {
    const cut = cliTruncate(text, columns, { position: 'end', truncationCharacter: '…' });
    if (stringWidth(cut) <= widthCells) return cut;
  }
  return '…';
}

export type Align = 'left' | 'right';

/** Sanitize, truncate and pad to exactly widthCells columns. */
export function cell(value: string | number | null | undefined, widthCells: number, align: Align = 'left'): string {
  const text = truncateToWidth(safeText(value), widthCells);
  const pad = ' '.repeat(Math.max(0, widthCells - displayWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}

/** Sanitize for the terminal (again: the model should already be clean, but the TUI never trusts it). */
export function safeText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return sanitizeText(String(value), 4096);
}

/** Sanitize and truncate without padding. */
export function fit(value: string | number | null | undefined, widthCells: number): string {
  return truncateToWidth(safeText(value), widthCells);
}

/** Horizontal bar of widthCells for fraction 0..1 (eighth-block resolution). */
export function bar(fraction: number, widthCells: number): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(clamped * widthCells * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const partials = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return '█'.repeat(full) + (partials[partial] ?? '');
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%`;
}

/** Counts as every renderer prints them (12,345). */
export { formatCount, sparkline } from '../report/format.js';

/** An ISO 8601 instant as the reports print it: `2026-11-28 01:00:00 UTC`. */
export function formatUtcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return safeText(iso);
  return formatUtcSeconds(date);
}
