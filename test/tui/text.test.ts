import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar, cell, displayWidth, fit, formatUtcTime, sparkline, truncateToWidth } from '../../src/tui/text.js';
import { HOSTILE_AS_ORG, HOSTILE_PTR } from './fixtures.js';

// Anything that would move the cursor, clear the screen or set a title.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['147.46.195.90', 13],
    ['서울대학교', 10],
    ['東京大学', 8],
    ['e\u0301', 1],
    ['🙂', 2],
    // Emoji a hand-made table counted as one column each; ink (string-width) lays them out as two.
    ['☕⚡✅', 6],
    ['👨‍👩‍👧', 2],
  ])('%j is %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('cell', () => {
  it('pads and truncates to exactly the width, wide characters included', () => {
    expect(cell('abc', 5)).toBe('abc  ');
    expect(cell('abc', 5, 'right')).toBe('  abc');
    expect(cell('abcdef', 4)).toBe('abc…');
    expect(displayWidth(cell('서울대학교', 7))).toBe(7);
    expect(cell('서울대학교', 7)).toBe('서울대…');
    expect(cell('서울대학교', 6)).toBe('서울… ');
    expect(cell('☕⚡✅ Coffee', 8)).toBe('☕⚡✅ …');
    expect(cell('☕⚡✅ Coffee', 5)).toBe('☕⚡…');
    expect(cell('☕⚡✅ Coffee', 4)).toBe('☕… ');
  });

  it('strips escape sequences and bidi overrides from hostile names', () => {
    const shown = cell(HOSTILE_PTR, 60);
    expect(shown).not.toMatch(CONTROL);
    expect(shown.trim()).toBe('evil.example.com');
    expect(fit(HOSTILE_AS_ORG, 200)).not.toMatch(CONTROL);
  });

  it('never exceeds the width and never emits control characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 60 }), (text, width) => {
        const shown = cell(text, width);
        expect(displayWidth(shown)).toBe(width);
        expect(shown).not.toMatch(CONTROL);
        expect(displayWidth(truncateToWidth(text, width))).toBeLessThanOrEqual(width);
      }),
    );
  });
});

describe('bar and sparkline', () => {
  it('scales bars to the fraction', () => {
    expect(bar(1, 10)).toBe('█'.repeat(10));
    expect(bar(0.5, 10)).toBe('█'.repeat(5));
    expect(bar(0, 10)).toBe('');
    expect(bar(Number.NaN, 10)).toBe('');
    expect(displayWidth(bar(0.33, 12))).toBeLessThanOrEqual(12);
  });

  it('draws the last values scaled to their maximum', () => {
    // One rounding with the markdown report's: half the maximum is level 3.5 of 0..7, drawn as 4.
    expect(sparkline([0, 5, 10], 10)).toBe('▁▅█');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
    expect(sparkline([0, 0], 5)).toBe('▁▁');
  });
});

describe('formatUtcTime', () => {
  it('prints instants as the reports do, and garbage as inert text', () => {
    expect(formatUtcTime('2026-11-28T01:15:01.000Z')).toBe('2026-11-28 01:15:01 UTC');
    expect(formatUtcTime('not a time\u001b[2J')).not.toContain('\u001b');
  });
});
