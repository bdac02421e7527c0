// Builders for constructed captures with known answers, and the incident samples
// parsed with the real Linux netstat parser.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisInput } from '../../src/model/analysis.js';
import type { IpAttribution, RdnsResult } from '../../src/model/attribution.js';
import type { Capture, Connection, ConnectionState } from '../../src/model/connection.js';
import { createNetstatLinuxParser } from '../../src/capture/parsers/netstat-linux.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

export const BOX = '203.0.113.10';
export const INCIDENT_DIR = join(PROJECT_ROOT, 'samples/incident');

export interface ConnOptions {
  localPort?: number | null;
  remotePort?: number | null;
  state?: ConnectionState;
  recvQ?: number | null;
  sendQ?: number | null;
  program?: string | null;
  localAddress?: string;
}

let line = 0;
export function conn(remoteAddress: string, options: ConnOptions = {}): Connection {
  return {
    protocol: 'tcp',
    ipVersion: remoteAddress.includes(':') ? 6 : 4,
    localAddress: options.localAddress ?? BOX,
    localPort: options.localPort === undefined ? 80 : options.localPort,
    remoteAddress,
    remotePort: options.remotePort === undefined ? 40000 + (line % 20000) : options.remotePort,
    state: options.state ?? 'ESTABLISHED',
    rawState: options.state ?? 'ESTABLISHED',
    recvQ: options.recvQ === undefined ? 0 : options.recvQ,
    sendQ: options.sendQ === undefined ? 0 : options.sendQ,
    pid: null,
    program: options.program ?? null,
    source: { file: 'test', line: ++line },
  };
}

export function many(count: number, remoteAddress: string, options: ConnOptions = {}): Connection[] {
  return Array.from({ length: count }, (_, index) => conn(remoteAddress, { remotePort: 20000 + index, ...options }));
}

export function listener(port: number): Connection {
  return conn('0.0.0.0', { localAddress: '0.0.0.0', localPort: port, remotePort: null, state: 'LISTEN' });
}

export function capture(path: string, connections: Connection[], capturedAt: string | null = null): Capture {
  return {
    info: { path, sizeBytes: 0, sha256: '', format: 'test', capturedAt, lines: connections.length, parsed: connections.length, skipped: 0 },
    connections,
    diagnostics: [],
  };
}

export function attribution(ip: string, fields: Partial<IpAttribution>): IpAttribution {
  return {
    ip, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null,
    asn: null, asOrg: null, isp: null, organization: null, registeredCountry: null, institution: null, sources: {}, ...fields,
  };
}

export function rdns(status: RdnsResult['status'], names: string[] = [], fcrdns?: RdnsResult['fcrdns']): RdnsResult {
  return { status, names, ttl: status === 'ok' ? 3600 : null, server: '127.0.0.1:5353', ...(fcrdns ? { fcrdns } : {}) };
}

export function input(captures: Capture[], extra: Partial<AnalysisInput> = {}): AnalysisInput {
  return { captures, attributions: new Map(), rdns: new Map(), traces: new Map(), verdicts: new Map(), ...extra };
}

/** Parse a sample with the real Linux netstat parser. */
export function readSample(name: string): Capture {
  const text = readFileSync(join(INCIDENT_DIR, name), 'utf8');
  const connections: Connection[] = [];
  const parser = createNetstatLinuxParser(name, {
    connection: (connection) => connections.push(connection),
    diagnostic: () => undefined,
    meta: () => undefined,
  });
  text.split('\n').forEach((lineText, index) => parser.line(lineText, index + 1));
  parser.end();
  return capture(name, connections);
}

export function incidentFiles(): string[] {
  return readdirSync(INCIDENT_DIR).filter((name) => /^incident-\d+\.txt$/.test(name)).sort();
}
