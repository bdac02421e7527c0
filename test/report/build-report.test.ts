import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, mapPoints } from '../../src/report/build-report.js';
import { incidentAnalysis, incidentAttributions } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN = { dns: false, trace: false, dnsServers: [], baseline: null };

describe('buildReport', () => {
  it('stamps schema, tool and the given time', () => {
    const report = buildReport(incidentAnalysis(), [], [], RUN, new Date('2026-11-28T12:00:00Z'));
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('netsleuth');
    expect(report.generatedAt).toBe('2026-11-28T12:00:00.000Z');
  });

  it('lists each data source once, with install paths made relative', () => {
    const source = { id: 'city', name: 'City', kind: 'city' as const, path: `${ROOT}node_modules/x/city.mmdb, ${ROOT}node_modules/x/city6.mmdb`, buildDate: null, licence: 'L', attribution: 'A' };
    const user = { ...source, id: 'user', path: '/srv/geo/GeoIP2-City.mmdb' };
    const report = buildReport(incidentAnalysis(), [], [source, user, source], RUN, new Date(0));
    expect(report.dataSources.map((entry) => entry.path)).toEqual(['node_modules/x/city.mmdb, node_modules/x/city6.mmdb', '/srv/geo/GeoIP2-City.mmdb']);
  });
});

describe('mapPoints', () => {
  it('groups remotes located at the same place, heaviest first', () => {
    const analysis = incidentAnalysis();
    const points = mapPoints(analysis, incidentAttributions(analysis));
    expect(points).toEqual([
      { latitude: 37.5665, longitude: 126.978, country: 'KR', city: 'Seoul', connections: 150, remotes: 2 },
      { latitude: 39.0438, longitude: -77.4874, country: 'US', city: 'Ashburn', connections: 30, remotes: 1 },
    ]);
  });

  it('falls back to the coordinates on the remote profile', () => {
    const analysis = incidentAnalysis();
    const first = analysis.remotes[0];
    if (first) Object.assign(first, { latitude: 10, longitude: 20 });
    expect(mapPoints(analysis, new Map())).toEqual([{ latitude: 10, longitude: 20, country: 'KR', city: 'Seoul', connections: 90, remotes: 1 }]);
  });

  it('equals grouping by the coordinates themselves (-0 and 0 one place), named after the first remote of each place', () => {
    const coordinate = fc.constantFrom(0, -0, 1.5, -1.5, 37.5665, Number.NaN, null);
    fc.assert(
      fc.property(fc.array(fc.record({ latitude: coordinate, longitude: coordinate, connections: fc.integer({ min: 1, max: 5 }), city: fc.constantFrom('A', 'B', null) }), { maxLength: 30 }), (shapes) => {
        const analysis = incidentAnalysis();
        const base = analysis.remotes[0]!;
        analysis.remotes = shapes.map((shape, index) => ({ ...base, ip: `192.0.2.${index}`, connections: shape.connections, latitude: shape.latitude, longitude: shape.longitude, city: shape.city }));
        // The plain way: one bubble per distinct (latitude, longitude), in order of first appearance.
        const expected: { latitude: number; longitude: number; country: string | null; city: string | null; connections: number; remotes: number }[] = [];
        for (const remote of analysis.remotes) {
          const { latitude, longitude } = remote;
          if (latitude === null || latitude === undefined || longitude === null || longitude === undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
          const point = expected.find((candidate) => candidate.latitude === latitude && candidate.longitude === longitude);
          if (point) {
            point.connections += remote.connections;
            point.remotes += 1;
          } else expected.push({ latitude, longitude, country: remote.country, city: remote.city, connections: remote.connections, remotes: 1 });
        }
        expected.sort((a, b) => b.connections - a.connections || b.remotes - a.remotes || a.latitude - b.latitude || a.longitude - b.longitude);
        const points = mapPoints(analysis, new Map());
        expect(points).toEqual(expected);
        // -0 kept as the first remote had it (toEqual tells 0 from -0).
        expect(points.map((point) => Object.is(point.latitude, -0))).toEqual(expected.map((point) => Object.is(point.latitude, -0)));
      }),
      { numRuns: 300 },
    );
  });
});
