// Process counts by name (what `top` showed): names come from /proc/PID/comm, which any
// process can set, so they are sanitized before they enter the model.
import { sanitizeText } from '../net/sanitize.js';

export interface ProcessCount {
  name: string;
  count: number;
}

/** Count names; sorted by count descending, then name (deterministic). */
export function countProcessNames(names: Iterable<string>): ProcessCount[] {
  const counts = new Map<string, number>();
  for (const raw of names) {
    const name = sanitizeText(raw.replace(/\n$/, ''), 64);
    if (name === '') continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Plain text table, one "COUNT NAME" line each, the file a case folder keeps. */
export function formatProcessCounts(counts: readonly ProcessCount[]): string {
  const lines = ['# netsleuth process counts by name (from /proc/*/comm)', 'COUNT NAME'];
  for (const { name, count } of counts) lines.push(`${String(count).padStart(5)} ${name}`);
  return lines.join('\n') + '\n';
}
