// Per-format cases the real fixtures do not cover, the registry contract, empty/garbage input and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectTraceFormat, parseTraceText, splitTraceLines } from '../../../src/trace/parse.js';
import { TRACE_PARSERS } from '../../../src/trace/parsers/index.js';
import { decodeTraceBytes } from '../../../src/trace/read.js';

const parse = (text: string, inputFormat?: string) => parseTraceText(text, { file: 't.txt', inputFormat });

describe('registry', () => {
  it.each(TRACE_PARSERS.map((parser) => [parser.name, parser] as const))('%s: has a sample that is detected as itself and parses', (name, parser) => {
    expect(parser.commands.length).toBeGreaterThan(0);
    expect(detectTraceFormat(splitTraceLines(parser.sample))).toBe(name);
    const result = parse(parser.sample);
    expect(result.format).toBe(name);
    expect(result.diagnostics).toEqual([]);
    expect(result.paths.length).toBe(1);
    expect(result.paths[0]!.hops.length).toBeGreaterThan(0);
  });
  it('has unique names', () => expect(new Set(TRACE_PARSERS.map((parser) => parser.name)).size).toBe(TRACE_PARSERS.length));
});

describe('empty and garbage input', () => {
  it.each(['', '\n\n', '   \r\n'])('empty %j: no paths, no diagnostics', (text) => {
    expect(parse(text)).toMatchObject({ paths: [], diagnostics: [] });
  });
  it('garbage: no paths and a diagnostic naming line 1', () => {
    const result = parse('hello world\nthis is not a trace\n');
    expect(result.paths).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ file: 't.txt', line: 1 });
  });
  it.each(TRACE_PARSERS.map((parser) => parser.name))('forced %s on garbage: no paths, no throw', (name) => {
    const result = parse('hello world\n{"nope": 1}\n| a | b |\n', name);
    expect(result.paths).toEqual([]);
  });
  it('unknown forced format is a user error listing the choices', () => {
    expect(() => parse('x', 'nope')).toThrow(/choices: .*traceroute/);
  });
  it('broken lines inside a trace are reported with their line number, the rest kept', () => {
    const result = parse('traceroute to 8.8.8.8 (8.8.8.8), 30 hops max\n 1  10.0.0.1  1.0 ms\n 2  !X !Y\n 3  8.8.8.8  3.0 ms\n');
    expect(result.paths[0]!.hops.map((hop) => hop.ttl)).toEqual([1, 3]);
    expect(result.diagnostics).toMatchObject([{ line: 3, reason: 'unrecognised hop line' }]);
    expect(result.paths[0]!.reached).toBe(true);
  });
});

describe('traceroute variants', () => {
  it('inetutils traceroute (no space before ms, 3-space indent)', () => {
    const text = 'traceroute to 8.8.8.8 (8.8.8.8), 64 hops max\n  1   192.168.1.1  0.590ms  0.496ms  0.459ms \n  2   *  *  * \n  3   8.8.8.8  9.1ms  9.0ms  9.2ms \n';
    const path = parse(text).paths[0]!;
    expect(path.hops[0]!.probes.map((probe) => probe.rttMs)).toEqual([0.59, 0.496, 0.459]);
    expect(path.hops[1]!.probes.every((probe) => probe.ip === null)).toBe(true);
    expect(path.reached).toBe(true);
  });
  it('IPv6 with !H !N !X annotations, destination unreachable', () => {
    const text = 'traceroute to 2001:db8::1 (2001:db8::1), 30 hops max, 80 byte packets\n 1  2001:db8:0:0::fe  0.3 ms  0.2 ms  0.2 ms\n 2  2001:db8:1::1  5.1 ms !H  5.0 ms !N  5.2 ms !X\n';
    const path = parse(text).paths[0]!;
    expect(path.hops[0]!.probes[0]!.ip).toBe('2001:db8::fe');
    expect(path.hops[1]!.probes.map((probe) => probe.annotation)).toEqual(['!H', '!N', '!X']);
    expect(path.reached).toBe(false);
  });
  it('traceroute -e: ICMP extensions are not responders', () => {
    const path = parse('traceroute to 203.0.113.9 (203.0.113.9), 30 hops max\n 1  198.51.100.1 <MPLS:L=24005,E=0,S=1,T=1>  1.2 ms  1.3 ms\n').paths[0]!;
    expect(path.hops[0]!.probes.map((probe) => [probe.ip, probe.rttMs])).toEqual([['198.51.100.1', 1.2], ['198.51.100.1', 1.3]]);
  });
  it('several traces in one file become several paths', () => {
    const text = 'traceroute to 8.8.8.8 (8.8.8.8), 30 hops max\n 1  8.8.8.8  1 ms\ntraceroute to 1.1.1.1 (1.1.1.1), 30 hops max\n 1  10.0.0.1  1 ms\n 2  * * *\n';
    const result = parse(text);
    expect(result.paths.map((path) => [path.target.ip, path.reached, path.source?.line])).toEqual([['8.8.8.8', true, 1], ['1.1.1.1', false, 3]]);
  });
});

