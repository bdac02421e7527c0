import { describe, expect, it } from 'vitest';
import { formatShare, formatStates, sparkline } from '../../src/report/format.js';

describe('format', () => {
  it('sparkline scales from zero to the maximum', () => {
    expect(sparkline([0, 7])).toBe('▁█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    const levels = sparkline([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...levels]).toHaveLength(8);
    expect([...levels].sort().join('')).toBe(levels);
  });

  it('states biggest first, ties by name', () => {
    expect(formatStates({ TIME_WAIT: 2, ESTABLISHED: 5, SYN_RECV: 2 })).toBe('ESTABLISHED 5, SYN_RECV 2, TIME_WAIT 2');
  });

  it('share as a percentage', () => {
    expect(formatShare(0.75)).toBe('75.0%');
  });
});
