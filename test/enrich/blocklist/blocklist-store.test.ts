// Lists read from local files: a pipe reports size 0, so the size check alone let one grow
// memory without end. Reads are bounded in bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BLOCKLIST_BYTES, updateBlocklist } from '../../../src/enrich/blocklist/blocklist-store.js';

const now = () => new Date('2026-12-07T00:00:00Z');

function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('local blocklist sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-lists-'));

  it('reads a plain file', async () => {
    writeFileSync(join(dir, 'list.txt'), '192.0.2.0/24 ; test\n');
    const outcome = await updateBlocklist({ name: 'plain', source: 'list.txt' }, join(dir, 'cache'), { cwd: dir, timeoutMs: 5000, now });
    expect(outcome.ok).toBe(true);
  });

  it('refuses a pipe that never ends once it passes the size limit', async () => {
    const path = fifo(dir, 'endless');
    const writer = (async () => {
      const handle = await open(path, 'w');
      const line = Buffer.from('198.51.100.7\n'.repeat(5000));
      try {
        for (let written = 0; written <= MAX_BLOCKLIST_BYTES * 2; written += line.length) await handle.write(line);
      } catch {
        // The reader gave up: EPIPE.
      } finally {
        await handle.close().catch(() => undefined);
      }
    })();
    const outcome = await updateBlocklist({ name: 'endless', source: path }, join(dir, 'cache'), { cwd: dir, timeoutMs: 60_000, now });
    expect(outcome).toMatchObject({ ok: false, error: `larger than ${MAX_BLOCKLIST_BYTES} bytes` });
    await writer;
  }, 60_000);

  it('refuses a directory', async () => {
    const outcome = await updateBlocklist({ name: 'dir', source: dir }, join(dir, 'cache'), { cwd: dir, timeoutMs: 300, now });
    expect(outcome).toMatchObject({ ok: false, error: 'a directory, not a list' });
  });
});
