import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { resolveReportTime } from '../../src/report/report-time.js';

describe('resolveReportTime', () => {
  const clock = (): Date => new Date('2030-01-01T00:00:00Z');
  it('--now wins over SOURCE_DATE_EPOCH', () => {
    expect(resolveReportTime('2026-11-28T12:00:00Z', { SOURCE_DATE_EPOCH: '0' }, clock).toISOString()).toBe('2026-11-28T12:00:00.000Z');
  });
  it('SOURCE_DATE_EPOCH in seconds', () => {
    expect(resolveReportTime(undefined, { SOURCE_DATE_EPOCH: '1764331200' }, clock).toISOString()).toBe('2025-11-28T12:00:00.000Z');
  });
  it('falls back to the clock', () => {
    expect(resolveReportTime(undefined, {}, clock).toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
  it.each([['yesterday'], ['2026-13-01T00:00:00Z'], ['2026-11-28T12:00:00']])('rejects --now %j', (value) => {
    expect(() => resolveReportTime(value, {}, clock)).toThrow(UserError);
  });
  it('rejects a non-numeric SOURCE_DATE_EPOCH', () => {
    expect(() => resolveReportTime(undefined, { SOURCE_DATE_EPOCH: '12abc' }, clock)).toThrow(/SOURCE_DATE_EPOCH/);
  });
});
