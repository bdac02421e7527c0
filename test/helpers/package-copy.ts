// A copy of the built package with one part of dist/ taken away (a checkout where a build step did
// not run or could not), for the tests that show the CLI still answers the same without it.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './run-cli.js';

/** Runs `use` on a temporary copy of dist/ and package.json (node_modules and geo-data linked) without `missing`; the copy is removed after. */
export function withPackageCopyWithout<T>(missing: string, use: (copy: string) => T): T {
  const copy = mkdtempSync(join(tmpdir(), 'netsleuth-package-'));
  try {
    cpSync(join(PROJECT_ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    symlinkSync(join(PROJECT_ROOT, 'geo-data'), join(copy, 'geo-data'), 'dir');
    rmSync(join(copy, missing), { recursive: true, force: true });
    return use(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
