import { describe, expect, it } from 'vitest';
import { renderSvgMap } from '../../src/report/renderers/svg-map.js';
import { incidentReport } from './fixtures.js';

const ALLOWED_ELEMENTS = new Set(['svg', 'title', 'rect', 'path', 'g', 'circle', 'text']);

describe('renderSvgMap', () => {
  it('draws one bubble per located place, the heaviest largest', () => {
    const svg = renderSvgMap(incidentReport());
    const circles = [...svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)" r="([\d.]+)" data-rank="(\d+)"><title>([^<]*)<\/title>/g)];
    expect(circles).toHaveLength(2);
    const byRank = new Map(circles.map((match) => [Number(match[4]), { r: Number(match[3]), title: match[5], x: Number(match[1]) }]));
    expect(byRank.get(1)?.title).toBe('Seoul, KR: 150 connections from 2 remotes');
    expect(byRank.get(2)?.title).toBe('Ashburn, US: 30 connections from 1 remote');
    expect(byRank.get(1)?.r).toBeGreaterThan(byRank.get(2)?.r ?? Infinity);
    // Seoul (126.98 E) lies east of Ashburn (77.49 W).
    expect(byRank.get(1)?.x).toBeGreaterThan(byRank.get(2)?.x ?? Infinity);
    expect(svg).toContain('180 of 200 connections located at 2 places');
  });

  it('contains only the expected elements and escapes hostile labels', () => {
    const svg = renderSvgMap(incidentReport({ hostile: true }));
    const elements = new Set([...svg.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((match) => match[1]));
    expect([...elements].filter((name) => name !== undefined && !ALLOWED_ELEMENTS.has(name))).toEqual([]);
    expect(svg).toContain('+Seoul &lt;img src=x onerror=alert(1)&gt;, US');
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('says so when nothing was located', () => {
    const report = incidentReport();
    report.map = [];
    const svg = renderSvgMap(report);
    expect(svg).not.toContain('<circle');
    expect(svg).toContain('No remote address could be located.');
  });
});
