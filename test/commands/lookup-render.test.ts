// The streaming lookup writers against what lookup printed before it streamed:
// JSON.stringify(results, null, 2) and papaparse's unparse, byte for byte, on results
// with hostile text (quotes, commas, newlines, formulas, spaces at the ends, BOMs).
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvWriter, CSV_FIELDS, jsonWriter, SKIPPED_SUMMARY, tableWriter } from '../../src/commands/lookup-render.js';
import { attributionOf, type LookupParts, type MappedGeo, type NetworkPart } from '../../src/enrich/geo/index.js';
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

  it('rows from shared pieces (parts) are the rows of the same results, hostile text escaped the same way', () => {
    // A few shared records and networks, many addresses: pieces are rendered once and reused.
    const geoArb: fc.Arbitrary<Omit<MappedGeo, 'id'>> = fc.record({
      fields: fc.record({ country: maybe(nasty), countryName: maybe(nasty), region: maybe(nasty), city: maybe(nasty), latitude: maybe(fc.double({ min: -90, max: 90, noNaN: true })), longitude: maybe(fc.double({ min: -180, max: 180, noNaN: true })), registeredCountry: maybe(nasty) }),
      sources: fc.dictionary(fc.constantFrom('country', 'city'), fc.string({ maxLength: 8 })).map((sources) => Object.freeze(sources)),
    });
    const institutionArb = fc.option(fc.record({ name: nasty, type: fc.constantFrom('academic' as const, 'hosting' as const), evidence: fc.array(nasty, { maxLength: 3 }) }).map((institution) => Object.freeze(institution)), { nil: null });
    const networkArb: fc.Arbitrary<Omit<NetworkPart, 'id'>> = fc.record({ asn: maybe(fc.integer({ min: 0, max: 0xffffffff })), asOrg: maybe(nasty), isp: fc.constant(null), organization: fc.constant(null), institution: institutionArb, assigned: fc.constant(''), sourcesByGeo: fc.constant(new Map()) });
    const addressArb = fc.oneof(fc.ipV4(), fc.ipV6(), nasty);
    fc.assert(
      fc.property(fc.array(fc.option(geoArb, { nil: null }), { minLength: 1, maxLength: 4 }), fc.array(networkArb, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(addressArb, fc.nat(), fc.nat(), fc.dictionary(fc.constantFrom('asn', 'asOrg'), fc.string({ maxLength: 8 }))), { maxLength: 30 }), (geoFields, networkFields, rows) => {
        // Numbered as the engine numbers them: each piece its own id.
        const geos = geoFields.map((geo, id) => (geo ? { ...geo, id } : null));
        const networks = networkFields.map((network, id) => ({ ...network, id }));
        const parts: LookupParts[] = rows.map(([text, g, n, sources]) => ({ text, valid: true, special: null, geo: geos[g % geos.length] ?? null, network: networks[n % networks.length] as NetworkPart, sources: Object.freeze(sources) }));
        const results: LookupResult[] = parts.map((part) => {
          const a = attributionOf(part);
          return { ip: a.ip, special: a.special, country: a.country, countryName: a.countryName, region: a.region, city: a.city, latitude: a.latitude, longitude: a.longitude, asn: a.asn, asOrg: a.asOrg, institution: a.institution, rdns: SKIPPED_SUMMARY, sources: a.sources };
        });
        for (const make of [jsonWriter, csvWriter]) {
          const fromParts = collect((sink) => {
            const writer = make(sink);
            for (const part of parts) writer.parts?.(part);
            writer.end();
          });
          const fromResults = collect((sink) => {
            const writer = make(sink);
            for (const result of results) writer.row(result);
            writer.end();
          });
          expect(fromParts.text).toBe(fromResults.text);
        }
        expect(collect((sink) => {
          const writer = jsonWriter(sink);
          for (const part of parts) writer.parts?.(part);
          writer.end();
        }).text).toBe(JSON.stringify(results, null, 2) + '\n');
      }),
      { numRuns: 300 },
    );
  });

  it('two addresses in one record and network get the same row but for the address', () => {
    const geo: MappedGeo = { id: 0, fields: { country: 'KR', countryName: 'South Korea', region: 'Seoul', city: '=HYPERLINK("x")', latitude: 37.5658, longitude: 126.978, registeredCountry: null }, sources: Object.freeze({ country: 'geolite2-city-ipv4' }) };
    const network: NetworkPart = { id: 3, asn: 9488, asOrg: '+cmd|"evil", Inc.', isp: null, organization: null, institution: Object.freeze({ name: '@x', type: 'academic' as const, evidence: ['-1', 'a\nb'] }), assigned: '', sourcesByGeo: new Map() };
    const part = (text: string): LookupParts => ({ text, valid: true, special: null, geo, network, sources: Object.freeze({ asn: 'ip-location-db-asn' }) });
    const { text } = collect((sink) => {
      const writer = csvWriter(sink);
      writer.parts?.(part('147.46.10.10'));
      writer.parts?.(part('147.46.10.11'));
      writer.end();
    });
    const [, first, second] = text.split(/\n(?=147)/);
    expect(first?.replace('147.46.10.10', '')).toBe(second?.replace('147.46.10.11', '').trimEnd());
    expect(first).toContain(`'=HYPERLINK(""x"")`);
    expect(first).toContain(`"'+cmd|""evil"", Inc."`);
    expect(first).toContain(`'@x,academic,"'-1; a\nb"`);
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
