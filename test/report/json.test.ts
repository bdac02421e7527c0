import { describe, expect, it } from 'vitest';
import { renderJson, renderJsonChunks, reportToJson } from '../../src/report/renderers/json.js';
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
