import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Analysis, AnalysisInput } from '../src/model/analysis.js';
import type { Capture, Connection } from '../src/model/connection.js';
import type { TracePath } from '../src/model/trace.js';
import { emptyAttribution } from '../src/enrich/geo/index.js';
import { investigate, remotesByWeight, type PipelineStages } from '../src/pipeline.js';
import { incidentAnalysis } from './report/fixtures.js';

function connection(remoteAddress: string, state: Connection['state'] = 'ESTABLISHED', line = 1): Connection {
  return {
    protocol: 'tcp', ipVersion: remoteAddress.includes(':') ? 6 : 4, localAddress: '198.51.100.10', localPort: 80,
    remoteAddress, remotePort: 40000 + line, state, rawState: state, recvQ: 0, sendQ: 0, pid: null, program: null,
    source: { file: 'capture.txt', line },
  };
}

function capture(remotes: [string, number][], extra: Connection[] = []): Capture {
  const connections = remotes.flatMap(([ip, count]) => Array.from({ length: count }, (_, index) => connection(ip, 'ESTABLISHED', index + 1)));
  connections.push(...extra);
  return {
    info: { path: 'capture.txt', sizeBytes: 100, sha256: 'c'.repeat(64), format: 'netstat-linux', capturedAt: null, lines: connections.length, parsed: connections.length, skipped: 0 },
    connections,
    diagnostics: [],
  };
}

const io = { stdin: Readable.from([]), stderr: new PassThrough(), env: {}, cwd: '/' };
const NOW = new Date('2026-11-28T12:00:00Z');

function fakeStages(captures: Capture[], record: { analysisInput?: AnalysisInput; rdnsIps?: string[]; liveTargets?: string[] }): Partial<PipelineStages> {
  return {
    readCaptures: async () => captures,
    openGeo: async () => ({
      lookup: (ip: string) => ({ ...emptyAttribution(ip), country: 'KR', latitude: 37.5, longitude: 127 }),
      sources: [{ id: 'test', name: 'Test DB', kind: 'city', path: 'test.mmdb', buildDate: '2026-01-01', licence: 'CC0', attribution: 'test' }],
      warnings: [],
      close() {},
    }),
    reverseDnsBatch: async (ips) => {
      record.rdnsIps = [...ips];
      return new Map(ips.map((ip) => [ip, { status: 'nxdomain', names: [], ttl: null, server: '127.0.0.1:5353' }]));
    },
    liveTraces: async (ips) => {
      record.liveTargets = [...ips];
      return ips.map((ip): TracePath => ({ target: { ip, name: null }, hops: [], reached: false, format: 'live:test' }));
    },
    analyze: (input): Analysis => {
      record.analysisInput = input;
      return incidentAnalysis();
    },
  };
}

describe('remotesByWeight', () => {
  it('counts connections per peer, heaviest first, ignoring LISTEN and wildcard peers', () => {
    const input = capture([['147.46.1.2', 2], ['147.46.1.1', 2], ['203.0.113.9', 5]], [connection('0.0.0.0', 'LISTEN'), connection('*'), connection('::', 'LISTEN')]);
    expect(remotesByWeight([input])).toEqual(['203.0.113.9', '147.46.1.1', '147.46.1.2']);
  });
});

describe('investigate', () => {
  it('wires captures, geo, rDNS and traces into the analysis and the report', async () => {
    const record: Parameters<typeof fakeStages>[1] = {};
    const captures = [capture([['147.46.1.1', 3], ['10.0.0.5', 4], ['203.0.113.9', 1]])];
    const stages = fakeStages(captures, record);
    stages.openGeo = async () => ({
      lookup: (ip: string) => ({
        ...emptyAttribution(ip),
        special: ip.startsWith('10.') ? { kind: 'private', prefix: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918' } : null,
      }),
      sources: [],
      warnings: [],
      close() {},
    });
    const report = await investigate(
      { inputs: ['capture.txt'], rdns: { servers: ['127.0.0.1:5353'] }, trace: true, liveTraceLimit: 1, now: NOW },
      io,
      stages,
    );
    expect(record.rdnsIps).toEqual(['10.0.0.5', '147.46.1.1', '203.0.113.9']);
    // The private address is the heaviest but is never traced.
    expect(record.liveTargets).toEqual(['147.46.1.1']);
    expect([...(record.analysisInput?.traces.keys() ?? [])]).toEqual(['147.46.1.1']);
    expect(record.analysisInput?.rdns.get('203.0.113.9')?.status).toBe('nxdomain');
    expect(report.run).toEqual({ dns: true, trace: true, dnsServers: ['127.0.0.1:5353'], baseline: null });
    expect(report.inputs).toEqual([captures[0]?.info]);
    expect(report.generatedAt).toBe('2026-11-28T12:00:00.000Z');
  });

  it('--no-dns and --no-trace query nothing', async () => {
    const record: Parameters<typeof fakeStages>[1] = {};
    const report = await investigate({ inputs: [], rdns: null, trace: false, now: NOW }, io, fakeStages([capture([['147.46.1.1', 1]])], record));
    expect(record.rdnsIps).toBeUndefined();
    expect(record.liveTargets).toBeUndefined();
    expect(record.analysisInput?.rdns.size).toBe(0);
    expect(report.run.dns).toBe(false);
    expect(report.dataSources.map((source) => source.id)).toEqual(['test']);
  });

  it('passes the baseline captures and analysis options through', async () => {
    const record: Parameters<typeof fakeStages>[1] = {};
    const stages = fakeStages([capture([['147.46.1.1', 1]])], record);
    const read: string[][] = [];
    const inner = stages.readCaptures;
    stages.readCaptures = async (inputs, ioArg, options) => {
      read.push(inputs);
      return inner ? inner(inputs, ioArg, options) : [];
    };
    await investigate({ inputs: ['a', 'b'], baseline: 'normal.txt', rdns: null, trace: false, now: NOW, analysis: { clusterThreshold: 0.1 } }, io, stages);
    expect(read).toEqual([['a', 'b'], ['normal.txt']]);
    expect(record.analysisInput?.baseline).toHaveLength(1);
    expect(record.analysisInput?.options).toEqual({ clusterThreshold: 0.1 });
  });
});
