// Analysis + evidence -> the one Report every renderer reads. Renderers format
// this model and never recompute; anything they show is computed here or in analyze/.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../model/analysis.js';
import type { DataSource, IpAttribution } from '../model/attribution.js';
import type { CaptureInfo } from '../model/connection.js';
import { REPORT_SCHEMA_VERSION, type MapPoint, type Report } from '../model/report.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export type ReportRun = Report['run'];

export function buildReport(
  analysis: Analysis,
  inputs: CaptureInfo[],
  dataSources: DataSource[],
  run: ReportRun,
  now: Date,
  attributions?: ReadonlyMap<string, IpAttribution>,
  baselineInputs?: CaptureInfo[],
): Report {
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: now.toISOString(),
    inputs,
    dataSources: dedupeSources(dataSources).map((source) => ({ ...source, path: displayPath(source.path) })),
    analysis,
    run,
  };
  if (baselineInputs && baselineInputs.length > 0) report.baselineInputs = baselineInputs;
  report.map = mapPoints(analysis, attributions ?? new Map());
  return report;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Embedded databases live under the install directory, which differs per machine:
 * show them relative to it so the same inputs give the same report everywhere.
 * Paths the user chose (--geo-dir) stay as they are.
 */
function displayPath(path: string): string {
  return path
    .split(', ')
    .map((part) => (part.startsWith(PACKAGE_ROOT) ? relative(PACKAGE_ROOT, part) : part))
    .join(', ');
}

/** The same database can be opened for two fields (city + ASN): list it once. */
function dedupeSources(sources: DataSource[]): DataSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.id}\u0000${source.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Remotes grouped by their located coordinates (city centroids in GeoLite2), heaviest first.
 * Coordinates come from the attribution, else from the profile (RemoteProfile.latitude/longitude).
 */
export function mapPoints(analysis: Analysis, attributions: ReadonlyMap<string, IpAttribution>): MapPoint[] {
  // Remotes at the same coordinates meet by sorting the located ones by (latitude, longitude,
  // position): no key per remote, and the first of each run is the place's heaviest remote.
  const remotes = analysis.remotes;
  const latitudes = new Float64Array(remotes.length);
  const longitudes = new Float64Array(remotes.length);
  const located: number[] = [];
  for (let index = 0; index < remotes.length; index++) {
    const remote = remotes[index]!;
    const attribution = attributions.get(remote.ip);
    const latitude = attribution?.latitude ?? remote.latitude ?? null;
    const longitude = attribution?.longitude ?? remote.longitude ?? null;
    if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
    latitudes[index] = latitude;
    longitudes[index] = longitude;
    located.push(index);
  }
  located.sort((a, b) => latitudes[a]! - latitudes[b]! || longitudes[a]! - longitudes[b]! || a - b);
  const points: MapPoint[] = [];
  for (let from = 0; from < located.length; ) {
    const first = located[from]!;
    const latitude = latitudes[first]!;
    const longitude = longitudes[first]!;
    // The bubble keeps the name of its heaviest remote's place (the first of the run).
    const remote = remotes[first]!;
    const attribution = attributions.get(remote.ip);
    const point: MapPoint = {
      latitude,
      longitude,
      country: remote.country ?? attribution?.country ?? null,
      city: remote.city ?? attribution?.city ?? null,
      connections: 0,
      remotes: 0,
    };
    // -0 and 0 are one place (=== says so, as Map keys did).
    let to = from;
    while (to < located.length && latitudes[located[to]!] === latitude && longitudes[located[to]!] === longitude) {
      point.connections += remotes[located[to]!]!.connections;
      point.remotes += 1;
      to++;
    }
    points.push(point);
    from = to;
  }
  return points.sort(
    (a, b) => b.connections - a.connections || b.remotes - a.remotes || a.latitude - b.latitude || a.longitude - b.longitude,
  );
}
