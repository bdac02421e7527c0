// Spaces query starts evenly: at most `perSecond` per second, 0 = unlimited.
export type AcquireSlot = () => Promise<void>;

export function createRateLimiter(perSecond: number, nowMs: () => number = () => performance.now()): AcquireSlot {
  if (!(perSecond > 0)) return async () => undefined;
  const intervalMs = 1000 / perSecond;
  let nextSlotMs = Number.NEGATIVE_INFINITY;
  return () => {
    const now = nowMs();
    const slot = Math.max(now, nextSlotMs);
    nextSlotMs = slot + intervalMs;
    const waitMs = slot - now;
    return waitMs <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, waitMs));
  };
}
