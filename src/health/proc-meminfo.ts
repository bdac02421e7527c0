// /proc/meminfo: "MemTotal:       16318624 kB" lines -> numbers in kB.
export interface MemoryFigures {
  memTotalKb: number;
  memAvailableKb: number;
  swapTotalKb: number;
  swapFreeKb: number;
}

export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match && match[1] !== undefined) fields.set(match[1], Number(match[2]));
  }
  return fields;
}

/** null when the text lacks MemTotal (not a meminfo). Kernels before 3.14 have no MemAvailable: use free+buffers+cached. */
export function memoryFigures(text: string): MemoryFigures | null {
  const fields = parseMeminfo(text);
  const memTotalKb = fields.get('MemTotal');
  if (memTotalKb === undefined) return null;
  const memAvailableKb = fields.get('MemAvailable')
    ?? (fields.get('MemFree') ?? 0) + (fields.get('Buffers') ?? 0) + (fields.get('Cached') ?? 0);
  return { memTotalKb, memAvailableKb, swapTotalKb: fields.get('SwapTotal') ?? 0, swapFreeKb: fields.get('SwapFree') ?? 0 };
}

export function memoryUsedPercent(figures: MemoryFigures): number {
  if (figures.memTotalKb <= 0) return 0;
  return ((figures.memTotalKb - figures.memAvailableKb) / figures.memTotalKb) * 100;
}

/** A machine without swap uses 0% of it. */
export function swapUsedPercent(figures: MemoryFigures): number {
  if (figures.swapTotalKb <= 0) return 0;
  return ((figures.swapTotalKb - figures.swapFreeKb) / figures.swapTotalKb) * 100;
}
