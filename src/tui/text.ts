// Terminal-safe text: every string a panel prints goes through cell() so hostile
// names (PTR, AS org, program) can never inject escapes or break the column grid.
// Wide characters (Hangul, CJK, emoji) take two cells: a Korean AS name like
// "서울대학교" is 5 characters but 10 columns, so truncation counts cells, not code units.
import { sanitizeText } from '../net/sanitize.js';

const ZERO_WIDTH: [number, number][] = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f],
  [0x0e31, 0x0e31], [0x0e34, 0x0e3a], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x200b, 0x200f],
  [0x20d0, 0x20ff], [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xe0100, 0xe01ef],
];

const WIDE: [number, number][] = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function inRanges(codePoint: number, ranges: [number, number][]): boolean {
  for (const [low, high] of ranges) {
    if (codePoint < low) return false;
    if (codePoint <= high) return true;
  }
  return false;
}

/** Terminal columns one code point occupies (0, 1 or 2). */
export function codePointWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (codePoint < 0x300) return 1;
  if (inRanges(codePoint, ZERO_WIDTH)) return 0;
  return inRanges(codePoint, WIDE) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** Cut to at most widthCells columns, ending with '…' when something was cut. */
export function truncateToWidth(text: string, widthCells: number): string {
  if (widthCells <= 0) return '';
  if (displayWidth(text) <= widthCells) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const width = codePointWidth(char.codePointAt(0) ?? 0);
    if (used + width > widthCells - 1) break;
    out += char;
    used += width;
  }
  return out + '…';
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

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Sparkline of the last widthCells values, scaled to the series maximum. */
export function sparkline(values: readonly number[], widthCells: number): string {
  const shown = values.slice(Math.max(0, values.length - widthCells));
  const max = Math.max(0, ...shown);
  return shown.map((value) => (max <= 0 ? SPARK[0] : SPARK[Math.min(7, Math.floor((value / max) * 7.999))])).join('');
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** An ISO 8601 instant as the reports print it: `2026-11-28 01:00:00 UTC`. */
export function formatUtcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return safeText(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
