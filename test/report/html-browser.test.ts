// The HTML report in a real headless Chromium (Debian's chromium, driven by
// playwright-core): what a person sees and can do, that no script but the page's
// own runs, and that the page asks nothing of the network. One browser for the file.
// Screenshots of each view go to .cache/html-report/ (gitignored) for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { connectionHasPeer } from '../../src/capture/row-index.js';
import { renderHtml } from '../../src/report/renderers/html.js';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { hostileHtmlReport, HOSTILE_HTML, locatedIncidentReport, RDAP_URL } from './html-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`SKIP: ${CHROMIUM} not installed — HTML report browser tests skipped (apt-get install chromium)`);

export const SCREENSHOTS = join(PROJECT_ROOT, '.cache', 'html-report');
const INCIDENT = ['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`);

interface Watched {
  page: Page;
  context: BrowserContext;
  requests: string[];
  errors: string[];
  dialogs: string[];
}

describe.skipIf(!HAVE_CHROMIUM)('the HTML report in Chromium', { timeout: 90_000 }, () => {
  let browser: Browser;
  let dir: string;
  let incidentFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netsleuth-html-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    incidentFile = join(dir, 'incident.html');
    const result = await runCli(['report', '--no-dns', '--now', '2026-11-28T12:00:00Z', ...INCIDENT, '-o', incidentFile]);
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, options: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark' } = {}): Promise<Watched> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = await context.newPage();
    const watched: Watched = { page, context, requests: [], errors: [], dialogs: [] };
    page.on('request', (request) => watched.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') watched.errors.push(message.text());
    });
    page.on('pageerror', (error) => watched.errors.push(error.message));
    page.on('dialog', (dialog) => {
      watched.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`file://${file}`);
    if (options.javaScriptEnabled !== false) await page.waitForSelector('html[data-ready]');
    return watched;
  }

  const cellTexts = (page: Page, grid: string, column: number): Promise<string[]> =>
    page.locator(`#grid-${grid} tbody tr[data-k] td:nth-child(${column})`).allTextContents();

  it('shows South Korea and Seoul National University on top, and loads nothing but the file', async () => {
    const { page, context, requests, errors } = await open(incidentFile);
    expect((await cellTexts(page, 'countries', 2))[0]).toBe('South Korea');
    expect((await cellTexts(page, 'institutions', 1))[0]).toBe('Seoul National University');
    expect((await cellTexts(page, 'remotes', 12))[0]).toBe('Seoul National University (academic)');
    expect(await page.locator('#verdict').textContent()).toContain('South Korea');
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-top.png') });
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-timeline.png') });

    // Print shows the plain tables instead of the interactive ones.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#remotes .static-table').isVisible()).toBe(true);
    expect(await page.locator('#grid-remotes').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(21, 25, 30)');
    await page.locator('#map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-dark.png') });
    // The theme button overrides the system scheme: auto -> light.
    await page.locator('.theme-toggle').click();
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');

    expect(requests).toEqual([`file://${incidentFile}`]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sorts and filters the tables; a remote opens its panel; a map place and a cluster list their remotes', async () => {
    const { page, context } = await open(incidentFile);
    const connections = async (): Promise<number[]> => (await cellTexts(page, 'remotes', 2)).map((text) => Number(text.replace(/,/g, '')));
    const heaviestFirst = await connections();
    expect(heaviestFirst.length).toBeGreaterThan(10);
    expect(heaviestFirst).toEqual([...heaviestFirst].sort((a, b) => b - a));
    // Ascending on a second click.
    await page.locator('#grid-remotes th:nth-child(2) button').click();
    expect(await page.getAttribute('#grid-remotes th:nth-child(2)', 'aria-sort')).toBe('ascending');
    const lightestFirst = await connections();
    expect(lightestFirst).toEqual([...lightestFirst].sort((a, b) => a - b));
    // By organisation, A to Z.
    await page.locator('#grid-remotes th:nth-child(11) button').click();
    const organisations = await cellTexts(page, 'remotes', 11);
    expect(organisations).toEqual([...organisations].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    // Filter: every row left mentions Pohang, and the counter says how many of all.
    await page.fill('#filter-remotes', 'pohang');
    const rows = (await page.locator('#grid-remotes tbody tr[data-k]').allTextContents()).map((text) => text.toLowerCase());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((text) => text.includes('pohang'))).toBe(true);
    expect(await page.locator('#remotes .grid-count').textContent()).toBe(`${rows.length} of 75 remotes`);
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-filtered.png') });
    await page.fill('#filter-remotes', 'no-such-remote-anywhere');
    expect(await page.locator('#grid-remotes .grid-empty').textContent()).toBe('Nothing matches the filter.');
    await page.fill('#filter-remotes', '');
    await page.locator('#grid-remotes th:nth-child(2) button').click();

    // A remote's panel, by click and by keyboard.
    const first = (await cellTexts(page, 'remotes', 1))[0];
    await page.locator('#grid-remotes tbody tr[data-k="0"]').click();
    await expect.poll(() => page.locator('#host-panel').isVisible()).toBe(true);
    expect(await page.locator('#host-panel-title span').textContent()).toBe(first);
    const panel = await page.locator('#host-panel').textContent();
    expect(panel).toContain('Seoul National University (academic)');
    expect(panel).toContain('AS9488');
    expect(panel).toContain('ESTABLISHED');
    expect(panel).toContain('connection-flood');
    // Its capture rows: the first ones the parser gives for it, with file and line.
    const expectedRows = (await readCaptures(INCIDENT, { stdin: Readable.from([]), cwd: PROJECT_ROOT }))
      .flatMap((capture) => capture.connections)
      .filter((connection) => connection.remoteAddress === first && connectionHasPeer(connection));
    const shownRows = await Promise.all((await page.locator('#host-panel .capture-rows tbody tr').all()).map((row) => row.locator('td').allTextContents()));
    expect(shownRows.length).toBe(Math.min(10, expectedRows.length));
    const oneFile = new Set(expectedRows.slice(0, 10).map((connection) => connection.source.file)).size === 1;
    expect(shownRows).toEqual(expectedRows.slice(0, 10).map((connection) => [
      oneFile ? String(connection.source.line) : `${connection.source.file}:${connection.source.line}`, connection.protocol, `${connection.localAddress}:${connection.localPort}`,
      `${connection.remoteAddress}:${connection.remotePort}`, connection.rawState || connection.state, `${connection.recvQ ?? '-'}/${connection.sendQ ?? '-'}`,
      [connection.pid, connection.program].filter((part) => part !== null).join('/'),
    ]));
    expect(await page.locator('#host-panel').textContent()).toContain(`${expectedRows.length} rows in all; the first 10${oneFile ? ` from ${expectedRows[0]!.source.file}` : ''}:`);
    await page.locator('#host-panel .capture-rows').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-host-panel.png') });
    await page.keyboard.press('Escape');
    expect(await page.locator('#host-panel').isVisible()).toBe(false);

    // Keyboard: into the grid, two rows down, Enter.
    const third = (await cellTexts(page, 'remotes', 1))[2];
    await page.locator('#grid-remotes').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.locator('#host-panel-title span').textContent()).toBe(third);
    await page.keyboard.press('Escape');

    // The map: the heaviest place has a tooltip and lists its remotes when clicked.
    const bubble = page.locator('.map-figure circle[data-rank="1"]');
    await bubble.scrollIntoViewIfNeeded();
    await bubble.hover();
    const tooltip = await page.locator('#map-tooltip').textContent();
    expect(tooltip).toMatch(/, KR\d[\d,]* connections from \d+ remotes?, \d+ networks?/);
    expect(tooltip).toContain('Seoul National University');
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-map.png') });
    await bubble.click();
    const chip = await page.locator('#remotes .chip').textContent();
    expect(chip).toMatch(/^place: .+, KR×$/);
    const placeCountries = await cellTexts(page, 'remotes', 8);
    expect(placeCountries.length).toBeGreaterThan(0);
    expect(placeCountries.every((country) => country === 'KR South Korea')).toBe(true);

    // A cluster row (filtered to one, then Enter): the remotes in it.
    await page.locator('#remotes .chip button').click();
    await page.fill('#filter-clusters', 'institution seoul');
    const clusterRemotes = (await cellTexts(page, 'clusters', 6))[0];
    await page.locator('#grid-clusters').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#remotes .chip').textContent()).toBe('institution: Seoul National University×');
    expect(await page.locator('#remotes .grid-count').textContent()).toBe(`${clusterRemotes} of 75 remotes`);
    expect(new Set(await cellTexts(page, 'remotes', 12))).toEqual(new Set(['Seoul National University (academic)']));
    await context.close();
  });

  it('filters thousands of remotes (one search pass over all rows) to the rows that match', async () => {
    const report = locatedIncidentReport({ remotes: 6000 });
    const file = join(dir, 'many.html');
    writeFileSync(file, renderHtml(report));
    const { page, context, errors } = await open(file);
    await page.waitForSelector('html[data-search-ready]');
    for (const text of ['147.46.20.5', '147.46.20.5 20.59', '147.46.20.59']) {
      await page.fill('#filter-remotes', text);
      const tokens = text.split(' ');
      const expected = report.analysis.remotes.filter((remote) => tokens.every((token) => remote.ip.includes(token))).length;
      expect(expected).toBeGreaterThan(10);
      expect(await page.locator('#remotes .grid-count').textContent()).toBe(`${expected.toLocaleString('en-US')} of 6,000 remotes`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads with scripts off', async () => {
    const plain = await open(incidentFile, { javaScriptEnabled: false });
    expect(await plain.page.locator('.grid-host').first().innerHTML()).toBe('');
    expect(await plain.page.locator('#remotes .static-table tbody tr').count()).toBe(75);
    expect(await plain.page.locator('#countries .static-table tbody tr').first().textContent()).toContain('South Korea');
    await plain.page.screenshot({ path: join(SCREENSHOTS, 'incident-no-script.png') });
    expect(plain.requests).toEqual([`file://${incidentFile}`]);
    await plain.context.close();
  });

  it('runs no injected script and makes no request, whatever the names say', async () => {
    const file = join(dir, 'hostile.html');
    writeFileSync(file, renderHtml(hostileHtmlReport()));
    const { page, context, requests, errors, dialogs } = await open(file);
    // Show every hostile string: the hostile remote's panel, the tooltip of its place, a hostile filter.
    await page.fill('#filter-remotes', '203.0.113.7');
    await page.locator('#grid-remotes tbody tr[data-k="0"]').click();
    const panel = await page.locator('#host-panel').textContent();
    expect(panel).toContain(HOSTILE_HTML.scriptBreakout);
    expect(panel).toContain(HOSTILE_HTML.javascriptUrl);
    expect(panel).toContain(HOSTILE_HTML.attribute);
    expect(panel).toContain('abuse@e.example');
    expect(panel).toContain(HOSTILE_HTML.networkLoad);
    expect(await page.locator('#host-panel .capture-rows').textContent()).toContain(`4242/${HOSTILE_HTML.scriptBreakout}`);
    expect(await page.locator('#host-panel a[href]').getAttribute('href')).toBe(RDAP_URL);
    await page.screenshot({ path: join(SCREENSHOTS, 'hostile-host-panel.png') });
    await page.keyboard.press('Escape');
    for (const circle of await page.locator('.map-figure circle').all()) await circle.hover();
    await page.fill('#filter-remotes', HOSTILE_HTML.scriptBreakout);
    for (const button of await page.locator('.indicator-actions button').all()) await button.click();
    // Hosts (fleet): Enter on the first host lists the remotes it saw.
    await page.fill('#filter-remotes', '');
    for (const chip of await page.locator('#remotes .chip button').all()) await chip.click();
    await page.locator('#grid-hosts').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#remotes .grid-count').textContent()).toBe('1 of 4 remotes');
    await page.locator('#contacts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'hostile-contacts.png') });
    await page.mouse.move(10, 10);

    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    // The only outside links are the https: RDAP record (static table and host panel), never with a referrer.
    const links = await Promise.all((await page.locator('a[href]').all()).map(async (link) => [(await link.getAttribute('href')) ?? '', (await link.getAttribute('rel')) ?? '']));
    const outside = links.filter(([href]) => !href!.startsWith('#'));
    expect(outside.length).toBeGreaterThanOrEqual(1);
    for (const [href, rel] of outside) {
      expect(href).toBe(RDAP_URL);
      expect(rel).toContain('noreferrer');
    }
    expect(await page.locator('img, iframe, object, embed, link, form, base').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    await context.close();
  });
});
