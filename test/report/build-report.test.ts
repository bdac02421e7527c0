import { fileURLToPath } from 'node:url';
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
});
