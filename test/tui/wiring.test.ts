// The TUI's connections to the rest of netsleuth: the real renderers for 'e' and
// the real live tracer for 't' (loopback only).
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/trace/live.js';
import { liveTraceRunner, loadExportRenderers } from '../../src/tui/wiring.js';
import { floodReport } from './fixtures.js';

const haveTracer = (await Promise.all(['traceroute', 'tracepath', 'mtr'].map((name) => findOnPath(name)))).some((path) => path !== null);
if (!haveTracer) console.warn('SKIP tui live trace test: no traceroute, tracepath or mtr on PATH');

describe('export renderers', () => {
  it('renders the markdown report with a link to the map, and the map only when something was located', async () => {
    const renderers = await loadExportRenderers();
    const report = floodReport();
    const markdown = await renderers.markdown(report, 'netsleuth-report-x-map.svg');
    expect(markdown).toMatch(/^# netsleuth report/);
    expect(markdown).toContain('147.46.195.90');
    expect(markdown).toContain('netsleuth-report-x-map.svg');
    expect(markdown).not.toContain('\u001b');
    expect(await renderers.svgMap?.({ ...report, map: [] })).toBeNull();
    const svg = await renderers.svgMap?.({ ...report, map: [{ latitude: 37.46, longitude: 126.95, country: 'KR', city: 'Seoul', connections: 787, remotes: 3 }] });
    expect(svg).toMatch(/^<svg|<\?xml/);
    const html = await renderers.html?.(report);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('147.46.195.90');
  });
});

describe.skipIf(!haveTracer)('live trace runner', () => {
  it('traces 127.0.0.1 and reaches it', async () => {
    const path = await liveTraceRunner(process.env)('127.0.0.1');
    expect(path.reached).toBe(true);
    expect(path.format).toMatch(/^live:/);
    expect(path.hops.length).toBeGreaterThan(0);
  }, 40_000);

  it('refuses what is not an address, without running anything', async () => {
    await expect(liveTraceRunner(process.env)('$(reboot)')).rejects.toThrow(/not an IP address/);
  });
});
