#!/usr/bin/env node
// Compiles the mmap addon (src/native/mmap.c, Node-API) with node-gyp into dist/native/, as part
// of `npm run build`. Optional: without a C compiler or Node's headers the build says so and
// goes on, and the geo data is read with positional reads instead (src/enrich/geo/mapped-file.ts).
// node-gyp is the one npm ships (npm tells its scripts where: npm_config_node_gyp); the headers
// are those installed beside node when there are (no download), else npm's nodedir setting.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIR = join(ROOT, 'src', 'native');
const BUILT = join(SOURCE_DIR, 'build', 'Release', 'netsleuth_mmap.node');
const TARGET = join(ROOT, 'dist', 'native', 'netsleuth-mmap.node');
const TIMEOUT_MS = 180_000;

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

function headersDir() {
  const prefixes = [process.env.npm_config_nodedir, process.config.variables.node_prefix, join(dirname(process.execPath), '..')];
  return prefixes.find((prefix) => typeof prefix === 'string' && prefix !== '' && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) ?? null;
}

function skip(reason) {
  rmSync(TARGET, { force: true });
  console.warn(`build-native: the mmap addon was not built (${reason}); the geo data will be read with positional reads instead`);
  process.exit(0);
}

/** The built addon loads and maps a file byte for byte as a read gives it; else it is not used at all. */
function works(path) {
  const { mapFile } = createRequire(import.meta.url)(path);
  const probe = join(ROOT, 'package.json');
  if (!mapFile(probe).equals(readFileSync(probe))) throw new Error('a mapped file differs from the file read');
}

if (process.platform === 'win32') skip('not a POSIX system');
// Up to date (built after its sources were last changed, and working): nothing to do.
const sourcesChangedMs = Math.max(...['mmap.c', 'binding.gyp'].map((name) => statSync(join(SOURCE_DIR, name)).mtimeMs));
if (existsSync(TARGET) && statSync(TARGET).mtimeMs >= sourcesChangedMs) {
  try {
    works(TARGET);
    console.log(`build-native: ${TARGET.slice(ROOT.length)} is up to date`);
    process.exit(0);
  } catch {
    // rebuild below
  }
}
const gyp = nodeGyp();
if (!gyp) skip("npm's node-gyp was not found");
const nodedir = headersDir();
const build = spawnSync(process.execPath, [gyp, 'rebuild', '--directory', SOURCE_DIR, ...(nodedir ? [`--nodedir=${nodedir}`] : [])], { encoding: 'utf8', timeout: TIMEOUT_MS });
if (build.status !== 0 || !existsSync(BUILT)) {
  const lines = `${build.stdout ?? ''}${build.stderr ?? ''}`.split('\n');
  const output = lines.filter((line) => /error|ERR! (?!stack|System|cwd|node )/i.test(line)).slice(0, 8).join('\n');
  if (output) console.warn(output);
  skip(build.error ? build.error.message : `node-gyp exited with ${build.status}`);
}
mkdirSync(dirname(TARGET), { recursive: true });
copyFileSync(BUILT, TARGET);

try {
  works(TARGET);
} catch (error) {
  skip(`it does not work here: ${error.message}`);
}
console.log(`build-native: ${TARGET.slice(ROOT.length)}`);
