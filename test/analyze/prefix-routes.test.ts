// Prefix clusters stay inside announced routes: every prefix cluster of every sample's report
// (and of real captures from ../shared/fixtures), at the default threshold and at fine ones, is
// no coarser than the route (from the embedded ASN data) of each address it holds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGeo, type GeoService } from '../../src/enrich/geo/index.js';
import { parseCidr } from '../../src/net/ip-range.js';
import { addressToBigInt } from '../../src/net/ip-range.js';
import { investigate } from '../../src/pipeline.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && keep(path))
    .sort();
}

const SAMPLES = filesUnder(join(PROJECT_ROOT, 'samples'), (path) => /^samples\/(incident|captures|fleet)\//.test(relative(PROJECT_ROOT, path)) && /\.(txt|log|csv|json)$/.test(path) && !path.includes('/registry/'));
const REAL = filesUnder(join(FIXTURES, 'real/jc'), (path) => /\/netstat(-[^ir][^/]*)?\.out$/.test(path)).concat(filesUnder(join(FIXTURES, 'real/parse-netstat'), (path) => !/\.(json|md)$/.test(path)));

let geo: GeoService;
let walked = 0;
beforeAll(async () => {
  geo = await openGeo({ env: {}, systemGeoDirs: [] });
});
afterAll(() => geo?.close());

async function clustersOf(path: string, threshold: number) {
  const stderr = new PassThrough();
  stderr.resume();
  const report = await investigate(
    { inputs: [path], rdns: null, trace: false, traceFiles: [], baseline: null, now: new Date('2026-11-28T12:00:00Z'), analysis: { clusterThreshold: threshold } },
    { stdin: Readable.from([]), stderr, env: {}, cwd: PROJECT_ROOT },
    { openGeo: async () => ({ ...geo, close() {} }) },
  );
  return report.analysis;
}

describe('prefix clusters inside announced routes', () => {
  it('has samples and real captures to walk', () => {
    expect(SAMPLES.length).toBeGreaterThan(10);
    expect(REAL.length).toBeGreaterThan(3);
  });

  for (const path of [...SAMPLES, ...REAL]) {
    it(relative(PROJECT_ROOT, path), async () => {
      let prefixes = 0;
      for (const threshold of [0.1, 0.02, 0.001]) {
        const analysis = await clustersOf(path, threshold);
        for (const cluster of analysis.clusters) {
          if (cluster.kind !== 'prefix') continue;
          prefixes++;
          const block = parseCidr(cluster.key);
          expect(block, cluster.key).not.toBeNull();
          const length = Number(cluster.key.slice(cluster.key.indexOf('/') + 1));
          const bits = block!.version === 4 ? 32 : 128;
          let inside = 0;
          for (const remote of analysis.remotes) {
            const address = addressToBigInt(remote.ip);
            if (!address || address.version !== block!.version || address.value < block!.start || address.value > block!.end) continue;
            inside++;
            const route = geo.route!(remote.ip);
            // No route: the address is never aggregated.
            expect(length, `${cluster.key} holds ${remote.ip} (route ${route ? route.length : 'none'})`).toBeGreaterThanOrEqual(route ? route.length : bits);
          }
          expect(inside, cluster.key).toBeGreaterThan(0);
          // Nobody owns a /1-/7: such a prefix is never labelled with an institution.
          if (length < 8 && block!.version === 4) expect(cluster.label).toBe('unattributed');
        }
      }
      walked += prefixes;
    });
  }

  it('walked prefix clusters at all', () => {
    expect(walked).toBeGreaterThan(50);
  });

  it('names Seoul National University\'s route in the incident sample', async () => {
    const analysis = await clustersOf(join(PROJECT_ROOT, 'samples/incident/incident-04.txt'), 0.1);
    const prefixes = analysis.clusters.filter((cluster) => cluster.kind === 'prefix');
    expect(prefixes.length).toBeGreaterThan(0);
    const snu = prefixes.filter((cluster) => cluster.key.startsWith('147.46.'));
    expect(snu.length).toBeGreaterThan(0);
    for (const cluster of snu) {
      expect(Number(cluster.key.split('/')[1])).toBeGreaterThanOrEqual(16);
      expect(cluster.label).toMatch(/^AS9488 Seoul National University/);
    }
  });
});
