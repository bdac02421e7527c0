#!/usr/bin/env node
// The `netsleuth` command (package.json bin). `lookup` starts from a CommonJS bundle of just
// what it needs (dist/lookup-cli.cjs, src/build/bundle-cli.mjs): Node's ES module loader costs
// some 15 ms of a one-address lookup before any of our code runs (its own start, the async
// reads, the facades of node: modules), and `lookup` is the command run once per address.
// Every other command, and lookup when that bundle is absent (tsc output only), runs the ES
// module CLI (cli.js) as before.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface Cli {
  runProcess(argv: string[]): void;
}

const argv = process.argv.slice(2);
const lookupBundle = join(__dirname, 'lookup-cli.cjs');
if (argv.find((arg) => arg !== '--debug') === 'lookup' && existsSync(lookupBundle)) {
  (require(lookupBundle) as Cli).runProcess(argv);
} else {
  void import('./cli.js').then((cli: Cli) => cli.runProcess(argv));
}
