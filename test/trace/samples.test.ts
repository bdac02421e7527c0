// Every trace in samples/traces/ reads cleanly with the format it claims.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/trace/read.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

const DIR = join(PROJECT_ROOT, 'samples/traces');
const EXPECTED: Record<string, { format: string; reached: boolean; hops: number }> = {
  'traceroute-snu-silent.txt': { format: 'traceroute', reached: false, hops: 10 },
  'mtr-report-snu-silent.txt': { format: 'mtr-report', reached: false, hops: 7 },
  'netns-traceroute-n.txt': { format: 'traceroute', reached: true, hops: 3 },
  'netns-traceroute-silent.txt': { format: 'traceroute', reached: false, hops: 6 },
  'netns-mtr-report.txt': { format: 'mtr-report', reached: true, hops: 3 },
  'netns-tracepath-n.txt': { format: 'tracepath', reached: true, hops: 3 },
};

describe('samples/traces', () => {
  it('has an expectation for every sample', () => expect(readdirSync(DIR).sort()).toEqual(Object.keys(EXPECTED).sort()));
  it.each(Object.entries(EXPECTED))('%s', async (file, expected) => {
    const result = await readTraceFile(join(DIR, file));
    expect(result.diagnostics).toEqual([]);
    expect(result.paths).toHaveLength(1);
    expect(result.paths[0]).toMatchObject({ format: expected.format, reached: expected.reached });
    expect(result.paths[0]!.hops).toHaveLength(expected.hops);
  });
});
