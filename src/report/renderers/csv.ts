// Report -> CSV, one row per remote (every remote), RFC 4180 (CRLF, quoted when needed),
// with spreadsheet formula injection neutralised in every text cell.
import Papa from 'papaparse';
import type { Report } from '../../model/report.js';
import { neutralizeCsvCell } from '../escape.js';

export const CSV_COLUMNS = [
  'ip', 'connections', 'share', 'states', 'localPorts', 'programs', 'special',
  'country', 'countryName', 'city', 'asn', 'asOrg',
  'institution', 'institutionType', 'institutionEvidence',
  'rdnsStatus', 'rdnsNames', 'firstCapture', 'lastCapture', 'traceCountry',
] as const;

type CsvCell = string | number;

function joinCounts(entries: [string, number][]): string {
  return entries.map(([name, count]) => `${name}:${count}`).join(' ');
}

export function renderCsv(report: Report): string {
  const rows: CsvCell[][] = report.analysis.remotes.map((remote) => {
    const states = Object.entries(remote.states)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const cells: CsvCell[] = [
      remote.ip,
      remote.connections,
      remote.share,
      joinCounts(states),
      joinCounts(remote.localPorts.map((port) => [String(port.port), port.connections])),
      joinCounts(remote.programs.map((program) => [program.program, program.connections])),
      remote.special?.kind ?? '',
      remote.country ?? '',
      remote.countryName ?? '',
      remote.city ?? '',
      remote.asn ?? '',
      remote.asOrg ?? '',
      remote.institution?.name ?? '',
      remote.institution?.type ?? '',
      remote.institution?.evidence.join('; ') ?? '',
      remote.rdns.status,
      remote.rdns.names.join(' '),
      remote.firstCapture,
      remote.lastCapture,
      remote.verdict?.country ?? '',
    ];
    return cells.map((value) => (typeof value === 'string' ? neutralizeCsvCell(value) : value));
  });
  const csv = Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { newline: '\r\n', quotes: false, header: true });
  return `${csv}\r\n`;
}
