// The built CLI (src/build/bundle-cli.mjs, from tsc's output): package.json's bin
// (dist/netsleuth.cjs) runs `lookup` from the CommonJS bundle and every other command from the
// ES module bundle dist/cli.js; both give the source modules' answers from a handful of files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASN_CACHE_BUILD_TIMEOUT_MS, ensureTestAsnCache, TEST_CACHE_DIR } from '../enrich/geo/helpers.js';
import { BIN, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { withPackageCopyWithout } from '../helpers/package-copy.js';

const ENV = { ...process.env, NO_COLOR: '1', NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR };
const ARGV = ['lookup', '--no-dns', '--format', 'csv', '8.8.8.8', '147.46.10.10', '2001:4860:4860::8888', '10.0.0.1'];
const ESM_CLI = join(PROJECT_ROOT, 'dist/cli.js');

describe.skipIf(!existsSync(BIN) || !existsSync(join(PROJECT_ROOT, 'dist/lookup-cli.cjs')))('the bundled CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-bundle-'));
  beforeAll(ensureTestAsnCache, ASN_CACHE_BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `node ARGS` and lists the files of ours it loaded: ES modules (a loader hook) and CommonJS (require.cache at exit). */
  function runLogged(args: string[]): { stdout: string; stderr: string; status: number | null; esm: string[]; cjs: string[] } {
    const esmLog = join(dir, 'esm.log');
    const cjsLog = join(dir, 'cjs.log');
    rmSync(esmLog, { force: true });
    writeFileSync(join(dir, 'log-loads.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(esmLog)}, url + '\\n');\n  return next(url, context);\n}\n`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'log-loads.mjs')).href)});\n`);
    writeFileSync(join(dir, 'require-log.cjs'), `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(cjsLog)}, Object.keys(require.cache).join('\\n')));\n`);
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--require', join(dir, 'require-log.cjs'), ...args], { env: ENV, cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    const ours = (text: string) => text.split('\n').filter((line) => line.includes(`${PROJECT_ROOT}dist/`) && !line.endsWith('.node'));
    // With --import, node hands even a CommonJS main file to the ES module loader: that one is the entry, not a load.
    const esm = existsSync(esmLog) ? ours(readFileSync(esmLog, 'utf8')).filter((url) => url !== pathToFileURL(BIN).href) : [];
    return { stdout: run.stdout, stderr: run.stderr, status: run.status, esm, cjs: ours(readFileSync(cjsLog, 'utf8')) };
  }

  it('the bin answers lookup as the source modules do, from at most 4 CommonJS files and no ES module of ours', async () => {
    const built = runLogged([BIN, ...ARGV]);
    const source = await runCli(ARGV, { env: { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR } });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toBe(source.stdout);
    expect(built.stdout.split('\n')).toHaveLength(1 + 4 + 1); // header, four rows, the final newline
    expect(built.esm).toEqual([]);
    expect(built.cjs[0]).toBe(BIN);
    expect(built.cjs.length).toBeLessThanOrEqual(4);
  });

  it('dist/cli.js (every command; the bin for all but lookup) answers lookup the same from at most 4 ES module files', async () => {
    const built = runLogged([ESM_CLI, ...ARGV]);
    const source = await runCli(ARGV, { env: { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR } });
    expect(built.stderr).toBe('');
    expect(built.stdout).toBe(source.stdout);
    expect(built.esm[0]).toBe(pathToFileURL(ESM_CLI).href);
    expect(built.esm.every((url) => url.includes('/dist/chunks/') || url === pathToFileURL(ESM_CLI).href)).toBe(true);
    expect(built.esm.length).toBeLessThanOrEqual(4);
  });

  it('the bin sends other commands to dist/cli.js, with --debug before the command too', () => {
    const version = runLogged([BIN, '--version']);
    expect(version.stdout).toMatch(/^netsleuth \d+\.\d+\.\d+\n$/);
    expect(version.esm[0]).toBe(pathToFileURL(ESM_CLI).href);
    const debugLookup = runLogged([BIN, '--debug', ...ARGV]);
    expect(debugLookup.stdout.split('\n')).toHaveLength(6);
    expect(debugLookup.esm).toEqual([]);
  });
  it('the bin runs lookup through dist/cli.js when the CommonJS bundle is absent (tsc output only)', async () => {
    const run = withPackageCopyWithout('dist/lookup-cli.cjs', (copy) => spawnSync(process.execPath, [join(copy, 'dist/netsleuth.cjs'), ...ARGV], { env: ENV, cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 }));
    const source = await runCli(ARGV, { env: { NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(source.stdout);
  });
});
