// samples/captures: every registered format has a sample a user can try, and each reads cleanly.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { CAPTURE_FORMATS } from '../../src/capture/registry.js';

const SAMPLES = fileURLToPath(new URL('../../samples/captures/', import.meta.url));
const files = readdirSync(SAMPLES).sort();
const io = { stdin: Readable.from([]), cwd: SAMPLES };

describe('samples/captures', () => {
  it.each(files)('%s parses without skipped lines', async (file) => {
    const [capture] = await readCaptures([file], io);
    expect(capture?.diagnostics).toEqual([]);
    // A scoreboard without clients (server-status?auto) tells the story in worker counts only.
    if (capture?.info.format === 'server-status') {
      expect(capture.connections).toEqual([]);
      expect(capture.info.workers?.states.reading).toBeGreaterThanOrEqual(5);
      return;
    }
    expect(capture?.connections.length).toBeGreaterThanOrEqual(5);
    // The story: Korean academic networks (SNU 147.46/16) flooding httpd.
    expect(capture?.connections.some((c) => c.remoteAddress.startsWith('147.46.'))).toBe(true);
  });

  it('cover every registered format', async () => {
    const formats = new Set<string>();
    for (const file of files) formats.add((await readCaptures([file], io))[0]?.info.format ?? '');
    expect([...formats].sort()).toEqual(CAPTURE_FORMATS.map((format) => format.name).sort());
  });
});
