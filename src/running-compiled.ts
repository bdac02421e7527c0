// Worker threads start the compiled modules under dist/. Under a TypeScript runner (the tests run
// src/ directly) there are none to start, so the work stays on the calling thread.
import { fileURLToPath } from 'node:url';

/** True when this code runs as compiled JavaScript, with the worker modules beside it. */
export function canStartWorkers(): boolean {
  return !fileURLToPath(import.meta.url).endsWith('.ts');
}
