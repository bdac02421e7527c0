import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/renderers/csv.js';
import { incidentReport, HOSTILE } from './fixtures.js';

function parseCsv(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('renderCsv', () => {
  it('one row per remote under the documented header, CRLF line ends', () => {
    const text = renderCsv(incidentReport({ remotes: 30 }));
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(31);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    const header = rows[0] ?? [];
    const snu = Object.fromEntries(header.map((name, index) => [name, rows[2]?.[index]]));
    expect(snu).toMatchObject({
      ip: '147.46.10.21', connections: '60', share: '0.3', states: 'ESTABLISHED:30 SYN_RECV:30', localPorts: '80:60', programs: 'httpd:60',
      country: 'KR', city: 'Seoul', asn: '9488', institution: 'Seoul National University', institutionType: 'academic',
      rdnsStatus: 'ok', rdnsNames: 'snu-host.snu.ac.kr',
    });
  });

  it('neutralises formula injection and keeps hostile text in one quoted cell', () => {
    const rows = parseCsv(renderCsv(incidentReport({ hostile: true })));
    const header = rows[0] ?? [];
    const row = rows.find((cells) => cells[0] === '203.0.113.7') ?? [];
    const cell = (name: string): string | undefined => row[header.indexOf(name)];
    expect(row).toHaveLength(header.length);
    expect(cell('asOrg')).toBe(`'${HOSTILE.asOrg}`);
    expect(cell('programs')).toBe(`'${HOSTILE.program}:30`);
    expect(cell('city')).toBe(`'${HOSTILE.city}`);
    expect(cell('rdnsNames')).toBe(HOSTILE.ptr);
    for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });
});
