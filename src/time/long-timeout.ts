// Node's timers hold a signed 32-bit delay: 2^31 ms (about 24.8 days) or more fires
// after 1 ms, with only a warning. `watch --interval 25d` or a 30-day timeout must
// wait that long, so long delays are chained in steps the timer can hold.

export const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

/** setTimeout for any delay; Infinity never fires. */
export function setLongTimeout(callback: () => void, delayMs: number): LongTimeout {
  let remainingMs = Number.isNaN(delayMs) ? 0 : Math.max(0, delayMs);
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const stepMs = Math.min(remainingMs, MAX_TIMER_STEP_MS);
    remainingMs -= stepMs;
    timer = setTimeout(() => (remainingMs > 0 ? arm() : callback()), stepMs);
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