describe('mtr variants', () => {
  it('mtr -rwz: AS column, name (ip), ??? rows', () => {
    const text = 'Start: 2026-11-28T10:00:00+0000\nHOST: web01                     Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1. AS???    198.51.100.1         0.0%     3    0.4   0.4   0.3   0.5   0.1\n  2. AS4766   kornet.kt.co.kr (112.174.84.37)  0.0%     3   33.9  34.0  33.8  34.2   0.2\n  3. AS???    ???                 100.0     3    0.0   0.0   0.0   0.0   0.0\n';
    const path = parse(text).paths[0]!;
    expect(path.hops.map((hop) => [hop.probes[0]!.ip, hop.probes[0]!.name, hop.probes[0]!.asn, hop.probes[0]!.lossPct])).toEqual([
      ['198.51.100.1', null, null, 0], ['112.174.84.37', 'kornet.kt.co.kr', 4766, 0], [null, null, null, 100],
    ]);
    expect(path.reached).toBe(false);
  });
  it('mtr --report with extra responders on continuation lines (ECMP)', () => {
    const text = 'HOST: web01                     Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 198.51.100.1     0.0%     3    0.4   0.4   0.3   0.5   0.1\n    |  `|-- 198.51.100.2\n  2.|-- 203.0.113.9      0.0%     3    1.0   1.0   1.0   1.0   0.0\n';
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.paths[0]!.hops[0]!.probes.map((probe) => probe.ip)).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(result.paths[0]!.target.ip).toBe('203.0.113.9');
  });
  it('mtr --json 0.95 (numbers) with -z ASN', () => {
    const text = JSON.stringify({ report: { mtr: { dst: '203.0.113.9', tests: 3 }, hubs: [{ count: 1, host: '198.51.100.1', ASN: 'AS???', 'Loss%': 0, Snt: 3, Avg: 0.5, Best: 0.4, Wrst: 0.6 }, { count: 2, host: '203.0.113.9', ASN: 'AS64500', 'Loss%': 0, Snt: 3, Avg: 1.5, Best: 1.4, Wrst: 1.6 }] } });
    const path = parse(text).paths[0]!;
    expect(path.format).toBe('mtr-json');
    expect(path.hops.map((hop) => [hop.ttl, hop.probes[0]!.asn, hop.probes[0]!.rttMs])).toEqual([[1, null, 0.5], [2, 64500, 1.5]]);
    expect(path.reached).toBe(true);
  });
  it('invalid JSON is a diagnostic, not a throw', () => {
    const result = parse('{"report": {"hubs": [', 'mtr-json');
    expect(result.paths).toEqual([]);
    expect(result.diagnostics[0]!.reason).toMatch(/invalid JSON/);
  });
});

