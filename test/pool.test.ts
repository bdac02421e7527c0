import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../src/pool.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachConcurrently', () => {
  it.each([1, 3, 50])('runs every item once, never more than %i at a time, starting in input order', async (concurrency) => {
    const items = Array.from({ length: 20 }, (_, index) => index);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await forEachConcurrently(items, concurrency, async (item, index) => {
      expect(index).toBe(item);
      started.push(item);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(started).toEqual(items);
    expect(most).toBe(Math.min(concurrency, items.length));
  });

  it('starts nothing new once stop() says so, and handles no items', async () => {
    const started: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await tick();
    }, () => started.length >= 3);
    expect(started).toEqual([1, 2, 3]);
    await forEachConcurrently([], 4, async () => expect.unreachable());
  });
});
