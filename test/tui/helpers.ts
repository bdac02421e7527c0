// Driving the App through ink-testing-library: write keys, wait for the frame.
import { setTimeout as delay } from 'node:timers/promises';

export const KEYS = { tab: '\t', shiftTab: '\u001b[Z', enter: '\r', escape: '\u001b', down: '\u001b[B', up: '\u001b[A', pageDown: '\u001b[6~', right: '\u001b[C', backspace: '\u007f' } as const;

/** Poll until the predicate holds for the latest frame (ink renders asynchronously). */
export async function waitForFrame(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
    await delay(10);
  }
}

/** Write keys one at a time, letting ink handle each. */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await delay(15);
  }
}
