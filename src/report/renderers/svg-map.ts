// Report -> an SVG world map of the connection sources: countries from
// world-atlas (Natural Earth 1:110m) in an Equal Earth projection, one bubble per
// located place, area proportional to connections. Labels are XML-escaped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Report } from '../../model/report.js';
import { escapeXml } from '../escape.js';
import { formatCount } from '../format.js';

export const MAP_WIDTH_PX = 960;
export const MAP_HEIGHT_PX = 500;
const MAX_BUBBLE_RADIUS_PX = 28;
const MIN_BUBBLE_RADIUS_PX = 2.5;
/** Bubbles drawn; the rest are summed in the caption (keeps the file small). */
export const MAX_BUBBLES = 500;

let countriesPath: string | null = null;

/** The country outlines as one SVG path, computed once per process (deterministic). */
function countryOutlines(): string {
  if (countriesPath !== null) return countriesPath;
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology<{ countries: GeometryCollection }>;
  const countries = feature(topology, topology.objects.countries);
  const path = geoPath(projection()).digits(1);
  countriesPath = path(countries) ?? '';
  return countriesPath;
}

function projection() {
  return geoEqualEarth().fitExtent(
    [
      [8, 8],
      [MAP_WIDTH_PX - 8, MAP_HEIGHT_PX - 40],
    ],
    { type: 'Sphere' },
  );
}

const round1 = (value: number): string => (Math.round(value * 10) / 10).toFixed(1);

export function renderSvgMap(report: Report): string {
  const points = report.map ?? [];
  const project = projection();
  const sphere = geoPath(project).digits(1)({ type: 'Sphere' }) ?? '';
  const maxConnections = Math.max(1, ...points.map((point) => point.connections));
  const drawn = points.slice(0, MAX_BUBBLES);
  const located = points.reduce((sum, point) => sum + point.connections, 0);
  const bubbles = drawn
    // Small bubbles on top of big ones so every place stays hoverable.
    .map((point, rank) => ({ point, rank }))
    .reverse()
    .map(({ point, rank }) => {
      const xy = project([point.longitude, point.latitude]);
      if (!xy) return '';
      const radius = Math.max(MIN_BUBBLE_RADIUS_PX, MAX_BUBBLE_RADIUS_PX * Math.sqrt(point.connections / maxConnections));
      const place = [point.city, point.country].filter((part): part is string => Boolean(part)).join(', ') || 'unknown place';
      const label = `${place}: ${formatCount(point.connections)} connections from ${formatCount(point.remotes)} remote${point.remotes === 1 ? '' : 's'}`;
      return `<circle cx="${round1(xy[0])}" cy="${round1(xy[1])}" r="${round1(radius)}" data-rank="${rank + 1}"><title>${escapeXml(label)}</title></circle>`;
    })
    .filter(Boolean);
  const caption = points.length === 0
    ? 'No remote address could be located.'
    : `${formatCount(located)} of ${formatCount(report.analysis.totals.connections)} connections located at ${formatCount(points.length)} places` +
      (points.length > drawn.length ? ` (${formatCount(drawn.length)} largest drawn)` : '') +
      `. Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version}.`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_WIDTH_PX} ${MAP_HEIGHT_PX}" width="${MAP_WIDTH_PX}" height="${MAP_HEIGHT_PX}" role="img" aria-labelledby="map-title">`,
    `<title id="map-title">${escapeXml(`Connection sources (${report.tool.name} report)`)}</title>`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<path d="${sphere}" fill="#eef4fa" stroke="#b8c7d6" stroke-width="0.5"/>`,
    `<path d="${countryOutlines()}" fill="#d9dde2" stroke="#ffffff" stroke-width="0.4"/>`,
    `<g fill="#c0392b" fill-opacity="0.55" stroke="#7b241c" stroke-width="0.6">`,
    ...bubbles,
    '</g>',
    `<text x="${MAP_WIDTH_PX / 2}" y="${MAP_HEIGHT_PX - 14}" font-family="sans-serif" font-size="13" text-anchor="middle" fill="#333333">${escapeXml(caption, 1000)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
