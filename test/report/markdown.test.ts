import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/renderers/markdown.js';
import { incidentReport, HOSTILE } from './fixtures.js';
import { markdownTables, markdownToHtml } from './markdown-check.js';

describe('renderMarkdown', () => {
  it('has every section of the issue, in order', () => {
    const markdown = renderMarkdown(incidentReport(), { mapHref: 'report.svg' });
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual([
      'Verdict', 'Indicators', 'Attribution summary', 'Countries', 'Institutions', 'Clusters', 'Remotes',
      'Timeline', 'Traceroute paths', 'Methodology', 'Data sources', 'Evidence',
    ]);
    expect(markdown.startsWith('# netsleuth report\n')).toBe(true);
    expect(markdown).toContain('Generated 2026-11-28 12:00:00 UTC');
    expect(markdown).toContain('![Map of connection sources](report.svg)');
  });

  it('every table parses back with the header column count', () => {
    const tables = markdownTables(renderMarkdown(incidentReport()));
    expect(tables.map((table) => table.header[0])).toEqual([
      'Severity', 'Country', 'Institution', 'Kind', 'Remote', '#', 'Cluster', 'TTL', 'Threshold', 'Source', 'Input',
    ]);
  });

  it('top remotes: rows in model order, with rDNS, place and institution', () => {
    const tables = markdownTables(renderMarkdown(incidentReport()));
    const remotes = tables.find((table) => table.header[0] === 'Remote');
    expect(remotes?.rows.map((row) => row[0])).toEqual(['147.46.10.20', '147.46.10.21', '203.0.113.7', '10.1.2.3']);
    const snu = remotes?.rows[1];
    expect(snu).toEqual([
      '147.46.10.21', '60', '30.0%', 'ESTABLISHED 30, SYN\\_RECV 30', '80 (60)', 'httpd (60)', 'ok', 'snu-host.snu.ac.kr',
      'KR South Korea', 'Seoul', 'AS9488', 'Seoul National University', 'Seoul National University (academic)',
    ]);
    expect(remotes?.rows[3]?.[8]).toBe('private (10.0.0.0/8)');
  });

  it('cuts the remotes table at topRemotes and says where the full list is', () => {
    const markdown = renderMarkdown(incidentReport({ remotes: 40 }), { topRemotes: 10 });
    expect(markdown).toContain('## Top remotes (10 of 40; JSON and CSV list all)');
    const remotes = markdownTables(markdown).find((table) => table.header[0] === 'Remote');
    expect(remotes?.rows).toHaveLength(10);
  });

  it('evidence lists every input with size, sha256, format and line counts', () => {
    const evidence = markdownTables(renderMarkdown(incidentReport())).find((table) => table.header[0] === 'Input');
    expect(evidence?.rows).toEqual([
      ['before.txt', 'capture', '1,234', 'a'.repeat(64), 'netstat-linux', '—', '2026-11-27 10:00:00 UTC', '25', '23', '2'],
      ['during.txt', 'capture', '20,480', 'b'.repeat(64), 'ss', '—', '—', '205', '203', '0'],
    ]);
  });

  it('names licences and attributions of the data sources', () => {
    const markdown = renderMarkdown(incidentReport());
    expect(markdown).toContain('CC BY-SA 4.0');
    expect(markdown).toContain('CC BY 4.0');
    expect(markdown).toContain('This product includes GeoLite2 data created by MaxMind');
  });

  it('shows a sparkline of connections per capture in the timeline', () => {
    expect(renderMarkdown(incidentReport())).toContain('Connections per capture: `▂█` (20 → 200)');
  });

  it('keeps hostile strings inert: no HTML, links, emphasis or broken tables', () => {
    const markdown = renderMarkdown(incidentReport({ hostile: true }));
    expect(markdown).not.toContain('\u001b');
    expect(() => markdownTables(markdown)).not.toThrow();
    const html = markdownToHtml(markdown);
    for (const tag of ['<script', '<img', '<b>', '<a ', '<em>', '<strong>', '<del>']) expect(html).not.toContain(tag);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The PTR cell shows the whole name literally, on one line.
    const remotes = markdownTables(markdown).find((table) => table.header[0] === 'Remote');
    const hostileRow = remotes?.rows.find((row) => row[0] === '203.0.113.7');
    const ptrCellHtml = markdownToHtml(hostileRow?.[7] ?? '');
    expect(ptrCellHtml).toContain('evil|name`&lt;script&gt;alert(1)&lt;/script&gt;`[x](http://e.example)*_~red second line');
    expect(HOSTILE.ptr).toContain('\n');
  });
});
