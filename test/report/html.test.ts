// The HTML renderer without a browser: the page's structure, its CSP hashes, the
// JSON island and the escaping of hostile strings. test/report/html-browser.test.ts
// opens the same pages in Chromium.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../src/report/escape.js';
import { REMOTE_COLUMNS, type htmlPageData } from '../../src/report/renderers/html-data.js';
import { PAGE_SCRIPT } from '../../src/report/renderers/html-script.js';
import { STATIC_ROWS, renderHtml } from '../../src/report/renderers/html.js';
import { findRenderer } from '../../src/report/renderers/index.js';
import { HOSTILE, incidentReport } from './fixtures.js';
import { hostileHtmlReport, HOSTILE_HTML, locatedIncidentReport, RDAP_URL } from './html-fixtures.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

function inlineElements(html: string, tag: 'script' | 'style'): { attributes: string; body: string }[] {
  return [...html.matchAll(new RegExp(`<${tag}([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => ({ attributes: match[1] ?? '', body: match[2] ?? '' }));
}

function island(html: string): ReturnType<typeof htmlPageData> {
  const data = inlineElements(html, 'script').find((script) => script.attributes.includes('application/json'));
  return JSON.parse(data?.body ?? 'null') as ReturnType<typeof htmlPageData>;
}

describe('renderHtml', () => {
  it('is registered for --format html and .html files', async () => {
    const renderer = findRenderer('html');
    expect(renderer?.extension).toBe('.html');
    expect(await renderer?.render(incidentReport(), {})).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('admits exactly its own script and style through the CSP, and nothing from the network', () => {
    const html = renderHtml(incidentReport());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const scripts = inlineElements(html, 'script');
    expect(scripts).toHaveLength(3);
    const executable = scripts.filter((script) => !script.attributes.includes('application/json'));
    expect(executable).toHaveLength(2);
    expect(csp).toContain(`script-src ${executable.map((script) => `'sha256-${sha256(script.body)}'`).join(' ')};`);
    const styles = inlineElements(html, 'style');
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`style-src 'sha256-${sha256(styles[0]?.body ?? '')}'`);
    // No URL the browser would load: no src, no stylesheet link, no http(s) attribute except RDAP links the report makes.
    expect(html).not.toMatch(/\s(?:src|srcset|poster|data|action|formaction)=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('holds every remote in the JSON island and the heaviest in the plain table', () => {
    const report = locatedIncidentReport({ remotes: STATIC_ROWS + 20 });
    const html = renderHtml(report);
    const data = island(html);
    expect(data.remoteColumns).toEqual([...REMOTE_COLUMNS]);
    expect(data.remotes).toHaveLength(report.analysis.remotes.length);
    const ipColumn = REMOTE_COLUMNS.indexOf('ip');
    expect(data.remotes.map((row) => row[ipColumn])).toEqual(report.analysis.remotes.map((remote) => remote.ip));
    const countryColumn = REMOTE_COLUMNS.indexOf('countryName');
    expect(data.strings[data.remotes[0]?.[countryColumn] as number]).toBe('South Korea');
    // The map bubble of each remote: Seoul is place 0 (heaviest), the private address has none.
    const placeColumn = REMOTE_COLUMNS.indexOf('place');
    expect(data.remotes[0]?.[placeColumn]).toBe(0);
    expect(data.remotes.find((row) => row[ipColumn] === '10.1.2.3')?.[placeColumn]).toBe(-1);
    expect(data.places[0]).toMatchObject({ label: 'Seoul, KR', networks: [{ name: 'AS9488 Seoul National University' }] });
    const staticRows = [...html.matchAll(/<tr><td>(\d+\.\d+\.\d+\.\d+)<\/td>/g)].map((match) => match[1]);
    expect(staticRows).toHaveLength(STATIC_ROWS);
    expect(staticRows[0]).toBe('147.46.10.20');
    expect(html).toContain(`The ${STATIC_ROWS} heaviest of ${STATIC_ROWS + 20} remotes`);
  });

  it('puts the verdict and the indicators first, each linking to its evidence', () => {
    const html = renderHtml(incidentReport());
    const verdictAt = html.indexOf('id="verdict"');
    expect(verdictAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(html.indexOf('id="remotes"'));
    expect(html).toContain('<a href="#indicator-1"><span class="sev sev-high">high</span> connection-flood</a>');
    expect(html).toContain('<li id="indicator-1" class="indicator" data-indicator="0">');
    expect(html).toContain('<code>147.46.10.20</code>, <code>147.46.10.21</code>');
  });

  it('draws the timeline with the surge start marked, and the evidence block', () => {
    const html = renderHtml(incidentReport());
    expect(html).toContain('class="timeline-chart"');
    expect(html).toContain('surge starts (capture 2)');
    expect(html).toMatch(/<polyline class="series series-0" points="[\d., ]+"><title>prefix 147\.46\.0\.0\/16 Seoul National University: 0 → 150<\/title>/);
    expect(html).toContain(`<code class="hash">${'a'.repeat(64)}</code>`);
    expect(html).toContain('<td>GeoLite2-City (ip-location-db)</td><td>city</td><td>2026-06-17</td><td>CC BY-SA 4.0</td>');
    expect(html).toContain('<td>floodPerRemote</td><td>50</td>');
    expect(html).toContain('Report generated 2026-11-28 12:00:00 UTC');
  });

  it('leaves out the timeline and the map when there is nothing to draw', () => {
    const report = incidentReport();
    report.analysis.timeline = null;
    report.map = [];
    const html = renderHtml(report);
    expect(html).not.toContain('class="timeline-chart"');
    expect(html).not.toContain('id="map"');
  });

  it('keeps hostile strings inert in text, attributes and the JSON island', () => {
    const html = renderHtml(hostileHtmlReport());
    // The only elements are the page's own.
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((match) => match[1]?.toLowerCase()));
    for (const tag of ['img', 'iframe', 'b', 'object', 'embed', 'link', 'form', 'base']) expect(tags.has(tag), tag).toBe(false);
    expect(inlineElements(html, 'script')).toHaveLength(3);
    expect(inlineElements(html, 'style')).toHaveLength(1);
    // The one outside link: the https: RDAP record, without a referrer; the javascript: one stays text.
    expect([...html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>/g)].map((match) => match[0]).filter((tag) => !tag.includes('href="#'))).toEqual([
      `<a href="${RDAP_URL}" rel="noreferrer noopener" target="_blank">`,
    ]);
    expect(html).toContain('javascript:window.__pwned=2');
    expect(html).not.toMatch(/href="javascript:/i);
    // The sections the report has data for.
    for (const id of ['contacts', 'blocklists', 'hosts']) expect(html).toContain(`<section id="${id}"`);
    expect(html).toContain(`<code class="hash">${'c'.repeat(64)}</code>`);
    expect(html).toContain(escapeHtml(HOSTILE.city));
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    const data = inlineElements(html, 'script').find((script) => script.attributes.includes('application/json'))?.body ?? '';
    expect(data).not.toMatch(/[<>\u2028\u2029]/);
    expect(data).not.toContain('</script');
    // The island reads back to the same strings.
    const strings = island(html).strings;
    expect(strings).toContain(HOSTILE_HTML.scriptBreakout);
    expect(strings).toContain(HOSTILE_HTML.lineSeparator);
  });
});

describe('jsonForScript', () => {
  it('cannot end or comment out its script element, and parses back to the same value', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'line\u2028para\u2029end', d: 'a&b>c' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('the page script', () => {
  it('is valid JavaScript that cannot end its own element', () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).not.toMatch(/<\/script|<!--/i);
    // Data reaches the page only as text: no markup sinks in the script.
    expect(PAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});
