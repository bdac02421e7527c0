// Bounded concurrency: `concurrency` workers pull items from one queue, so at most that many
// run at once and a slow item never holds up the rest. Items start in input order.

/** Run work(item, index) over items, at most `concurrency` at a time; no new item starts once stop() is true. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>, stop?: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop?.()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
