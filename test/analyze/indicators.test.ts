import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, INDICATOR_DETECTORS } from '../../src/analyze/index.js';
import type { Analysis, AnalysisInput } from '../../src/model/analysis.js';
import type { Connection } from '../../src/model/connection.js';
import { Readable } from 'node:stream';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';
import { attribution, capture, conn, incidentFiles, input, listener, many, rdns, readSample } from './helpers.js';

/** A quiet web box: listeners, 15 visitors with 1-3 sockets each, an admin on ssh, one outbound SMTP. */
function benign(): Connection[] {
  const rows: Connection[] = [22, 25, 80, 443].map(listener);
  for (let i = 1; i <= 15; i++) {
    rows.push(...many((i % 3) + 1, `198.51.100.${i}`, { localPort: i % 4 === 0 ? 443 : 80, state: i % 2 ? 'ESTABLISHED' : 'TIME_WAIT', sendQ: i % 2 ? 1448 : 0 }));
  }
  rows.push(conn('192.0.2.99', { localPort: 22, sendQ: 52 }));
  rows.push(conn('192.0.2.25', { localPort: 40123, remotePort: 25, state: 'TIME_WAIT' }));
  return rows;
}

function kinds(analysis: Analysis): string[] {
  return analysis.indicators.map((indicator) => indicator.kind);
}

function run(connections: Connection[], extra: Partial<AnalysisInput> = {}): Analysis {
  return analyze(input([capture('now.txt', connections)], extra));
}

