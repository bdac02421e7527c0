// Golden files: the reports of the samples in every format, byte for byte.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
// They do not depend on the machine (--no-dns, no live trace, embedded geo data shown
// relative to the install), nor on the clock (--now).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { markdownTables } from './markdown-check.js';

const GOLDEN_DIR = join(PROJECT_ROOT, 'test/report/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FIXED = ['--no-dns', '--no-trace', '--now', '2026-11-28T12:00:00Z'];

interface GoldenCase {
  name: string;
  args: string[];
  formats: ('md' | 'json' | 'csv')[];
}

function listSamples(dir: string): string[] {
  const full = join(PROJECT_ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => !name.endsWith('.md') && !name.endsWith('.mjs') && !name.startsWith('.'))
    .sort()
    .map((name) => `${dir}/${name}`);
}

const CASES: GoldenCase[] = [
  {
    name: 'incident-timeline',
    args: [
      ...['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`),
      '--baseline', 'samples/incident/baseline.txt',
      '--traces', 'samples/traces/traceroute-snu-silent.txt',
    ],
    formats: ['md', 'json', 'csv'],
  },
  ...listSamples('samples/incident')
    .filter((path) => /\/(port-scan|syn-flood)\.txt$/.test(path))
    .map((path): GoldenCase => ({ name: `incident-${path.split('/').pop()?.replace(/\.\w+$/, '')}`, args: [path], formats: ['md', 'csv'] })),
  ...listSamples('samples/captures').map((path): GoldenCase => ({
    name: `captures-${path.split('/').pop()?.replace(/[^\w.-]/g, '_')}`,
    args: [path],
    formats: ['md', 'json', 'csv'],
  })),
];

function checkGolden(file: string, actual: string): void {
  const path = join(GOLDEN_DIR, file);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden ${file}: run UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts and review the diff`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden reports of the samples', () => {
  it('has the incident sample', () => {
    expect(CASES.map((goldenCase) => goldenCase.name)).toContain('incident-timeline');
  });

  for (const goldenCase of CASES) {
    for (const format of goldenCase.formats) {
      it(`${goldenCase.name}.${format}`, async () => {
        const { code, stdout, stderr } = await runCli(['report', ...FIXED, '--format', format, ...goldenCase.args]);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        if (format === 'md') markdownTables(stdout);
        checkGolden(`${goldenCase.name}.${format}`, stdout);
      });
    }
  }

  it('incident-timeline.svg', async () => {
    const { renderSvgMap } = await import('../../src/report/renderers/svg-map.js');
    const { investigate } = await import('../../src/pipeline.js');
    const { Readable, PassThrough } = await import('node:stream');
    const incident = CASES[0];
    const report = await investigate(
      {
        inputs: ['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`),
        baseline: 'samples/incident/baseline.txt',
        rdns: null,
        trace: false,
        now: new Date('2026-11-28T12:00:00Z'),
      },
      { stdin: Readable.from([]), stderr: new PassThrough(), env: {}, cwd: PROJECT_ROOT },
    );
    expect(incident?.name).toBe('incident-timeline');
    checkGolden('incident-timeline.svg', renderSvgMap(report));
  });
});
