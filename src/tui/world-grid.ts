// A coarse ASCII world: which cells of an equirectangular cols×rows grid are
// land (world-atlas land-110m, tested with d3-geo), and where a remote falls.
// Remotes without coordinates fall back to their country's centroid by name.
import { createRequire } from 'node:module';
import { geoCentroid } from 'd3-geo';
import { feature } from 'topojson-client';
import type { RemoteProfile } from '../model/analysis.js';

const require = createRequire(import.meta.url);

// Latitudes beyond these carry no remotes worth a row (Antarctica, the Arctic).
export const MAP_NORTH = 80;
export const MAP_SOUTH = -58;

type Topology = Parameters<typeof feature>[0];
let landCache: GeoJSON.FeatureCollection | GeoJSON.Feature | null = null;
let centroidCache: Map<string, [number, number]> | null = null;
const gridCache = new Map<string, boolean[][]>();

function land(): GeoJSON.FeatureCollection | GeoJSON.Feature {
  if (!landCache) {
    const topology = require('world-atlas/land-110m.json') as Topology & { objects: { land: Parameters<typeof feature>[1] } };
    landCache = feature(topology, topology.objects.land) as GeoJSON.FeatureCollection | GeoJSON.Feature;
  }
  return landCache;
}

// GeoLite names that world-atlas spells differently.
const NAME_ALIASES: Record<string, string> = {
  'United States': 'United States of America',
  'Bosnia and Herzegovina': 'Bosnia and Herz.',
  'Dominican Republic': 'Dominican Rep.',
  'Democratic Republic of the Congo': 'Dem. Rep. Congo',
};

/** Centroid [lon, lat] of a country by its English name, or null. */
export function countryCentroid(countryName: string): [number, number] | null {
  if (!centroidCache) {
    const topology = require('world-atlas/countries-110m.json') as Topology & { objects: { countries: Parameters<typeof feature>[1] } };
    const countries = feature(topology, topology.objects.countries) as GeoJSON.FeatureCollection;
    centroidCache = new Map();
    for (const country of countries.features) {
      const name = (country.properties as { name?: string } | null)?.name;
      if (name) centroidCache.set(name.toLowerCase(), geoCentroid(country) as [number, number]);
    }
  }
  return centroidCache.get((NAME_ALIASES[countryName] ?? countryName).toLowerCase()) ?? null;
}

export function cellOf(longitude: number, latitude: number, cols: number, rows: number): { col: number; row: number } | null {
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude) || latitude > MAP_NORTH || latitude < MAP_SOUTH) return null;
  const col = Math.min(cols - 1, Math.max(0, Math.floor(((longitude + 180) / 360) * cols)));
  const row = Math.min(rows - 1, Math.max(0, Math.floor(((MAP_NORTH - latitude) / (MAP_NORTH - MAP_SOUTH)) * rows)));
  return { col, row };
}

interface Ring {
  points: [number, number][];
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

let ringsCache: Ring[] | null = null;

/** Land outlines as planar lon/lat rings with bounding boxes (a coarse map needs no spherical maths). */
function landRings(): Ring[] {
  if (ringsCache) return ringsCache;
  const shape = land();
  const geometries = 'features' in shape ? shape.features.map((entry) => entry.geometry) : [shape.geometry];
  const rings: Ring[] = [];
  for (const geometry of geometries) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        const points = ring.map((position) => [position[0] ?? 0, position[1] ?? 0] as [number, number]);
        const lons = points.map((point) => point[0]);
        const lats = points.map((point) => point[1]);
        rings.push({ points, minLon: Math.min(...lons), maxLon: Math.max(...lons), minLat: Math.min(...lats), maxLat: Math.max(...lats) });
      }
    }
  }
  ringsCache = rings;
  return rings;
}

/** Land mask for a grid (memoised per size): per row, the even-odd crossings of every ring edge with that latitude. */
export function landGrid(cols: number, rows: number): boolean[][] {
  const key = `${cols}x${rows}`;
  const cached = gridCache.get(key);
  if (cached) return cached;
  const rings = landRings();
  const grid: boolean[][] = [];
  for (let row = 0; row < rows; row++) {
    const latitude = MAP_NORTH - ((row + 0.5) / rows) * (MAP_NORTH - MAP_SOUTH);
    const crossings: number[] = [];
    for (const ring of rings) {
      if (latitude < ring.minLat || latitude > ring.maxLat) continue;
      const points = ring.points;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i]!;
        const [xj, yj] = points[j]!;
        if (yi > latitude !== yj > latitude) crossings.push(((xj - xi) * (latitude - yi)) / (yj - yi) + xi);
      }
    }
    crossings.sort((a, b) => a - b);
    const line: boolean[] = [];
    let next = 0;
    for (let col = 0; col < cols; col++) {
      const longitude = ((col + 0.5) / cols) * 360 - 180;
      while (next < crossings.length && crossings[next]! <= longitude) next++;
      // An odd number of crossings to the west: inside land.
      line.push(next % 2 === 1);
    }
    grid.push(line);
  }
  gridCache.set(key, grid);
  return grid;
}

export interface MapPoint {
  col: number;
  row: number;
  connections: number;
  remotes: number;
  /** Most connected place in the cell, for the legend. */
  label: string;
}

/** Remotes aggregated per cell, heaviest first. */
export function plotRemotes(remotes: readonly RemoteProfile[], cols: number, rows: number): { points: MapPoint[]; unplaced: number } {
  const cells = new Map<number, MapPoint & { labelConnections: Map<string, number> }>();
  const centroids = new Map<string, [number, number] | null>();
  let unplaced = 0;
  for (const remote of remotes) {
    let longitude = remote.longitude ?? null;
    let latitude = remote.latitude ?? null;
    if (longitude === null || latitude === null) {
      const name = remote.countryName;
      if (name) {
        if (!centroids.has(name)) centroids.set(name, countryCentroid(name));
        const centroid = centroids.get(name) ?? null;
        if (centroid) [longitude, latitude] = centroid;
      }
    }
    const position = longitude === null || latitude === null ? null : cellOf(longitude, latitude, cols, rows);
    if (!position) {
      unplaced += remote.connections;
      continue;
    }
    const key = position.row * cols + position.col;
    let point = cells.get(key);
    if (!point) {
      point = { ...position, connections: 0, remotes: 0, label: '', labelConnections: new Map() };
      cells.set(key, point);
    }
    point.connections += remote.connections;
    point.remotes += 1;
    const label = [remote.city, remote.country].filter(Boolean).join(', ') || remote.countryName || '?';
    point.labelConnections.set(label, (point.labelConnections.get(label) ?? 0) + remote.connections);
  }
  const points = [...cells.values()].map(({ labelConnections, ...point }) => {
    const best = [...labelConnections.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    return { ...point, label: best?.[0] ?? '?' };
  });
  points.sort((a, b) => b.connections - a.connections || a.row - b.row || a.col - b.col);
  return { points, unplaced };
}
