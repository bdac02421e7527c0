// Instants as every output spells them, always in UTC so that a report does not depend on the
// machine's time zone. Each takes a valid Date; callers decide what an invalid one shows.

/** 2026-11-28 17:05:00 UTC; milliseconds only when there are some (2026-11-28 17:05:00.123 UTC). */
export function formatUtc(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z').replace(/Z$/, ' UTC');
}

/** 2026-11-28 17:05:00 UTC, to the second. */
export function formatUtcSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** 20261128T170500Z: sorts as text, and fits in a file name. */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** 2026-11-28 */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** 17:05 */
export function utcClock(date: Date): string {
  return date.toISOString().slice(11, 16);
}
