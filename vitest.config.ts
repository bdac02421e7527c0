import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Two projects over one tree of tests (`npm test` runs both):
//   unit: pure modules in-process; no command run end to end, no child process, no real service.
//         `npm run test:unit` takes seconds and needs no build.
//   e2e:  everything else: commands through runCli/runBin, the compiled binary, tmux, network
//         namespaces, knot, chromium, ClickHouse.
// A file is e2e when its source does one of those things: the split follows the code, so a new
// test file lands on the right side without anyone editing a list.
const E2E_SOURCE = /\brun(?:Cli|Bin)\(|node:child_process|\btmux\b|netns|support\/knot|inject\('dnsServer'\)|playwright|chromium|clickhouse-server|support\/clickhouse/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const e2eFiles = testFiles('test').filter((file) => E2E_SOURCE.test(readFileSync(file, 'utf8')));

export default defineConfig({
  test: {
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each worker points NETSLEUTH_DNS_SERVER at its project's loopback server (see global-setup.ts).
    setupFiles: ['test/dns-server-env.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['dist/**', 'node_modules/**', ...e2eFiles], globalSetup: ['test/global-setup.ts'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: e2eFiles, globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
