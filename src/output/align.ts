// Plain-text tables for terminals: cells two spaces apart, each column as wide as its widest
// cell, numbers right-aligned, no trailing spaces. Widths grow row by row, so a table can be
// measured while its rows stream in.

/** Widens `widths` to fit this row's cells (a loop: Math.max over a million rows overflows the stack). */
export function fitWidths(widths: number[], row: readonly string[]): number[] {
  for (let column = 0; column < row.length; column++) widths[column] = Math.max(widths[column] ?? 0, (row[column] ?? '').length);
  return widths;
}

export function alignRow(cells: readonly string[], widths: readonly number[], numeric: readonly boolean[] = []): string {
  return cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
}

/** Header and rows aligned, one line each, ending in a newline. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const widths = fitWidths([], header);
  for (const row of rows) fitWidths(widths, row);
  return [alignRow(header, widths, numeric), ...rows.map((row) => alignRow(row, widths, numeric))].join('\n') + '\n';
}
