import { describe, expect, it } from 'vitest';
import { formatUtc, formatUtcSeconds, utcClock, utcDay, utcStamp } from '../../src/time/utc.js';

describe('UTC formats', () => {
  const whole = new Date('2026-11-28T17:05:09Z');
  const withMs = new Date('2026-11-28T17:05:09.123Z');
  it.each<[string, (date: Date) => string, string, string]>([
    ['formatUtc', formatUtc, '2026-11-28 17:05:09 UTC', '2026-11-28 17:05:09.123 UTC'],
    ['formatUtcSeconds', formatUtcSeconds, '2026-11-28 17:05:09 UTC', '2026-11-28 17:05:09 UTC'],
    ['utcStamp', utcStamp, '20261128T170509Z', '20261128T170509Z'],
    ['utcDay', utcDay, '2026-11-28', '2026-11-28'],
    ['utcClock', utcClock, '17:05', '17:05'],
  ])('%s', (_name, format, expectedWhole, expectedWithMs) => {
    expect(format(whole)).toBe(expectedWhole);
    expect(format(withMs)).toBe(expectedWithMs);
  });
  it('does not depend on the time zone of the instant it was written in', () => {
    expect(formatUtc(new Date('2026-11-29T02:05:09+09:00'))).toBe('2026-11-28 17:05:09 UTC');
  });
});