describe('tracepath and tracert variants', () => {
  it('newer tracepath prints name (ip) and reached', () => {
    const text = ' 1?: [LOCALHOST]                      pmtu 1500\n 1:  gw.example.net (198.51.100.1)                       0.500ms \n 2:  203.0.113.9                                          1.200ms reached\n     Resume: pmtu 1500 hops 2 back 2 \n';
    const path = parse(text).paths[0]!;
    expect(path.target).toEqual({ ip: '203.0.113.9', name: null });
    expect(path.hops[0]!.probes[0]).toMatchObject({ ip: '198.51.100.1', name: 'gw.example.net', rttMs: 0.5 });
    expect(path.reached).toBe(true);
  });
  it('tracert with "Destination host unreachable" keeps the reporting host', () => {
    const text = 'Tracing route to 203.0.113.9 over a maximum of 30 hops\n\n  1    <1 ms    <1 ms    <1 ms  198.51.100.1\n  2  198.51.100.1  reports: Destination host unreachable.\n';
    const result = parse(text);
    expect(result.format).toBe('tracert');
    expect(result.diagnostics).toEqual([]);
    expect(result.paths[0]!.hops[1]!.probes).toMatchObject([{ ip: '198.51.100.1', rttMs: null, annotation: '!H' }]);
    expect(result.paths[0]!.reached).toBe(false);
  });
  it('decodes Windows-1252 and UTF-16LE bytes', () => {
    expect(decodeTraceBytes(Buffer.from([0x44, 0xe9, 0x6c, 0x61, 0x69]))).toBe('Délai');
    expect(decodeTraceBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('  1    <1 ms', 'utf16le')]))).toBe('  1    <1 ms');
    expect(decodeTraceBytes(Buffer.from('Détermination', 'utf8'))).toBe('Détermination');
  });
});

describe('hostile names', () => {
  it('control characters and ANSI escapes are removed where names enter the model', () => {
    const text = 'traceroute to evil (203.0.113.9), 30 hops max\n 1  \u001b[31mred\u001b[0m\u0007.example.net (198.51.100.1)  1 ms\n 2  a\u202eb|[x](http://e)*_ (203.0.113.9)  2 ms\n';
    const path = parse(text).paths[0]!;
    expect(path.hops[0]!.probes[0]!.name).toBe('red.example.net');
    expect(path.hops[1]!.probes[0]!.name).toBe('ab|[x](http://e)*_');
  });
  it.each([
    ['traceroute', 'traceroute to ev\u001b]0;owned\u0007il.example (203.0.113.9), 30 hops max\n 1  203.0.113.9  1 ms\n'],
    ['iosxr', 'Tracing the route to ev\u001b[2Jil.example (203.0.113.9)\n 1  203.0.113.9 1 msec\n'],
    ['tracert', 'Tracing route to ev\u0000il.example [203.0.113.9]\n  1    <1 ms    <1 ms    <1 ms  203.0.113.9\n'],
  ])('%s: the target name is sanitized too', (format, text) => {
    const result = parse(text);
    expect(result.format).toBe(format);
    expect(result.paths[0]!.target).toEqual({ ip: '203.0.113.9', name: 'evil.example' });
  });
});

describe('properties', () => {
  const samples = TRACE_PARSERS.map((parser) => parser.sample);
  it('never throws on arbitrary text, forced or detected', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), fc.option(fc.constantFrom(...TRACE_PARSERS.map((parser) => parser.name)), { nil: undefined }), (text, format) => {
      const result = parse(text, format);
      return Array.isArray(result.paths) && Array.isArray(result.diagnostics);
    }), { numRuns: 300 });
  });
  it('never throws on samples with random lines spliced in, and every hop TTL is in 1..255', () => {
    fc.assert(fc.property(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(20), fc.string({ maxLength: 80 })), { maxLength: 5 }), (sample, inserts) => {
      const lines = splitTraceLines(sample);
      for (const [at, text] of inserts) lines.splice(at % (lines.length + 1), 0, text);
      const result = parse(lines.join('\n'));
      return result.paths.every((path) => path.hops.every((hop) => hop.ttl >= 1 && hop.ttl <= 255));
    }), { numRuns: 300 });
  });
  it('a long line of tokens parses in linear time (no regex blow-up)', () => {
    const line = ` 1 ${'a (1.2.3.4) 1 ms '.repeat(20000)}`;
    const started = performance.now();
    parse(`traceroute to x (1.2.3.4), 30 hops max\n${line}\n${' 1  '.repeat(50000)}x\n`);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
