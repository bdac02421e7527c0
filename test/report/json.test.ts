import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminalText } from '../../src/output/terminal-text.js';
import { renderJson, renderJsonBytes, renderJsonChunks, reportToJson } from '../../src/report/renderers/json.js';
import { incidentReport, HOSTILE } from './fixtures.js';

describe('renderJson', () => {
  it('has the documented top-level keys in a fixed order', () => {
    const parsed = JSON.parse(renderJson(incidentReport())) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion', 'tool', 'generatedAt', 'inputs', 'totals', 'verdict', 'summary', 'remotes', 'countries',
      'institutions', 'clusters', 'indicators', 'timeline', 'traces', 'pathAttributions', 'map', 'dataSources', 'methodology',
    ]);
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.generatedAt).toBe('2026-11-28T12:00:00.000Z');
  });

  it('lists every remote (no cut) with the issue-5 fields, asn an integer', () => {
    const json = reportToJson(incidentReport({ remotes: 60 }));
    expect(json.remotes).toHaveLength(60);
    const first = json.remotes[0];
    expect(first).toMatchObject({
      ip: '147.46.10.20', connections: 90, states: { ESTABLISHED: 45, SYN_RECV: 45 }, localPorts: [{ port: 80, connections: 90 }],
      special: null, country: 'KR', countryName: 'South Korea', city: 'Seoul', asn: 9488, asOrg: 'Seoul National University',
      institution: { name: 'Seoul National University', type: 'academic', evidence: ["AS name contains 'University'"] },
      rdns: { status: 'nxdomain', names: [] },
    });
    expect(Number.isInteger(first?.asn)).toBe(true);
    expect(json.totals).toEqual({ connections: 200, remotes: 60, listening: 3, states: { ESTABLISHED: 101, SYN_RECV: 99 } });
    expect(json.inputs[0]).toEqual({ path: 'before.txt', sizeBytes: 1234, sha256: 'a'.repeat(64), format: 'netstat-linux', host: null, capturedAt: '2026-11-27T10:00:00.000Z', snapshot: null, lines: 25, parsed: 23, skipped: 2 });
  });

  it('keeps hostile strings as data: round-trips exactly, no raw control characters', () => {
    const text = renderJson(incidentReport({ hostile: true }));
    const json = JSON.parse(text) as ReturnType<typeof reportToJson>;
    const hostile = json.remotes.find((remote) => remote.ip === '203.0.113.7');
    expect(hostile?.asOrg).toBe(HOSTILE.asOrg);
    expect(hostile?.rdns.names).toEqual([HOSTILE.ptr]);
    // JSON.stringify escapes ESC and newlines inside strings; the file itself has none in values.
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').every((line) => !line.includes('second line') || line.includes('\\nsecond line'))).toBe(true);
  });

  it('is byte-identical for the same report', () => {
    expect(renderJson(incidentReport())).toBe(renderJson(incidentReport()));
  });

  it('comes in pieces that join to exactly JSON.stringify of the whole document', () => {
    for (const remotes of [0, 1, 2000, 2001, 4500]) {
      for (const hostile of [false, true]) {
        const report = incidentReport({ remotes, hostile });
        const chunks = [...renderJsonChunks(report)];
        expect(chunks.join(''), `${remotes} remotes`).toBe(`${JSON.stringify(reportToJson(report), null, 2)}\n`);
        expect(renderJson(report)).toBe(chunks.join(''));
        // No piece holds the whole list of remotes: at most 2000 a piece.
        if (remotes > 2000) expect(chunks.length).toBeGreaterThanOrEqual(2 + Math.ceil(remotes / 2000));
      }
    }
  });
});

// Text a terminal acts on, as it could reach any field: C0 and C1 controls, DEL, bidi controls,
// line/paragraph separators, a lone surrogate, and characters that make a string two-byte.
const UNSAFE_TEXT = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\u001b[2J', '\u009b31m', '\u202eevil', '\u2028\u2029', '\u007f', '\u061c', '\ud800', 'Seoul 서울 ☕', 'café', '"\\', ''),
);

