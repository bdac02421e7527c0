// Progress numbers and the TTY-only stderr printer; the rate limiter.
import { describe, expect, it } from 'vitest';
import { createStderrProgress, formatProgress, progressAt } from '../../../src/enrich/rdns/progress.js';
import { createRateLimiter } from '../../../src/enrich/rdns/rate-limiter.js';

describe('progress', () => {
  it('computes rate and ETA', () => {
    expect(progressAt(500, 2000, 250)).toEqual({ done: 500, total: 2000, ratePerSecond: 2000, etaSeconds: 0.75 });
    expect(progressAt(0, 10, 0)).toEqual({ done: 0, total: 10, ratePerSecond: 0, etaSeconds: null });
    expect(progressAt(10, 10, 100).etaSeconds).toBe(0);
  });

  it('formats one line', () => {
    expect(formatProgress(progressAt(500, 2000, 250))).toBe('reverse DNS 500/2000  2000/s  ETA 1s');
  });

  it('writes only to a TTY, ending with a newline when done', () => {
    const written: string[] = [];
    createStderrProgress({ isTTY: false, write: (t) => written.push(t) })(progressAt(1, 2, 10));
    expect(written).toEqual([]);
    const tty = createStderrProgress({ isTTY: true, write: (t) => written.push(t) });
    tty(progressAt(1, 2, 10));
    tty(progressAt(2, 2, 20));
    expect(written[0]).toMatch(/^\r\u001b\[2Kreverse DNS 1\/2 /);
    expect(written[1]?.endsWith('\n')).toBe(true);
  });
});

describe('createRateLimiter', () => {
  it('spaces slots 1/rate apart on the injected clock', async () => {
    let nowMs = 0;
    const acquire = createRateLimiter(1000, () => nowMs);
    const started = performance.now();
    await Promise.all([acquire(), acquire(), acquire(), acquire(), acquire()]);
    // Five slots at 1000/s: the last one starts 4 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3);
    nowMs = 1000;
    const before = performance.now();
    await acquire();
    expect(performance.now() - before).toBeLessThan(5);
  });

  it('0 means unlimited', async () => {
    const acquire = createRateLimiter(0);
    await Promise.all(Array.from({ length: 1000 }, acquire));
  });
});
