import { describe, expect, it } from 'vitest';
import { alignTable } from '../../../src/capture/output/connection-output.js';

describe('alignTable', () => {
  it('pads each column to its widest cell, numbers to the right', () => {
    expect(alignTable(['ip', 'n'], [['198.51.100.7', '5'], ['10.0.0.1', '123']], [false, true])).toBe('ip              n\n198.51.100.7    5\n10.0.0.1      123\n');
  });

  it('aligns a million rows (no argument list as long as the rows)', () => {
    const rows = Array.from({ length: 1_000_000 }, (_, i) => [`198.51.${i % 256}.${i % 200}`, String(i)]);
    const text = alignTable(['remote', 'line'], rows, [false, true]);
    expect(text.split('\n')).toHaveLength(1_000_002);
    // The widest remote is 14 characters ('198.51.255.199'): every row is padded to it.
    expect(text.endsWith('\n198.51.63.199   999999\n')).toBe(true);
  });
});