describe('the remotes written straight to text', () => {
  it('are byte for byte what JSON.stringify makes of reportToJson, in any shape a remote can take; terminal-safe output is escapeTerminalText of it', () => {
    const remoteShape = fc.record({
      text: fc.array(UNSAFE_TEXT, { minLength: 12, maxLength: 12 }),
      share: fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e-7)),
      states: fc.dictionary(fc.oneof(fc.constantFrom('ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', '7', '0', '__proto__'), UNSAFE_TEXT), fc.integer({ min: 0, max: 9 }), { maxKeys: 5 }),
      ports: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
      special: fc.boolean(),
      institution: fc.constantFrom('none', 'bare', 'full'),
      verdict: fc.boolean(),
      hosts: fc.boolean(),
      nulls: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(remoteShape, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), (shapes, networks, blocklists) => {
        const report = incidentReport({ remotes: shapes.length });
        report.analysis.remotes = shapes.map((shape, index) => {
          const [a = '', b = '', c = '', d = '', e = '', f = '', g = '', h = '', i = '', j = '', k = '', l = ''] = shape.text;
          const base = report.analysis.remotes[index] ?? report.analysis.remotes[0];
          if (!base) throw new Error('no remote');
          return {
            ...base,
            ip: a,
            share: shape.share,
            states: shape.states,
            localPorts: shape.ports.map((port) => ({ port, connections: port % 7 })),
            programs: shape.ports.map(() => ({ program: b, connections: 1 })),
            special: shape.special ? { kind: c, prefix: '10.0.0.0/8', name: d, rfc: 'RFC 1918' } : null,
            country: shape.nulls ? null : e,
            countryName: shape.nulls ? null : f,
            city: shape.nulls ? null : g,
            asn: shape.nulls ? null : 64500,
            asOrg: shape.nulls ? null : h,
            institution:
              shape.institution === 'none' ? null
              : shape.institution === 'bare' ? { name: i, type: 'isp', evidence: [] }
              : { name: i, type: 'academic', basis: 'university-list', confidence: 'medium', evidence: [j, k] },
            rdns: shape.nulls ? { status: 'skipped', names: [], ttl: null, server: null } : { status: 'ok', names: [l, a], ttl: 60, server: null, fcrdns: 'confirmed' },
            ...(shape.verdict ? { verdict: { ip: a, country: null, confidence: 'low' as const, summary: k, asPath: [64500, 9488], lastResponsiveHop: null } } : {}),
            ...(shape.hosts ? { hosts: [b, ''] } : {}),
            ...(networks && !shape.nulls ? { network: { status: 'ok' as const, handle: j, name: k, range: null, startAddress: null, endAddress: null, country: null, registry: 'APNIC' as const, registered: null, lastChanged: null, org: l, abuse: { emails: [a], phones: [], handle: null, name: null }, source: 'rdap' as const, url: null, fetchedAt: null } } : {}),
            ...(blocklists ? { listedIn: [{ list: c, entry: d, fetchedAt: null }] } : {}),
          };
        });
        if (networks) report.networks = { contacts: [], unreachable: [] } as unknown as NonNullable<typeof report.networks>;
        if (blocklists) report.blocklists = { lists: [], hits: [] } as unknown as NonNullable<typeof report.blocklists>;
        const expected = `${JSON.stringify(reportToJson(report), null, 2)}\n`;
        expect(renderJson(report)).toBe(expected);
        expect(renderJson(report, { terminalSafe: true })).toBe(escapeTerminalText(expected));
        expect(Buffer.concat([...renderJsonBytes(report, { terminalSafe: true })]).toString('utf8')).toBe(Buffer.from(escapeTerminalText(expected), 'utf8').toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('as bytes, are the UTF-8 of the same text, in buffers of at most 64 KiB (or one piece larger than that)', () => {
    for (const remotes of [0, 1, 2001, 4500]) {
      for (const hostile of [false, true]) {
        const report = incidentReport({ remotes, hostile });
        const buffers = [...renderJsonBytes(report)];
        expect(Buffer.concat(buffers).equals(Buffer.from(renderJson(report), 'utf8')), `${remotes} remotes`).toBe(true);
        if (remotes > 2000) expect(buffers.length).toBeGreaterThan(2);
        expect(buffers.slice(1, -1).every((buffer) => buffer.length <= 64 * 1024)).toBe(true);
      }
    }
  });

  it('terminal-safe: the hostile report written for a terminal holds no control, C1 or bidi character and parses to the same data', () => {
    const report = incidentReport({ hostile: true });
    const hostile = report.analysis.remotes.find((remote) => remote.ip === '203.0.113.7');
    if (hostile) hostile.asOrg = `${HOSTILE.asOrg}\u009b2J\u202e\u2028`;
    const text = Buffer.concat([...renderJsonBytes(report, { terminalSafe: true })]).toString('utf8');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('\\u009b2J\\u202e\\u2028');
    expect(JSON.parse(text)).toEqual(JSON.parse(renderJson(report)));
  });
});
