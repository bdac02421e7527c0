// The whole App driven by keys through ink-testing-library: navigation, filter,
// host detail, export, background rDNS, live reports, traces.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RdnsResult } from '../../src/model/attribution.js';
import type { Report } from '../../src/model/report.js';
import type { ReverseDnsBatch } from '../../src/model/services.js';
import type { TracePath } from '../../src/model/trace.js';
import { App, type AppProps } from '../../src/tui/app.js';
import { exportReport } from '../../src/tui/export.js';
import { floodReport, SNU_TRACE, withoutRdns } from './fixtures.js';
import { KEYS, press, waitForFrame } from './helpers.js';

const SIZE = { columns: 100, rows: 30 };
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

function start(props: Partial<AppProps> = {}) {
  const instance = render(<App report={floodReport()} color={false} size={SIZE} {...props} />);
  instances.push(instance);
  return instance;
}

describe('navigation', () => {
  it('overview -> remotes -> filter 147.46. -> host -> back', async () => {
    const { stdin, lastFrame } = start();
    await waitForFrame(lastFrame, (frame) => frame.includes('KR South Korea'));
    await press(stdin, KEYS.tab);
    await waitForFrame(lastFrame, (frame) => frame.includes('CONNS▼'));
    await press(stdin, '/', '147.46.');
    let frame = await waitForFrame(lastFrame, (text) => text.includes('filter: 147.46.█'));
    expect(frame).not.toContain('141.223.5.18');
    await press(stdin, KEYS.enter);
    frame = await waitForFrame(lastFrame, (text) => text.includes('1-3 of 3 (filtered from 12)'));
    await press(stdin, 'j', KEYS.enter);
    frame = await waitForFrame(lastFrame, (text) => text.includes('Host 147.46.207.207'));
    expect(frame).toContain('lab-207.snu.ac.kr');
    await press(stdin, KEYS.escape);
    frame = await waitForFrame(lastFrame, (text) => text.includes('1-3 of 3'));
    expect(frame).toContain('147.46.195.90');
  });

  it('splits several keys arriving in one read (tmux, paste)', async () => {
    const { stdin, lastFrame } = start();
    stdin.write('2/147.46.\r');
    const frame = await waitForFrame(lastFrame, (text) => text.includes('1-3 of 3 (filtered from 12)'));
    expect(frame).not.toContain('filter: 147.46.█');
  });

  it('q while typing a filter is text; Esc cancels the filter', async () => {
    const { stdin, lastFrame } = start();
    await press(stdin, '2', '/', 'q');
    await waitForFrame(lastFrame, (frame) => frame.includes('filter: q█'));
    await press(stdin, KEYS.escape);
    await waitForFrame(lastFrame, (frame) => frame.includes('1-12 of 12'));
  });

  it('sorts by another column and reverses', async () => {
    const { stdin, lastFrame } = start();
    await press(stdin, '2', 's', 's', 's');
    let frame = await waitForFrame(lastFrame, (text) => text.includes('CC▲'));
    const rows = frame.split('\n').slice(3, 6).join('\n');
    expect(rows).toContain(' DE ');
    await press(stdin, 'r');
    frame = await waitForFrame(lastFrame, (text) => text.includes('CC▼'));
    expect(frame.split('\n')[3]).toContain(' US ');
  });

  it('expands a cluster and opens one of its hosts', async () => {
    const { stdin, lastFrame } = start();
    await press(stdin, '3');
    await waitForFrame(lastFrame, (frame) => frame.includes('147.46.0.0/16'));
    await press(stdin, KEYS.enter);
    await waitForFrame(lastFrame, (frame) => frame.includes('from 3 remotes'));
    await press(stdin, 'G', KEYS.enter);
    await waitForFrame(lastFrame, (frame) => frame.includes('Host 147.46.70.231'));
    await press(stdin, KEYS.escape, KEYS.escape);
    await waitForFrame(lastFrame, (frame) => frame.includes('141.223.0.0/16'));
    await press(stdin, KEYS.right);
    await waitForFrame(lastFrame, (frame) => frame.includes(' ASN ') && frame.includes('9488'));
  });

  it('shows help, the map at 100×30, and hides the map at 80×24', async () => {
    const { stdin, lastFrame } = start();
    await press(stdin, '?');
    await waitForFrame(lastFrame, (frame) => frame.includes('Keys (? or Esc closes)'));
    await press(stdin, KEYS.escape, '5');
    await waitForFrame(lastFrame, (frame) => frame.includes('Seoul, KR'));
    const small = start({ size: { columns: 80, rows: 24 } });
    await press(small.stdin, '5');
    const frame = await waitForFrame(small.lastFrame, (text) => text.includes('map needs a terminal'));
    expect(frame.split('\n')).toHaveLength(24);
    expect(frame).not.toContain('5 Map');
  });

  it('fits 80×24 on every screen, and hostile names never reach the terminal raw', async () => {
    const { stdin, lastFrame } = start({ size: { columns: 80, rows: 24 } });
    // The hostile remote (203.0.113.66) is 9th by connections: open it from the remotes list.
    const frames: string[] = [];
    for (const key of ['1', '2', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', KEYS.enter, '3', '4']) {
      await press(stdin, key);
      const frame = lastFrame() ?? '';
      frames.push(frame);
      expect(frame.split('\n').length).toBeLessThanOrEqual(24);
      expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    }
    const host = frames.find((frame) => frame.includes('Host 203.0.113.66'));
    expect(host).toBeDefined();
    expect(host).toContain('PTR            evil.example.com');
    expect(host).toContain('RED-NET');
  });
});

describe('tiny terminals', () => {
  it.each([
    [20, 5],
    [40, 10],
    [1, 1],
  ])('%i×%i: every screen renders without throwing', async (columns, rows) => {
    const { stdin, lastFrame } = start({ size: { columns, rows } });
    for (const key of ['2', 'j', KEYS.enter, '3', KEYS.enter, '4', '?', '1']) {
      await press(stdin, key);
      expect(lastFrame()).toBeTruthy();
      expect(lastFrame()).not.toContain('ERROR');
    }
  });
});

describe('export', () => {
  let directory = '';
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('writes the markdown to a new file, names it on screen, and never overwrites', async () => {
    directory = await mkdtemp(join(tmpdir(), 'nsl-tui-'));
    const now = new Date('2026-11-28T12:34:56Z');
    await writeFile(join(directory, 'netsleuth-report-20261128-123456.md'), 'precious');
    const exporter = (report: Report) => exportReport(report, directory, { markdown: (current) => `# ${current.analysis.verdict}\n` }, now);
    const { stdin, lastFrame } = start({ exporter });
    await press(stdin, 'e');
    const frame = await waitForFrame(lastFrame, (text) => text.includes('exported '));
    expect(frame).toContain('netsleuth-report-20261128-123456-2.md');
    expect(await readFile(join(directory, 'netsleuth-report-20261128-123456.md'), 'utf8')).toBe('precious');
    expect(await readFile(join(directory, 'netsleuth-report-20261128-123456-2.md'), 'utf8')).toContain('Connection flood');
    await press(stdin, 'e');
    await waitForFrame(lastFrame, (text) => text.includes('-3.md'));
    expect((await readdir(directory)).sort()).toEqual(['netsleuth-report-20261128-123456-2.md', 'netsleuth-report-20261128-123456-3.md', 'netsleuth-report-20261128-123456.md']);
  });

  it('writes the map beside it when a map renderer is given, and reports failures', async () => {
    directory = await mkdtemp(join(tmpdir(), 'nsl-tui-'));
    const result = await exportReport(floodReport(), directory, { markdown: (_report, mapHref) => `# r\n![map](${mapHref})\n`, svgMap: () => '<svg/>' }, new Date('2026-01-02T03:04:05Z'));
    expect(result.mapPath).toBe(join(directory, 'netsleuth-report-20260102-030405-map.svg'));
    expect(await readFile(result.markdownPath, 'utf8')).toContain('![map](netsleuth-report-20260102-030405-map.svg)');
    const noMap = await exportReport(floodReport(), directory, { markdown: (_report, mapHref) => `# r ${mapHref}\n`, svgMap: () => null }, new Date('2026-01-02T03:04:05Z'));
    expect(noMap.mapPath).toBeNull();
    expect(noMap.htmlPath).toBeNull();
    expect(await readFile(noMap.markdownPath, 'utf8')).toBe('# r null\n');
    const withPage = await exportReport(floodReport(), directory, { markdown: () => '# r\n', html: () => '<!DOCTYPE html>\n' }, new Date('2026-01-02T03:04:05Z'));
    expect(withPage.htmlPath).toBe(join(directory, 'netsleuth-report-20260102-030405-3.html'));
    expect(await readFile(withPage.htmlPath ?? '', 'utf8')).toBe('<!DOCTYPE html>\n');
    const failing = start({ exporter: () => Promise.reject(new Error('disk full')) });
    await press(failing.stdin, 'e');
    await waitForFrame(failing.lastFrame, (frame) => frame.includes('export failed: disk full'));
    const none = start({ exporter: null });
    await press(none.stdin, 'e');
    await waitForFrame(none.lastFrame, (frame) => frame.includes('export is not available'));
  });
});

describe('background work', () => {
  it('fills PTR names in as a slow resolver answers, with progress, while keys still work', async () => {
    const report = withoutRdns(floodReport());
    const asked: string[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const resolver: ReverseDnsBatch = async (ips, options) => {
      asked.push([...ips]);
      options.onProgress?.({ done: 1, total: ips.length, ratePerSecond: 1, etaSeconds: 1 });
      await gate;
      return new Map(ips.map((ip): [string, RdnsResult] => [ip, { status: 'ok', names: [`host-${ip.replaceAll(/[.:]/g, '-')}.test.example`], ttl: 60, server: '127.0.0.1:5353' }]));
    };
    const { stdin, lastFrame } = start({ report, rdns: { resolver, options: { servers: ['127.0.0.1:5353'] } } });
    await waitForFrame(lastFrame, (frame) => frame.includes('rDNS 1/12'));
    // The UI is usable before any answer.
    await press(stdin, '2');
    let frame = await waitForFrame(lastFrame, (text) => text.includes('CONNS▼'));
    expect(frame).toContain('skipped');
    release();
    frame = await waitForFrame(lastFrame, (text) => text.includes('host-147-46-195-90.'));
    expect(frame).toContain('rDNS done (12)');
    // Busiest first: the first chunk starts with the top remote.
    expect(asked[0]![0]).toBe('147.46.195.90');
  });

  it('judges rdns-anomaly again when the background answers arrive', async () => {
    const report = withoutRdns(floodReport());
    expect(report.analysis.indicators.map((indicator) => indicator.kind)).not.toContain('rdns-anomaly');
    const resolver: ReverseDnsBatch = async (ips) => new Map(ips.map((ip): [string, RdnsResult] => [ip, { status: 'nxdomain', names: [], ttl: null, server: '127.0.0.1:5353', rcode: 'NXDOMAIN' }]));
    const { lastFrame } = start({ report, rdns: { resolver, options: { servers: ['127.0.0.1:5353'] } } });
    const frame = await waitForFrame(lastFrame, (text) => text.includes('rDNS done'));
    expect(frame).toContain(`Indicators (${report.analysis.indicators.length + 1})`);
    expect(frame).toMatch(/MEDIUM\s+rdns-anomaly: 12 of 12 queried remotes/);
  });

  it('shows a resolver failure instead of crashing', async () => {
    const resolver: ReverseDnsBatch = async () => {
      throw new Error('no resolver');
    };
    const { lastFrame } = start({ report: withoutRdns(floodReport()), rdns: { resolver, options: { servers: [] } } });
    await waitForFrame(lastFrame, (frame) => frame.includes('rDNS failed: no resolver'));
  });

  it('updates every screen from a live stream of reports', async () => {
    let push: (report: Report) => void = () => {};
    let finish: () => void = () => {};
    async function* stream(): AsyncGenerator<Report> {
      for (;;) {
        const next = await new Promise<Report | null>((resolve) => {
          push = resolve;
          finish = () => resolve(null);
        });
        if (!next) return;
        yield next;
      }
    }
    const { stdin, lastFrame } = start({ live: stream() });
    await waitForFrame(lastFrame, (frame) => frame.includes('1,231 connections') && frame.includes('live · 1 capture(s)'));
    const second = floodReport({ scale: 2, generatedAt: '2026-11-28T04:00:00.000Z' });
    const secondTotal = second.analysis.totals.connections.toLocaleString('en-US');
    expect(secondTotal).not.toBe('1,231');
    push(second);
    await waitForFrame(lastFrame, (frame) => frame.includes(`${secondTotal} connections`) && frame.includes('live · 2 capture(s)'));
    await press(stdin, '4');
    await waitForFrame(lastFrame, (frame) => frame.includes('Live: 2 capture(s), last at 2026-11-28T04:00:00.000Z'));
    finish();
    await waitForFrame(lastFrame, (frame) => frame.includes('live ended'));
  });

  it('traces a host live with t, the screen staying responsive', async () => {
    let resolveTrace: (path: TracePath) => void = () => {};
    const traceRunner = (ip: string) => new Promise<TracePath>((resolve) => (resolveTrace = (path) => resolve({ ...path, target: { ip, name: null }, format: 'live:traceroute' })));
    const report = { ...floodReport(), analysis: { ...floodReport().analysis, traces: [] } };
    const { stdin, lastFrame } = start({ report, traceRunner });
    await press(stdin, '2', KEYS.enter);
    await waitForFrame(lastFrame, (frame) => frame.includes('press t to trace it now'));
    await press(stdin, 't');
    await waitForFrame(lastFrame, (frame) => frame.includes('tracing…'));
    resolveTrace(SNU_TRACE);
    const frame = await waitForFrame(lastFrame, (text) => text.includes('live:traceroute: 4 hops'));
    expect(frame).toContain('snu-gw.snu.ac.kr');
  });

  it('says when live tracing is unavailable', async () => {
    const { stdin, lastFrame } = start({ traceRunner: null });
    await press(stdin, '2', 'j', 'j', KEYS.enter, 't');
    await waitForFrame(lastFrame, (frame) => frame.includes('live tracing is not available'));
  });
});

describe('without a raw-mode keyboard', () => {
  it('renders and does not enable input (no "Raw mode is not supported" crash)', async () => {
    const { render: inkRender } = await import('ink');
    const { PassThrough, Writable } = await import('node:stream');
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    let output = '';
    const stdout = Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          output += String(chunk);
          done();
        },
      }),
      { columns: 100, rows: 30 },
    ) as unknown as NodeJS.WriteStream;
    // debug: every frame is written even when the test run itself has CI set (ink then only prints on exit).
    const instance = inkRender(<App report={floodReport()} color={false} />, { stdin, stdout, patchConsole: false, exitOnCtrlC: false, debug: true });
    await waitForFrame(() => output, (text) => text.includes('KR South Korea'));
    // useInput's effect runs after the first frame: give it time to fail.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output).not.toContain('Raw mode is not supported');
    expect(output).not.toContain('ERROR');
    instance.unmount();
  });
});

describe('background traces', () => {
  it('traces the busiest remotes once each, even as rDNS answers refresh the report', async () => {
    const traced: string[] = [];
    const traceRunner = async (ip: string): Promise<TracePath> => {
      traced.push(ip);
      return { ...SNU_TRACE, target: { ip, name: null }, format: 'live:traceroute' };
    };
    let answer: () => void = () => {};
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const resolver: ReverseDnsBatch = async (ips) => {
      await gate;
      return new Map(ips.map((ip): [string, RdnsResult] => [ip, { status: 'nxdomain', names: [], ttl: null, server: null }]));
    };
    const report = withoutRdns({ ...floodReport(), analysis: { ...floodReport().analysis, traces: [] } });
    const { lastFrame } = start({ report, traceRunner, backgroundTraces: 3, rdns: { resolver, options: { servers: [] } } });
    await waitForFrame(lastFrame, () => traced.length === 3);
    answer();
    await waitForFrame(lastFrame, (frame) => frame.includes('rDNS done'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(traced).toEqual(['147.46.195.90', '147.46.207.207', '147.46.70.231']);
  });
});