describe('indicators', () => {
  it('registers one detector per kind, each with a description', () => {
    const names = INDICATOR_DETECTORS.map((detector) => detector.kind);
    expect(names).toEqual(['connection-flood', 'syn-flood', 'idle-established', 'slow-requests', 'distributed-slow-requests', 'port-scan', 'rdns-anomaly', 'concentration', 'surge']);
    for (const detector of INDICATOR_DETECTORS) expect(detector.description.length).toBeGreaterThan(10);
  });

  it('registers every detector file in src/analyze/indicators', () => {
    const dir = join(PROJECT_ROOT, 'src/analyze/indicators');
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts') && name !== 'index.ts' && name !== 'types.ts').map((name) => name.replace(/\.ts$/, '')).sort();
    expect(files).toEqual(INDICATOR_DETECTORS.map((detector) => detector.kind).sort());
  });

  it('stays quiet on a benign capture', () => {
    expect(kinds(run(benign()))).toEqual([]);
  });

  it('connection-flood fires at floodPerRemote sockets from one address, not one below', () => {
    const at = run([...benign(), ...many(150, '147.46.59.12', { sendQ: 1448 })]);
    expect(kinds(at)).toContain('connection-flood');
    const flood = at.indicators.find((indicator) => indicator.kind === 'connection-flood')!;
    expect(flood.evidence.remotes).toEqual(['147.46.59.12']);
    expect(flood.evidence.figures.maxConnectionsPerRemote).toBe(150);
    expect(flood.thresholds).toEqual({ floodPerRemote: 150 });
    expect(kinds(run([...benign(), ...many(149, '147.46.59.12', { sendQ: 1448 })]))).not.toContain('connection-flood');
  });

  it('connection-flood counts per capture: two snapshots of 100 are not a flood of 200', () => {
    const analysis = analyze(input([capture('a', many(100, '147.46.59.12', { sendQ: 1 })), capture('b', many(100, '147.46.59.12', { sendQ: 1 }))]));
    expect(kinds(analysis)).not.toContain('connection-flood');
    expect(analysis.remotes[0]?.connections).toBe(200);
  });

  it('syn-flood fires on many SYN_RECV from many sources and notes possible spoofing', () => {
    const spoofed = Array.from({ length: 120 }, (_, i) => conn(`203.0.113.${(i % 250) + 1}`, { state: 'SYN_RECV', remotePort: 1024 + i }));
    const analysis = run([...benign(), ...spoofed]);
    const syn = analysis.indicators.find((indicator) => indicator.kind === 'syn-flood');
    expect(syn).toBeDefined();
    expect(syn!.evidence.figures.synRecv).toBe(120);
    expect(syn!.evidence.figures.synRecvOnlySources).toBe(120);
    expect(syn!.summary).toMatch(/may be spoofed/);
    // Same count but a minority of a busy capture: not a flood.
    const busy = [...benign(), ...spoofed, ...Array.from({ length: 600 }, (_, i) => conn(`198.51.100.${(i % 200) + 1}`, { sendQ: 10, remotePort: 30000 + i }))];
    expect(kinds(run(busy))).not.toContain('syn-flood');
    // High share but below the count: not a flood.
    expect(kinds(run(spoofed.slice(0, 99)))).not.toContain('syn-flood');
  });

  it('idle-established fires on idle sockets on a web port, not on busy ones or on ssh', () => {
    const idle = [...benign(), ...['147.46.1.1', '147.46.1.2', '141.223.5.5'].flatMap((ip) => many(25, ip))];
    const analysis = run(idle);
    const indicator = analysis.indicators.find((candidate) => candidate.kind === 'idle-established');
    // Equal counts: address order breaks the tie.
    expect(indicator?.evidence.remotes).toEqual(['141.223.5.5', '147.46.1.1', '147.46.1.2']);
    expect(indicator?.evidence.figures.idleConnections).toBe(75);
    expect(indicator?.severity).toBe('high');
    expect(kinds(run([...benign(), ...many(25, '147.46.1.1', { sendQ: 2896 })]))).not.toContain('idle-established');
    expect(kinds(run([...benign(), ...many(25, '147.46.1.1', { localPort: 22 })]))).not.toContain('idle-established');
    expect(kinds(run([...benign(), ...many(19, '147.46.1.1')]))).not.toContain('idle-established');
    // Unknown queues (Windows netstat has none) are not evidence of idleness.
    expect(kinds(run([...benign(), ...many(25, '147.46.1.1', { recvQ: null, sendQ: null })]))).not.toContain('idle-established');
  });

  it('port-scan fires on one address touching many listening ports, not on our own outbound sockets', () => {
    const ports = [21, 22, 25, 53, 80, 110, 111, 143, 443, 993];
    const scan = [...benign(), ...ports.map(listener), ...ports.map((port) => conn('51.68.10.10', { localPort: port, state: 'SYN_RECV', remotePort: 50000 + port }))];
    const analysis = run(scan);
    const indicator = analysis.indicators.find((candidate) => candidate.kind === 'port-scan');
    expect(indicator?.evidence.remotes).toEqual(['51.68.10.10']);
    expect(indicator?.evidence.figures.maxPorts).toBe(10);
    expect(kinds(run(scan.filter((row) => row.localPort !== 993 || row.state === 'LISTEN')))).not.toContain('port-scan');
    // 15 downloads from one mirror: 15 ephemeral local ports to its :80.
    const outbound = Array.from({ length: 15 }, (_, i) => conn('151.101.1.1', { localPort: 40000 + i, remotePort: 80, sendQ: 0, recvQ: 100 }));
    expect(kinds(run([...benign(), ...outbound]))).not.toContain('port-scan');
  });

  it('rdns-anomaly fires only when reverse DNS was done and most lookups fail', () => {
    const rows = benign();
    const ips = [...new Set(rows.filter((row) => row.state !== 'LISTEN').map((row) => row.remoteAddress))];
    const failing = new Map(ips.map((ip, index) => [ip, index % 4 === 0 ? rdns('ok', [`host${index}.example`], 'confirmed') : index % 4 === 1 ? rdns('ok', [`x${index}.example`], 'mismatch') : rdns('nxdomain')]));
    const analysis = run(rows, { rdns: failing });
    const indicator = analysis.indicators.find((candidate) => candidate.kind === 'rdns-anomaly');
    expect(indicator).toBeDefined();
    expect(indicator!.evidence.figures.queried).toBe(ips.length);
    expect(indicator!.evidence.figures.fcrdnsMismatch).toBe(ips.filter((_, index) => index % 4 === 1).length);
    const healthy = new Map(ips.map((ip, index) => [ip, index % 3 === 0 ? rdns('nxdomain') : rdns('ok', [`h${index}.example`], 'confirmed')]));
    expect(kinds(run(rows, { rdns: healthy }))).not.toContain('rdns-anomaly');
    expect(analysis.rdnsCounts.ok! + analysis.rdnsCounts.nxdomain!).toBe(ips.length);
    expect(run(rows).rdnsCounts).toEqual({ skipped: ips.length });
    // Its minimum is a threshold too: above the number queried it stays quiet, at it it fires.
    expect(kinds(run(rows, { rdns: failing, options: { rdnsMinQueriedRemotes: ips.length + 1 } }))).not.toContain('rdns-anomaly');
    expect(run(rows, { rdns: failing, options: { rdnsMinQueriedRemotes: ips.length } }).indicators.find((candidate) => candidate.kind === 'rdns-anomaly')?.thresholds.rdnsMinQueriedRemotes).toBe(ips.length);
  });

  it('concentration fires when three ASNs carry most connections', () => {
    const rows = [...benign(), ...many(60, '147.46.1.1', { sendQ: 1 }), ...many(50, '141.223.1.1', { sendQ: 1 }), ...many(40, '143.248.1.1', { sendQ: 1 })];
    const attributions = new Map([
      ['147.46.1.1', attribution('147.46.1.1', { asn: 9488, asOrg: 'Seoul National University', country: 'KR', countryName: 'South Korea' })],
      ['141.223.1.1', attribution('141.223.1.1', { asn: 3784, asOrg: 'POSTECH', country: 'KR', countryName: 'South Korea' })],
      ['143.248.1.1', attribution('143.248.1.1', { asn: 1781, asOrg: 'KAIST', country: 'KR', countryName: 'South Korea' })],
    ]);
    const analysis = run(rows, { attributions });
    const indicator = analysis.indicators.find((candidate) => candidate.kind === 'concentration');
    expect(indicator?.evidence.figures.topAsns).toBe('9488,3784,1781');
    expect(indicator?.evidence.figures.topCountry).toBe('KR');
    expect(kinds(run(rows))).not.toContain('concentration');
    const total = analysis.totals.connections;
    expect(kinds(run(rows, { attributions, options: { concentrationMinConnections: total + 1 } }))).not.toContain('concentration');
    expect(kinds(run(rows, { attributions, options: { concentrationMinConnections: total } }))).toContain('concentration');
  });

  it('surge fires against a baseline at surgeFactor times its connections', () => {
    const base = [capture('baseline.txt', benign())];
    const baseCount = run(benign()).totals.connections;
    const extra = (n: number) => Array.from({ length: n }, (_, i) => conn(`198.51.100.${(i % 200) + 20}`, { remotePort: 10000 + i, sendQ: 5 }));
    const analysis = analyze(input([capture('now.txt', [...benign(), ...extra(2 * baseCount)])], { baseline: base }));
    const indicator = analysis.indicators.find((candidate) => candidate.kind === 'surge');
    expect(indicator?.evidence.figures.factor).toBe(3);
    expect(indicator?.evidence.figures.reference).toBe('baseline');
    const below = analyze(input([capture('now.txt', [...benign(), ...extra(2 * baseCount - 1)])], { baseline: base }));
    expect(kinds(below)).not.toContain('surge');
  });

  it('thresholds are configurable and reported as applied', () => {
    const analysis = run([...benign(), ...many(30, '147.46.1.1', { sendQ: 9 })], { options: { floodPerRemote: 30 } });
    const flood = analysis.indicators.find((indicator) => indicator.kind === 'connection-flood');
    expect(flood?.thresholds.floodPerRemote).toBe(30);
    expect(analysis.options.floodPerRemote).toBe(30);
    expect(analysis.options.clusterThreshold).toBe(DEFAULT_ANALYSIS_OPTIONS.clusterThreshold);
  });

  it('orders indicators by severity, then registry order', () => {
    const rows = [...benign(), ...many(200, '147.46.1.1'), ...Array.from({ length: 300 }, (_, i) => conn(`203.0.113.${(i % 250) + 1}`, { state: 'SYN_RECV', remotePort: 2000 + i }))];
    const analysis = run(rows);
    const ranks = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
    const severities = analysis.indicators.map((indicator) => ranks[indicator.severity]);
    expect([...severities].sort((a, b) => b - a)).toEqual(severities);
    expect(kinds(analysis)).toEqual(expect.arrayContaining(['connection-flood', 'syn-flood', 'idle-established']));
  });
});

