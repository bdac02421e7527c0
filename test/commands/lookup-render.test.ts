// The streaming lookup writers against what lookup printed before it streamed:
// JSON.stringify(results, null, 2) and papaparse's unparse, byte for byte, on results
// with hostile text (quotes, commas, newlines, formulas, spaces at the ends, BOMs).
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvWriter, CSV_FIELDS, jsonWriter, tableWriter } from '../../src/commands/lookup-render.js';
import type { LookupResult } from '../../src/commands/lookup.js';
import { escapeCsvCell } from '../../src/output/escape.js';

const nasty = fc.oneof(fc.string(), fc.constantFrom('a,b', 'say "hi"', ' lead', 'trail ', 'two\nlines', 'cr\rx', '\ufeffbom', '=cmd()', '+1', '-2', '@x', '', 'Ω unicode'));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const resultArb: fc.Arbitrary<LookupResult> = fc.record({
  ip: nasty,
  special: fc.option(fc.record({ kind: fc.constantFrom('private', 'loopback'), prefix: fc.constant('10.0.0.0/8'), rfc: fc.constant('RFC 1918') }), { nil: null }),
  country: maybe(nasty),
  countryName: maybe(nasty),
  region: maybe(nasty),
  city: maybe(nasty),
  latitude: maybe(fc.double({ min: -90, max: 90, noNaN: true })),
  longitude: maybe(fc.double({ min: -180, max: 180, noNaN: true })),
  asn: maybe(fc.integer({ min: 0, max: 0xffffffff })),
  asOrg: maybe(nasty),
  institution: fc.option(fc.record({ name: nasty, type: fc.constantFrom('academic', 'hosting'), evidence: fc.array(nasty, { maxLength: 3 }) }), { nil: null }),
  rdns: fc.record({ status: fc.constantFrom('ok', 'skipped', 'nxdomain'), names: fc.array(nasty, { maxLength: 3 }), ttl: maybe(fc.integer({ min: 0, max: 86400 })), server: maybe(fc.constant('127.0.0.1:53')) }),
  sources: fc.dictionary(fc.constantFrom('country', 'asn', 'asOrg'), fc.string({ maxLength: 8 })),
  error: fc.option(nasty, { nil: undefined }),
}).map((r) => {
  const { error, ...rest } = r;
  return (error === undefined ? rest : { ...rest, error }) as LookupResult;
});

function collect(write: (sink: { write(text: string): void }) => void): { text: string; chunks: number } {
  const chunks: string[] = [];
  write({ write: (text) => void chunks.push(text) });
  return { text: chunks.join(''), chunks: chunks.length };
}

/** What lookup printed before: papaparse over the same cells. */
function papaCsv(results: LookupResult[]): string {
  const text = (value: string | null | undefined): string => (value ? escapeCsvCell(value) : '');
  const rows = results.map((r) => [text(r.ip), text(r.special?.kind), text(r.country), text(r.countryName), text(r.region), text(r.city), r.latitude === null ? '' : String(r.latitude), r.longitude === null ? '' : String(r.longitude), r.asn === null ? '' : String(r.asn), text(r.asOrg), text(r.institution?.name), text(r.institution?.type), text(r.institution?.evidence.join('; ')), r.rdns.status, text(r.rdns.names.join(' ')), text(r.error)]);
  return Papa.unparse({ fields: [...CSV_FIELDS], data: rows }, { newline: '\n' }) + '\n';
}

describe('lookup writers', () => {
  it('JSON is JSON.stringify(results, null, 2) byte for byte, in pieces', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 40 }), (results) => {
        const { text } = collect((sink) => {
          const writer = jsonWriter(sink);
          for (const result of results) writer.row(result);
          writer.end();
        });
        expect(text).toBe(JSON.stringify(results, null, 2) + '\n');
      }),
      { numRuns: 300 },
    );
  });

  it('JSON stays JSON.stringify with shared frozen objects, extra fields and left-out values', () => {
    // Lookups hand out shared frozen objects (sources, institution, the skipped-rDNS summary) and
    // registration fields are appended: the writer keeps their text, and must not keep a stale one.
    const shared = Object.freeze({ status: 'skipped', names: Object.freeze([]), ttl: null, server: null });
    const extraArb = fc.record({
      network: fc.option(fc.record({ range: nasty, abuse: fc.option(fc.record({ emails: fc.array(nasty, { maxLength: 2 }) }), { nil: null }) }), { nil: null }),
      listedIn: fc.array(fc.record({ list: nasty, entry: nasty, fetchedAt: maybe(nasty) }), { maxLength: 2 }),
      note: fc.constantFrom(undefined, 1.5, -0, Number.NaN, true, 'x'),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(resultArb, extraArb, fc.boolean()), { maxLength: 30 }), (rows) => {
        const results = rows.map(([result, extra, useShared]) => ({ ...result, ...(useShared ? { rdns: shared as unknown as LookupResult['rdns'] } : {}), ...extra }));
        const { text } = collect((sink) => {
          const writer = jsonWriter(sink);
          for (const result of results) writer.row(result as LookupResult);
          writer.end();
        });
        expect(text).toBe(JSON.stringify(results, null, 2) + '\n');
      }),
      { numRuns: 200 },
    );
  });

  it('CSV is what papaparse wrote, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { minLength: 1, maxLength: 40 }), (results) => {
        const { text } = collect((sink) => {
          const writer = csvWriter(sink);
          for (const result of results) writer.row(result);
          writer.end();
        });
        expect(text).toBe(papaCsv(results));
      }),
      { numRuns: 300 },
    );
  });

  it('a long run goes out in many chunks, not one string', () => {
    const results = fc.sample(resultArb, { numRuns: 5000, seed: 1 });
    for (const make of [jsonWriter, csvWriter]) {
      const { chunks } = collect((sink) => {
        const writer = make(sink);
        for (const result of results) writer.row(result);
        writer.end();
      });
      expect(chunks).toBeGreaterThan(5);
    }
  });

  it('the table pads each column to its widest cell', () => {
    const results = fc.sample(resultArb, { numRuns: 20, seed: 2 }).map((r, i) => {
      const { error: _error, ...rest } = r;
      return { ...rest, ip: `203.0.113.${i}`, special: null, country: 'KR', asn: i * 1000 } as LookupResult;
    });
    const { text } = collect((sink) => {
      const writer = tableWriter(sink);
      for (const result of results) writer.row(result);
      writer.end();
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IP +COUNTRY +CITY +ASN +AS ORGANISATION +INSTITUTION +REVERSE DNS$/);
    expect(lines.length).toBe(results.length + 1);
    const countryAt = (lines[0] as string).indexOf('COUNTRY');
    for (const line of lines.slice(1)) expect(line.slice(countryAt, countryAt + 3)).toBe('KR ');
  });
});
