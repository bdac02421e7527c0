import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RdnsResult } from '../../src/model/attribution.js';
import type { TracePath } from '../../src/model/trace.js';
import { attributePath, collapseAsPath } from '../../src/trace/attribute.js';
import { parseTraceText } from '../../src/trace/parse.js';
import { traceVerdict } from '../../src/trace/verdict.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';
import { fakeGeo, KOREA_GEO } from './fake-geo.js';

const sample = (name: string): TracePath => parseTraceText(readFileSync(`${PROJECT_ROOT}samples/traces/${name}`, 'utf8'), { file: name }).paths[0]!;

const traceText = (lines: string[]) => parseTraceText(`traceroute to 203.0.113.9 (203.0.113.9), 30 hops max\n${lines.join('\n')}\n`, { file: 't' }).paths[0]!;

describe('collapseAsPath', () => {
  it.each([
    [[1, 1, null, 1, 2, 2, 3], [1, 2, 3]],
    [[null, null], []],
    [[5, 6, 5], [5, 6, 5]],
  ])('%j -> %j', (input, expected) => expect(collapseAsPath(input)).toEqual(expected));
});

describe('attributePath', () => {
  it('synthetic SNU trace: AS path, last responsive hop, last hop outside the destination network', () => {
    const geo = fakeGeo(KOREA_GEO);
    const result = attributePath(sample('traceroute-snu-silent.txt'), geo);
    expect(result.asPath).toEqual([2914, 4766]);
    expect(result.destinationSilent).toBe(true);
    expect(result.lastResponsiveHop).toMatchObject({ ttl: 6, ip: '112.188.240.102', asn: 4766, asOrg: 'Korea Telecom', country: 'KR' });
    // AS4766 differs from the destination's AS9488, so the last KT hop is the last outside it.
    expect(result.lastHopOutsideDestination).toMatchObject({ ttl: 6 });
    expect(result.hops[0]).toMatchObject({ ip: '198.51.100.1', country: null, asn: null, name: '_gateway' });
    expect(result.hops[1]!.hints[0]).toMatchObject({ country: 'JP', city: 'Tokyo' });
    expect(result.hops[5]!.institution).toEqual({ name: 'Korea Telecom', type: 'isp', evidence: ['test table'] });
    expect(result.hops.slice(6).every((hop) => hop.ip === null)).toBe(true);
  });

  it('picks the responder that answered most probes; geo ASN wins over the tracer AS tag, which fills gaps', () => {
    const path = traceText([' 1  198.51.100.7 [AS64500]  1 ms 198.51.100.8 [AS64501]  2 ms  3 ms', ' 2  203.0.113.9 [AS64502]  4 ms']);
    const geo = fakeGeo({ '203.0.113.9': { asn: 64999, country: 'NL' } });
    const result = attributePath(path, geo);
    expect(result.hops.map((hop) => [hop.ip, hop.asn])).toEqual([['198.51.100.8', 64501], ['203.0.113.9', 64999]]);
    expect(result.destinationSilent).toBe(false);
    expect(result.lastHopOutsideDestination).toBeNull();
  });

  it('uses rDNS names only for hops the trace printed without a name, sanitized', () => {
    const path = traceText([' 1  198.51.100.7  1 ms', ' 2  named.example.net (198.51.100.8)  2 ms']);
    const ok = (name: string): RdnsResult => ({ status: 'ok', names: [name], ttl: 60, server: null });
    const rdns = new Map([['198.51.100.7', ok('fra-\u001b[2Jcore.example.de')], ['198.51.100.8', ok('other.example.net')]]);
    const result = attributePath(path, fakeGeo({}), { rdns });
    expect(result.hops.map((hop) => hop.name)).toEqual(['fra-core.example.de', 'named.example.net']);
    expect(result.hops[0]!.hints.map((hint) => hint.country)).toEqual(['DE', 'DE']);
  });
});

describe('traceVerdict', () => {
  it('silent Korean destination behind Korea Telecom hops with .kr names', () => {
    const geo = fakeGeo(KOREA_GEO);
    const path = sample('traceroute-snu-silent.txt');
    const { hops } = attributePath(path, geo);
    const verdict = traceVerdict('147.46.80.1', geo.lookup('147.46.80.1'), path, hops);
    expect(verdict.country).toBe('KR');
    expect(verdict.confidence).toBe('high');
    expect(verdict.summary).toMatch(/^destination silent; last 3 hops in AS4766 Korea Telecom; hostnames end in \.kr; .*-> KR, high confidence$/);
    expect(verdict.asPath).toEqual([2914, 4766]);
    expect(verdict.lastResponsiveHop?.ttl).toBe(6);
  });

  it('no geo of its own: the path decides with medium confidence', () => {
    const geo = fakeGeo({ ...KOREA_GEO, '147.46.': {} });
    const path = sample('traceroute-snu-silent.txt');
    const verdict = traceVerdict('147.46.80.1', geo.lookup('147.46.80.1'), path, attributePath(path, geo).hops);
    expect([verdict.country, verdict.confidence]).toEqual(['KR', 'medium']);
    expect(verdict.summary).toContain('no geo for the address itself');
  });

  it('own geo and path disagree: own geo kept, low confidence, conflict said', () => {
    const geo = fakeGeo({ ...KOREA_GEO, '147.46.': { country: 'US', asn: 9488 } });
    const path = sample('mtr-report-snu-silent.txt');
    const withTarget = { ...path, target: { ip: '147.46.80.1', name: null }, reached: false };
    const verdict = traceVerdict('147.46.80.1', geo.lookup('147.46.80.1'), withTarget, attributePath(withTarget, geo).hops);
    expect([verdict.country, verdict.confidence]).toEqual(['US', 'low']);
    expect(verdict.summary).toContain('own geo says US but the path points to KR');
  });

  it('nothing known: unknown country, low confidence', () => {
    const path = traceText([' 1  * * *', ' 2  * * *']);
    const geo = fakeGeo({});
    const verdict = traceVerdict('203.0.113.9', geo.lookup('203.0.113.9'), path, attributePath(path, geo).hops);
    expect(verdict).toMatchObject({ country: null, confidence: 'low', lastResponsiveHop: null, asPath: [] });
    expect(verdict.summary).toBe('destination silent; no hop answered; no country from geo or path -> unknown, low confidence');
  });
});
