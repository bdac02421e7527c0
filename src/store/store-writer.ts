// Writers (capture, watch, health) append each capture to a store as it is taken. A failed
// insert never loses the capture: the file stays where it was written, and the message says so.
import { Readable } from 'node:stream';
import { readTallies } from '../capture/read-tallies.js';
import { UserError } from '../errors.js';
import { sanitizeText } from '../net/sanitize.js';
import { chooseHost } from './host-name.js';
import { loadCaptureFile } from './load-captures.js';
import { openStore } from './open-store.js';
import { parseStoreLocation, redactUrl } from './store-url.js';

export interface StoreWriteResult {
  ok: boolean;
  /** One line for the log (store password redacted). */
  message: string;
}

/** Stores the capture text (netsleuth capture format) already saved in `file`; never throws. */
export async function storeCaptureFile(storeText: string, file: string, io: { env: NodeJS.ProcessEnv; cwd: string }): Promise<StoreWriteResult> {
  let display = redactUrl(storeText);
  try {
    display = parseStoreLocation(storeText, io.env, io.cwd).display;
    const tallies = await readTallies([file], { stdin: Readable.from([]), cwd: io.cwd });
    const host = chooseHost(tallies[0]?.info.host, undefined, file);
    if (!host) throw new UserError('the capture names no host');
    // A DuckDB store another process is loading is waited for briefly: the capture is kept anyway.
    const engine = await openStore(storeText, io.env, io.cwd, { requestTimeoutMs: 15_000, waitMs: 15_000 });
    try {
      const load = await loadCaptureFile(engine, tallies, host.host, Date.now(), file);
      return { ok: true, message: `stored in ${display}: host ${host.host}, ${load.connections} connections${load.added === 0 ? ' (already there)' : ''}` };
    } finally {
      await engine.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const shown = reason.startsWith(display) ? reason.slice(display.length).replace(/^:\s*/, '') : reason;
    return { ok: false, message: `not stored in ${display}: ${sanitizeText(shown, 400)}; the capture is kept in ${file}` };
  }
}