describe('slow-requests', () => {
  const status = async (path: string) => (await readCaptures([path], { stdin: Readable.from([]), cwd: PROJECT_ROOT }))[0]!;
  const slow = (analysis: Analysis) => analysis.indicators.find((indicator) => indicator.kind === 'slow-requests');

  it('fires critical on the Apache page under a slow-request attack: many workers reading, many clients, no idle worker', async () => {
    const found = slow(analyze(input([await status('samples/captures/apache-server-status.html')])));
    expect(found).toMatchObject({ severity: 'critical', thresholds: { slowRequestWorkers: 50, slowRequestClients: 3 }, evidence: { figures: { readingWorkers: 128, writingWorkers: 12, idleWorkers: 0, slots: 256 } } });
    expect(found!.evidence.remotes.slice(0, 3).every((ip) => /^(147\.46|143\.248|163\.152)\./.test(ip))).toBe(true);
  });

  it('a scoreboard without clients fires on no idle worker alone, and says it cannot name the clients', async () => {
    const found = slow(analyze(input([await status('samples/captures/apache-server-status-auto.txt')])));
    expect(found).toMatchObject({ severity: 'high', evidence: { remotes: [] } });
    expect(found!.summary).toContain('names no clients');
  });

  it('thresholds: raising slowRequestWorkers leaves the no-idle finding; idle workers and few busy ones stay quiet', async () => {
    const html = await status('samples/captures/apache-server-status.html');
    expect(slow(analyze(input([html], { options: { slowRequestWorkers: 141 } })))).toMatchObject({ severity: 'high' });
    expect(slow(analyze(input([html], { options: { slowRequestWorkers: 140 } })))).toMatchObject({ severity: 'critical' });
    expect(slow(analyze(input([html], { options: { slowRequestClients: 27 } })))).toMatchObject({ severity: 'high' });
    const relaxed = { ...html, info: { ...html.info, workers: { ...html.info.workers!, states: { ...html.info.workers!.states, waiting: 1 } } } };
    expect(slow(analyze(input([relaxed])))).toMatchObject({ severity: 'high' });
    expect(slow(analyze(input([relaxed], { options: { slowRequestWorkers: 141 } })))).toBeUndefined();
  });

  it('quiet on the real status pages of idle servers and on every sample that is not a web status page', async () => {
    for (const file of ['extended-status-mpm-event.txt', 'simple-status-mpm-event.txt', 'lighttpd-status.txt']) {
      expect(slow(analyze(input([await status(join(FIXTURES, 'real/netdata-go.d', file))])))).toBeUndefined();
    }
    const samples = readdirSync(join(PROJECT_ROOT, 'samples/captures')).filter((name) => !name.startsWith('apache-'));
    expect(samples.length).toBeGreaterThan(10);
    for (const name of samples) expect(slow(analyze(input([await status(`samples/captures/${name}`)])))).toBeUndefined();
    for (const name of incidentFiles()) expect(slow(analyze(input([readSample(name)])))).toBeUndefined();
  });
});
