#!/usr/bin/env node
// Bundles tsc's output under dist/ into the CLI that `netsleuth` runs (dist/netsleuth.cjs picks one):
//  - dist/cli.js and dist/chunks/*.js, ES modules, for every command. Node's ES module loader
//    costs about a millisecond per file (resolve, read, compile, link), and a one-address `lookup`
//    loaded some 45 of them; bundled, it loads the entry, one small chunk of what every command
//    shares and one chunk with everything lookup imports statically. The other commands keep
//    rolldown's own split, and every dynamic import() stays lazy.
//  - dist/lookup-cli.cjs (and dist/chunks/*.cjs for its lazy parts), CommonJS, for `lookup` alone:
//    no ES module loader at all. It holds cli.js with only lookup's loader (the other commands'
//    imports are left out: netsleuth.cjs never sends them there).
//
// The bundle is made from the same JavaScript tsc emitted (run tsc first; `npm run build` does).
// Modules locate their data files and workers from import.meta.url (geo-data/, dist/asn-index/,
// parse-worker.js, the rules fingerprint over institutions.js): each module's import.meta.url is
// rewritten to the URL of its own tsc output file, so every relative path resolves as before and
// the package still works when moved.
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const ENTRY = join(DIST, 'cli.js');
const BANNER = '// netsleuth CLI bundled by src/build/bundle-cli.mjs from the tsc output in this directory';
const MODULE_URL = '__netsleuthModuleUrl__';

const entrySource = readFileSync(ENTRY, 'utf8');
if (entrySource.includes(BANNER)) {
  console.error('bundle-cli: dist/cli.js is already a bundle; run tsc -p tsconfig.build.json first (npm run build)');
  process.exit(2);
}

/** The files a module imports statically, transitively (tsc output: relative specifiers with .js). */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*['"](\.[^'"]+)['"]|^import\s*['"](\.[^'"]+)['"]/gm)) {
    staticClosure(resolve(dirname(file), match[1] ?? match[2]), seen);
  }
  return seen;
}
const shared = staticClosure(ENTRY);
shared.delete(ENTRY);
const lookup = staticClosure(join(DIST, 'commands/lookup.js'));

// Packages stay in node_modules (several load native code or data beside them); only our modules are bundled.
const isPackage = (id) => id.startsWith('node:') || builtinModules.includes(id) || !(id.startsWith('.') || id.startsWith('/'));

/** Each module's import.meta.url becomes the URL of its own tsc output file, wherever its chunk lands. */
const moduleUrl = (format) => ({
  name: 'module-url',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    return code.replaceAll('import.meta.url', `${MODULE_URL}(${JSON.stringify(relative(DIST, id))})`);
  },
  renderChunk(code, chunk) {
    if (!code.includes(MODULE_URL)) return null;
    const toDist = relative(dirname(join(DIST, chunk.fileName)), DIST) || '.';
    return code.replace(new RegExp(`${MODULE_URL}\\("([^"]+)"\\)`, 'g'), (_, file) =>
      format === 'cjs'
        ? `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(`${toDist}/${file}`)})).href`
        : `new URL(${JSON.stringify(`${toDist}/${file}`)}, import.meta.url).href`,
    );
  },
});

rmSync(join(DIST, 'chunks'), { recursive: true, force: true });
// The CommonJS lookup bundle first: it reads tsc's cli.js, which the ES module bundle replaces.
const lookupLoaders = new Set([ENTRY, join(DIST, 'commands/index.js')]);
const cjsBuild = await rolldown({
  input: { 'lookup-cli': ENTRY },
  platform: 'node',
  external: (id, importer) => isPackage(id) || (lookupLoaders.has(importer) && !shared.has(resolve(dirname(importer), id)) && resolve(dirname(importer), id) !== join(DIST, 'commands/lookup.js')),
  plugins: [moduleUrl('cjs')],
});
const cjsOutput = (
  await cjsBuild.write({
    dir: DIST,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    // Everything lookup imports statically in one chunk; its lazy parts (rDNS, RDAP...) stay apart.
    codeSplitting: { groups: [{ name: 'lookup', test: (id) => shared.has(id) || lookup.has(id) }] },
  })
).output;
await cjsBuild.close();

const build = await rolldown({ input: { cli: ENTRY }, platform: 'node', external: isPackage, plugins: [moduleUrl('esm')] });
const { output } = await build.write({
  dir: DIST,
  format: 'esm',
  banner: (chunk) => (chunk.isEntry ? BANNER : ''),
  chunkFileNames: 'chunks/[name]-[hash].js',
  codeSplitting: {
    groups: [
      { name: 'shared', test: (id) => shared.has(id), priority: 20 },
      { name: 'lookup', test: (id) => lookup.has(id), priority: 10 },
    ],
  },
});
await build.close();
console.log(`bundle-cli: dist/cli.js and ${output.length - 1} chunks; dist/lookup-cli.cjs and ${cjsOutput.length - 1} chunks; ${lookup.size + shared.size} modules on lookup's path`);
