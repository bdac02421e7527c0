// Any attacker-controlled text, in any field it can reach, leaves every format's structure intact.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { renderCsv, CSV_COLUMNS } from '../../src/report/renderers/csv.js';
import { renderJson } from '../../src/report/renderers/json.js';
import { renderMarkdown } from '../../src/report/renderers/markdown.js';
import { renderSvgMap } from '../../src/report/renderers/svg-map.js';
import { incidentReport } from './fixtures.js';
import { markdownTables, markdownToHtml } from './markdown-check.js';

const ALLOWED_SVG = new Set(['svg', 'title', 'rect', 'path', 'g', 'circle', 'text']);
const ALLOWED_HTML = new Set(['h1', 'h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'code']);

function hostileReport(texts: string[]) {
  const report = incidentReport();
  const [ptr = '', asOrg = '', program = '', city = '', path = ''] = texts;
  const remote = report.analysis.remotes[2];
  if (remote) {
    remote.rdns = { ...remote.rdns, names: [ptr] };
    remote.asOrg = asOrg;
    remote.programs = [{ program, connections: 1 }];
    remote.city = city;
  }
  if (report.map?.[1]) report.map[1].city = city;
  if (report.inputs[0]) report.inputs[0].path = path;
  return report;
}

describe('renderers with arbitrary untrusted text', () => {
  it('keep tables, CSV rows, JSON and SVG structure intact', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { minLength: 5, maxLength: 5 }), (texts) => {
        const report = hostileReport(texts);
        const markdown = renderMarkdown(report);
        markdownTables(markdown);
        const tags = [...markdownToHtml(markdown).matchAll(/<([a-z][a-z0-9]*)/g)].map((match) => match[1] ?? '');
        expect(tags.filter((tag) => !ALLOWED_HTML.has(tag))).toEqual([]);
        expect(markdown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);

        const rows = Papa.parse<string[]>(renderCsv(report), { skipEmptyLines: true }).data;
        expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
        for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

        expect(() => JSON.parse(renderJson(report))).not.toThrow();

        const svg = renderSvgMap(report);
        const elements = [...svg.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((match) => match[1] ?? '');
        expect(elements.filter((name) => !ALLOWED_SVG.has(name))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
