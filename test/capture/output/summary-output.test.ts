// `parse --summary --format csv`: the WebAssembly writer (big tables) prints exactly what the
// JavaScript writer prints, row order included: connections descending, IPv4 by address, other
// rows (IPv6, names) after the IPv4 rows with as many connections.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summaryCsvChunks } from '../../../src/capture/output/summary-output.js';
import { RemoteSummaryTable } from '../../../src/capture/summary/remote-summary.js';
import { socketRowScannerUnavailable } from '../../../src/capture/summary/socket-row-scanner.js';
import { CONNECTION_STATES } from '../../../src/model/connection.js';

const csv = (table: RemoteSummaryTable, wasmMinRows: number) => Buffer.concat([...summaryCsvChunks(table, wasmMinRows)]).toString('utf8');

describe.skipIf(socketRowScannerUnavailable() !== null)('summaryCsvChunks', () => {
  it('gives the same bytes from the WebAssembly writer as from the JavaScript one', () => {
    const remote = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 8 },
      // A narrow range: many rows share their first octets, and keys sort by more than one byte.
      { arbitrary: fc.integer({ min: 0, max: 4000 }).map((n) => 0x0a000000 + n), weight: 4 },
      fc.constantFrom(0, 0xffffffff, '2001:db8::1', '2001:db8::2', '::', '*', 'host,name', '"quoted"', '=cmd', 'ünïcode.example'),
    );
    const row = fc.record({
      remote,
      state: fc.integer({ min: 0, max: CONNECTION_STATES.length - 1 }),
      // Few distinct counts: many ties between IPv4 rows and with the other rows.
      count: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 5 }, fc.integer({ min: 1, max: 5000 }), fc.constant(1_000_000)),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 3000 }), (rows) => {
        const table = new RemoteSummaryTable();
        for (const { remote: key, state, count } of rows) {
          if (typeof key === 'number') table.addIpv4(key, state, count);
          else table.addText(key, state, count);
        }
        expect(csv(table, 0)).toBe(csv(table, Number.POSITIVE_INFINITY));
      }),
      { numRuns: 60 },
    );
  });

  it('orders 50k remotes with large counts as the JavaScript writer does', () => {
    const table = new RemoteSummaryTable();
    let seed = 3;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 50_000; i++) {
      // Distinct keys spread over the whole space (an odd multiplier is a bijection mod 2^32).
      const key = Math.imul(i + 1, 2654435761) >>> 0;
      const ip = `${key >>> 24}.${(key >>> 16) & 255}.${(key >>> 8) & 255}.${key & 255}`;
      const rows = 1 + random(i % 100 === 0 ? 70_000 : 4);
      table.addConnection({ remoteAddress: ip, state: CONNECTION_STATES[random(12)]! });
      if (rows > 1) table.addIpv4(key >>> 0, random(12), rows - 1);
    }
    for (const ip of ['2001:db8::7', 'name.example', '2001:db8::8']) for (let k = 0; k < 3; k++) table.addConnection({ remoteAddress: ip, state: 'ESTABLISHED' });
    const fast = csv(table, 0);
    expect(fast.split('\n').length).toBeGreaterThan(40_000);
    expect(fast).toBe(csv(table, Number.POSITIVE_INFINITY));
  });
});
