// The synthetic incident samples, parsed with the real Linux netstat parser, attributed with
// openGeo over the embedded ip-location-db data, analysed end to end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/model/analysis.js';
import type { IpAttribution } from '../../src/model/attribution.js';
import type { Capture } from '../../src/model/connection.js';
import { openGeo } from '../../src/enrich/geo/index.js';
import { INCIDENT_DIR, incidentFiles, input, readSample } from './helpers.js';

let incident: Capture[];
let baseline: Capture;
let attributions: Map<string, IpAttribution>;
let analysis: Analysis;

beforeAll(async () => {
  incident = incidentFiles().map(readSample);
  baseline = readSample('baseline.txt');
  const all = [...incident, baseline, readSample('syn-flood.txt'), readSample('port-scan.txt')];
  const ips = new Set(all.flatMap((capture) => capture.connections.map((connection) => connection.remoteAddress)));
  const geo = await openGeo({ env: {}, cacheDir: null, systemGeoDirs: [] });
  try {
    attributions = new Map([...ips].sort().map((ip) => [ip, geo.lookup(ip)]));
  } finally {
    geo.close();
  }
  analysis = analyze(input(incident, { attributions, baseline: [baseline] }));
});

describe('incident samples', () => {
  it('parse cleanly with the Linux netstat parser', () => {
    expect(incidentFiles()).toEqual(['incident-01.txt', 'incident-02.txt', 'incident-03.txt', 'incident-04.txt']);
    for (const capture of [...incident, baseline]) expect(capture.connections.length).toBeGreaterThan(20);
    const sizes = analysis.captures.map((capture) => capture.connections);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
  });

  it('puts South Korea on top, with Seoul National University first among institutions', () => {
    expect(analysis.countries[0]).toMatchObject({ country: 'KR' });
    expect(analysis.countries[0]!.connections / analysis.totals.connections).toBeGreaterThan(0.8);
    expect(analysis.institutions[0]?.name).toBe('Seoul National University');
    expect(analysis.institutions[0]?.asn).toBe(9488);
    const names = analysis.institutions.map((institution) => institution.name);
    for (const name of ['Pohang University of Science and Technology', 'Korea Advanced Institute of Science and Technology', 'KISTI', 'Korea University']) expect(names).toContain(name);
    const types = new Map(analysis.institutions.map((institution) => [institution.name, institution.type]));
    expect(types.get('Seoul National University')).toBe('academic');
    expect(types.get('KISTI')).toBe('research');
    expect(analysis.clusters.some((cluster) => cluster.kind === 'asn' && cluster.key === '9488')).toBe(true);
    expect(analysis.clusters.some((cluster) => cluster.kind === 'prefix' && cluster.key.startsWith('147.46.'))).toBe(true);
  });

  it('says so in plain words', () => {
    expect(analysis.summary).toMatch(/^\d+% of port-80 connections came from 41 addresses in 5 networks in South Korea: Seoul National University \(academic\), /);
    expect(analysis.verdict).toMatch(/^This looks like an attack/);
  });

  it('fires idle-established, connection-flood, concentration and surge', () => {
    const kinds = analysis.indicators.map((indicator) => indicator.kind);
    expect(kinds).toEqual(expect.arrayContaining(['idle-established', 'connection-flood', 'concentration', 'surge']));
    expect(kinds).not.toContain('port-scan');
    expect(kinds).not.toContain('syn-flood');
    const idle = analysis.indicators.find((indicator) => indicator.kind === 'idle-established')!;
    expect(idle.evidence.figures.capture).toBe('incident-04.txt');
    for (const ip of idle.evidence.remotes) expect(attributions.get(ip)?.country).toBe('KR');
  });

  it('follows the flood across the four snapshots', () => {
    const timeline = analysis.timeline!;
    expect(timeline.captures).toHaveLength(4);
    expect(timeline.surgeStart).not.toBeNull();
    const kr = timeline.clusterSeries.find((series) => series.kind === 'country' && series.key === 'KR')!;
    for (let i = 1; i < kr.series.length; i++) expect(kr.series[i]).toBeGreaterThan(kr.series[i - 1]!);
    expect(timeline.growingRemotes.length).toBeGreaterThan(10);
    expect(timeline.newRemotes.length).toBeGreaterThan(10);
  });

  it('the baseline alone raises nothing', () => {
    const quiet = analyze(input([baseline], { attributions }));
    expect(quiet.indicators).toEqual([]);
    expect(quiet.verdict).toMatch(/^No attack pattern/);
  });

  it('the SYN-flood sample raises syn-flood, with the spoofing note, and no idle-established', () => {
    const syn = analyze(input([readSample('syn-flood.txt')], { attributions }));
    const kinds = syn.indicators.map((indicator) => indicator.kind);
    expect(kinds).toContain('syn-flood');
    expect(kinds).not.toContain('idle-established');
    expect(syn.indicators.find((indicator) => indicator.kind === 'syn-flood')?.evidence.figures.synRecvOnlySources).toBe(256);
    expect(syn.summary).toMatch(/never completed a handshake \(SYN_RECV only\): they may be spoofed/);
    expect(analysis.summary).not.toMatch(/spoofed/);
  });

  it('the scan sample raises port-scan naming the scanner', () => {
    const scan = analyze(input([readSample('port-scan.txt')], { attributions }));
    const indicator = scan.indicators.find((candidate) => candidate.kind === 'port-scan');
    expect(indicator?.evidence.remotes).toEqual(['51.68.10.10']);
    expect(scan.indicators.map((candidate) => candidate.kind)).toEqual(['port-scan']);
  });
});

describe('incident generator', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'netsleuth-incident-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('reproduces the committed samples byte for byte', () => {
    execFileSync(process.execPath, [join(INCIDENT_DIR, 'generate.mjs'), outDir]);
    const generated = readdirSync(outDir).sort();
    expect(generated).toEqual(readdirSync(INCIDENT_DIR).filter((name) => name.endsWith('.txt')).sort());
    for (const name of generated) expect(readFileSync(join(outDir, name))).toEqual(readFileSync(join(INCIDENT_DIR, name)));
  });
});
