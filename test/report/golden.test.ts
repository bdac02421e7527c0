// Golden files: the reports of the samples in every format, byte for byte.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
// They do not depend on the machine (no DNS, no live trace, only the embedded geo data: the
// geoipupdate folders in /usr/share/GeoIP etc. are not probed; paths shown relative to the
// install), nor on the clock (fixed now). The command layer on top is tested in test/commands.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { openGeo } from '../../src/enrich/geo/index.js';
import { SYSTEM_GEO_DIRS } from '../../src/enrich/geo/user-databases.js';
import { investigate } from '../../src/pipeline.js';
import { findRenderer } from '../../src/report/renderers/index.js';
import { renderSvgMap } from '../../src/report/renderers/svg-map.js';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { markdownTables } from './markdown-check.js';

const GOLDEN_DIR = join(PROJECT_ROOT, 'test/report/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  name: string;
  inputs: string[];
  baseline?: string;
  traceFiles?: string[];
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
    inputs: ['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`),
    baseline: 'samples/incident/baseline.txt',
    traceFiles: ['samples/traces/traceroute-snu-silent.txt'],
    formats: ['md', 'json', 'csv'],
  },
  ...listSamples('samples/incident')
    .filter((path) => /\/(port-scan|syn-flood)\.txt$/.test(path))
    .map((path): GoldenCase => ({ name: `incident-${path.split('/').pop()?.replace(/\.\w+$/, '')}`, inputs: [path], formats: ['md', 'csv'] })),
  ...listSamples('samples/captures').map((path): GoldenCase => ({
    name: `captures-${path.split('/').pop()?.replace(/[^\w.-]/g, '_')}`,
    inputs: [path],
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

async function reportOf(goldenCase: GoldenCase) {
  const stderr = new PassThrough();
  const warnings: string[] = [];
  stderr.on('data', (chunk: Buffer) => warnings.push(chunk.toString()));
  const report = await investigate(
    {
      inputs: goldenCase.inputs,
      baseline: goldenCase.baseline ?? null,
      traceFiles: goldenCase.traceFiles ?? [],
      rdns: null,
      trace: false,
      now: new Date('2026-11-28T12:00:00Z'),
    },
    { stdin: Readable.from([]), stderr, env: {}, cwd: PROJECT_ROOT },
    { openGeo: (options) => openGeo({ ...options, systemGeoDirs: [] }) },
  );
  expect(warnings.join('')).toBe('');
  return report;
}

describe('golden reports of the samples', () => {
  it('has the incident sample', () => {
    expect(CASES.map((goldenCase) => goldenCase.name)).toContain('incident-timeline');
  });

  for (const goldenCase of CASES) {
    it(`${goldenCase.name}: ${goldenCase.formats.join(', ')}${goldenCase.name === 'incident-timeline' ? ', svg' : ''}`, async () => {
      const report = await reportOf(goldenCase);
      for (const format of goldenCase.formats) {
        const text = (await findRenderer(format)?.render(report, {})) ?? '';
        if (format === 'md') markdownTables(text);
        checkGolden(`${goldenCase.name}.${format}`, text);
      }
      if (goldenCase.name === 'incident-timeline') checkGolden('incident-timeline.svg', renderSvgMap(report));
    });
  }

  it('the command prints the same markdown as the golden (no geoipupdate folders here)', async () => {
    const incident = CASES[0];
    if (!incident || SYSTEM_GEO_DIRS.some((dir) => existsSync(dir))) return;
    const { code, stdout } = await runCli([
      'report', '--no-dns', '--now', '2026-11-28T12:00:00Z', ...incident.inputs,
      '--baseline', incident.baseline ?? '', '--traces', ...(incident.traceFiles ?? []),
    ]);
    expect(code).toBe(0);
    if (!UPDATE) expect(stdout).toBe(readFileSync(join(GOLDEN_DIR, 'incident-timeline.md'), 'utf8'));
  });
});
