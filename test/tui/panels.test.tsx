// Each panel rendered on its own (renderToString): what a person must see is there,
// hostile names are inert, and the remotes table renders only the visible window.
import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { clusterMembers, clustersOfKind } from '../../src/tui/cluster-members.js';
import { Footer, Header } from '../../src/tui/panels/chrome.js';
import { Clusters } from '../../src/tui/panels/clusters.js';
import { Help } from '../../src/tui/panels/help.js';
import { HostDetail } from '../../src/tui/panels/host-detail.js';
import { Overview, wrapText } from '../../src/tui/panels/overview.js';
import { Remotes } from '../../src/tui/panels/remotes.js';
import { TimelinePanel } from '../../src/tui/panels/timeline.js';
import { WorldMap } from '../../src/tui/panels/world-map.js';
import { RemoteIndex } from '../../src/tui/remote-index.js';
import { displayWidth } from '../../src/tui/text.js';
import { floodReport, syntheticReport } from './fixtures.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
const report = floodReport();
const analysis = report.analysis;

function lines(output: string): string[] {
  return output.split('\n');
}

function expectFits(output: string, width: number) {
  for (const line of lines(output)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
  expect(output).not.toMatch(CONTROL);
}

describe('Overview', () => {
  it.each([80, 100, 160])('shows verdict, indicators, countries and institutions at %i columns', (width) => {
    const output = renderToString(<Overview analysis={analysis} width={width} height={21} color={false} />, { columns: width });
    expect(output).toContain('Connection flood on port 80');
    expect(output).toContain('HIGH');
    expect(output).toContain('KR South Korea');
    expect(output).toContain('AS9488 Seoul National University');
    expect(output).toContain('1,231 connections');
    expect(lines(output).length).toBeLessThanOrEqual(21);
    expectFits(output, width);
  });

  it('wraps long verdicts and marks the cut', () => {
    const wrapped = wrapText('word '.repeat(100), 20, 2);
    expect(wrapped).toHaveLength(2);
    expect(wrapped[1]).toMatch(/…$/);
  });

  it('wraps by terminal columns, not characters (Hangul is two columns wide)', () => {
    const wrapped = wrapText('서울대학교 서울대학교 서울대학교', 22, 5);
    expect(wrapped).toEqual(['서울대학교 서울대학교', '서울대학교']);
    for (const line of wrapped) expect(displayWidth(line)).toBeLessThanOrEqual(22);
  });

  it('says so when there are no indicators', () => {
    const output = renderToString(<Overview analysis={{ ...analysis, indicators: [] }} width={80} height={21} color={false} />);
    expect(output).toContain('Indicators (0)');
    expect(output).toContain('none');
  });
});

describe('Remotes', () => {
  const index = new RemoteIndex(analysis.remotes);
  const base = { remotes: analysis.remotes, cursor: 0, top: 0, sortColumn: 'connections' as const, sortDirection: 'desc' as const, filter: '', editingFilter: false, width: 80, height: 21, color: false };

  it('lists remotes busiest first with sort marker, names and PTRs, hostile text inert', () => {
    const output = renderToString(<Remotes {...base} view={index.view('connections', 'desc', '')} />);
    const rows = lines(output);
    expect(rows[0]).toContain('1-12 of 12');
    expect(rows[1]).toContain('CONNS▼');
    expect(rows[2]).toContain('147.46.195.90');
    expect(rows[2]).toContain('Seoul National');
    expect(rows[2]).toContain('dorm-195-90.snu');
    expect(output).toContain('evil.example.com');
    expect(output).not.toContain('pwned');
    expectFits(output, 80);
  });

  it('shows the filter being typed and the filtered count', () => {
    const view = index.view('connections', 'desc', '147.46.');
    const output = renderToString(<Remotes {...base} view={view} filter="147.46." editingFilter />);
    expect(output).toContain('filter: 147.46.█');
    const committed = renderToString(<Remotes {...base} view={view} filter="147.46." />);
    expect(committed).toContain('1-3 of 3 (filtered from 12)');
    expect(committed).not.toContain('79.192.4.31');
  });

  it('says when nothing matches', () => {
    const output = renderToString(<Remotes {...base} view={index.view('connections', 'desc', 'zzz')} filter="zzz" />);
    expect(output).toContain("no remote matches 'zzz'");
  });

  it('renders only the visible window of 100k rows', () => {
    const big = syntheticReport(100_000).analysis.remotes;
    const bigIndex = new RemoteIndex(big);
    const view = bigIndex.view('ip', 'asc', '');
    const output = renderToString(<Remotes {...base} remotes={big} view={view} cursor={50_005} top={50_000} />);
    const rows = lines(output);
    expect(rows).toHaveLength(21);
    expect(rows[0]).toContain('50,001-50,019 of 100,000');
    expect(rows[2]).toContain(big[view[50_000]!]!.ip);
  });
});

describe('Clusters', () => {
  it('lists clusters of the chosen kind with tabs', () => {
    const clusters = clustersOfKind(analysis.clusters, 'prefix');
    const output = renderToString(<Clusters kind="prefix" clusters={clusters} cursor={0} top={0} expanded={null} width={80} height={21} color={false} />);
    expect(output).toContain('147.46.0.0/16');
    expect(output).toContain('141.223.0.0/16');
    expect(output).not.toContain('9488 ');
    expectFits(output, 80);
  });

  it('expands a prefix into its remotes', () => {
    const cluster = analysis.clusters.find((candidate) => candidate.key === '147.46.0.0/16')!;
    const members = clusterMembers(analysis.remotes, 'prefix', cluster.key);
    expect(members.map((remote) => remote.ip)).toEqual(['147.46.195.90', '147.46.207.207', '147.46.70.231']);
    const output = renderToString(<Clusters kind="prefix" clusters={[cluster]} cursor={0} top={0} expanded={{ cluster, key: cluster.key, members, cursor: 1, top: 0 }} width={80} height={21} color={false} />);
    expect(output).toContain('787 connections (64%) from 3 remotes');
    expect(output).toContain('147.46.207.207');
    expect(output).not.toContain('141.223.5.18');
  });

  it.each([
    ['asn', '3784', ['141.223.5.18', '141.223.90.2']],
    ['country', 'DE', ['79.192.4.31']],
    ['institution', 'KISTI', ['134.75.30.11']],
    ['prefix', 'garbage', []],
  ] as const)('members of %s %s', (kind, key, ips) => {
    expect(clusterMembers(analysis.remotes, kind, key).map((remote) => remote.ip)).toEqual(ips);
  });
});

describe('HostDetail', () => {
  const remote = analysis.remotes.find((candidate) => candidate.ip === '147.46.195.90')!;

  it('shows attribution, rDNS, states and the path hop by hop', () => {
    const output = renderToString(<HostDetail remote={remote} ip={remote.ip} trace={analysis.traces[0]!} traceStatus={{ state: 'done' }} scroll={0} width={100} height={40} color={false} />, { columns: 100 });
    for (const text of ['Host 147.46.195.90', 'KR South Korea', 'AS9488 Seoul National University', 'Seoul National University (academic)', 'dorm-195-90.snu.ac.kr', 'confirmed', 'ESTABLISHED', 'SYN_RECV', '80×322', 'destination silent', '2  112.174.3.1 AS4766', '3  *', 'snu-gw.snu.ac.kr']) {
      expect(output).toContain(text);
    }
  });

  it('scrolls and invites a live trace when there is no path', () => {
    const output = renderToString(<HostDetail remote={remote} ip={remote.ip} trace={null} traceStatus={{ state: 'idle' }} scroll={2} width={80} height={40} color={false} />);
    expect(output).not.toContain('Host 147.46.195.90');
    expect(output).toContain('press t to trace it now');
    const running = renderToString(<HostDetail remote={remote} ip={remote.ip} trace={null} traceStatus={{ state: 'running', startedAt: 0 }} scroll={0} width={80} height={40} color={false} />);
    expect(running).toContain('tracing…');
  });

  it('keeps hostile names inert', () => {
    const hostile = analysis.remotes.find((candidate) => candidate.ip === '203.0.113.66')!;
    const output = renderToString(<HostDetail remote={hostile} ip={hostile.ip} trace={null} traceStatus={{ state: 'failed', message: 'boom\u001b[2J' }} scroll={0} width={80} height={40} color={false} />);
    expect(output).toContain('evil.example.com');
    expect(output).toContain('trace failed: boom\n');
    expectFits(output, 80);
  });

  it('says when the host is gone from the report', () => {
    expect(renderToString(<HostDetail remote={null} ip="192.0.2.1" trace={null} traceStatus={{ state: 'idle' }} scroll={0} width={80} height={5} color={false} />)).toContain('No remote 192.0.2.1');
  });
});

describe('Timeline', () => {
  it('plots captures and cluster series', () => {
    const output = renderToString(<TimelinePanel timeline={analysis.timeline} live={[]} width={80} height={21} color={false} />);
    expect(output).toContain('Captures (3)');
    expect(output).toContain('surge began at capture 2');
    expect(output).toMatch(/connections\s+▃▆█/);
    expect(output).toMatch(/AS9488 Seoul National Univ.* ▁▄█ /);
    expectFits(output, 80);
  });

  it('plots live points and explains a single capture', () => {
    const live = [{ at: 't1', connections: 10, remotes: 2 }, { at: 't2', connections: 40, remotes: 5 }];
    expect(renderToString(<TimelinePanel timeline={null} live={live} width={80} height={21} color={false} />)).toContain('Live: 2 capture(s), last at t2');
    expect(renderToString(<TimelinePanel timeline={null} live={[]} width={80} height={21} color={false} />)).toContain('One capture only');
  });
});

describe('WorldMap', () => {
  it('marks Seoul where Korea is and lists the places', () => {
    const output = renderToString(<WorldMap remotes={analysis.remotes} totalConnections={analysis.totals.connections} width={100} height={28} color={false} />, { columns: 100 });
    const rows = lines(output);
    const markRow = rows.findIndex((row) => row.includes('@'));
    const markCol = rows[markRow]!.indexOf('@');
    // 126.95°E -> column floor((126.95+180)/360*100) = 85; 37.46°N in an 80..-58 span over 22 rows -> row 6.
    expect(markCol).toBe(85);
    expect(markRow).toBe(6);
    expect(output).toContain('Seoul, KR');
    expect(output).toContain('without a location');
  });
});

describe('Help, header and footer', () => {
  it('lists the keys', () => {
    const output = renderToString(<Help width={80} height={21} color={false} />);
    expect(output).toContain('quit');
    expect(output).toContain('147.46.0.0/16');
  });

  it('shows tabs, progress and the footer message', () => {
    const header = renderToString(<Header screen="remotes" screens={['overview', 'remotes']} status="rDNS 5/10" width={80} color={false} />);
    expect(header).toContain('2 Remotes');
    expect(header).toContain('rDNS 5/10');
    expect(renderToString(<Footer screen="remotes" message={null} width={80} color={false} />)).toMatch(/^q quit · \? help · /);
    expect(renderToString(<Footer screen="remotes" message={'exported x.md\u001b[2J'} width={80} color={false} />)).toBe('exported x.md');
  });
});
