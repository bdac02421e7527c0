// The built CLI (dist/cli.js, bundled by scripts/bundle-cli.mjs from tsc's output): the same
// answers as the source modules, from a handful of files instead of one per module.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASN_CACHE_BUILD_TIMEOUT_MS, ensureTestAsnCache, TEST_CACHE_DIR } from '../enrich/geo/helpers.js';
import { BIN, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

const ENV = { ...process.env, NO_COLOR: '1', NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR };
const ARGV = ['lookup', '--no-dns', '--format', 'csv', '8.8.8.8', '147.46.10.10', '2001:4860:4860::8888', '10.0.0.1'];

describe.skipIf(!existsSync(BIN))('the bundled CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-bundle-'));
  beforeAll(ensureTestAsnCache, ASN_CACHE_BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a lookup as the source modules do, loading at most 4 files of its own', async () => {
    // A module hook that logs every file the loader loads (node:module register, off-thread).
    const log = join(dir, 'loaded.log');
    writeFileSync(join(dir, 'log-loads.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'log-loads.mjs')).href)});\n`);
    const built = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...ARGV], { env: ENV, cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    const source = await runCli(ARGV, { env: { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR } });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toBe(source.stdout);
    expect(built.stdout.split('\n')).toHaveLength(1 + 4 + 1); // header, four rows, the final newline;
    const ours = readFileSync(log, 'utf8').trim().split('\n').filter((url) => url.includes('/dist/'));
    expect(ours[0]).toBe(pathToFileURL(BIN).href);
    expect(ours.every((url) => url.includes('/dist/chunks/') || url === pathToFileURL(BIN).href)).toBe(true);
    expect(ours.length).toBeLessThanOrEqual(4);
  });
});
