// Report -> CSV, one row per remote (every remote), RFC 4180 (CRLF, quoted when needed),
// with spreadsheet formula injection neutralised in every text cell.
import Papa from 'papaparse';
import type { Report } from '../../model/report.js';
import { escapeCsvCell } from '../../output/escape.js';

export const CSV_COLUMNS = [
  'ip', 'connections', 'share', 'states', 'localPorts', 'programs', 'special',
  'country', 'countryName', 'city', 'asn', 'asOrg',
  'institution', 'institutionType', 'institutionEvidence',
  'rdnsStatus', 'rdnsNames', 'firstCapture', 'lastCapture', 'traceCountry',
] as const;

/** Added when the report has them (--rdap, blocklists in use). */
export const NETWORK_CSV_COLUMNS = ['networkStatus', 'networkRange', 'networkName', 'networkRegistry', 'networkCountry', 'abuseEmails', 'abuseHandle'] as const;
export const BLOCKLIST_CSV_COLUMNS = ['listedIn'] as const;

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
    if (report.networks) {
      const network = remote.network;
      cells.push(network?.status ?? '', network?.range ?? '', network?.name ?? '', network ? network.registry : '', network?.country ?? '', network?.abuse?.emails.join(' ') ?? '', network?.abuse?.handle ?? '');
    }
    if (report.blocklists) cells.push((remote.listedIn ?? []).map((hit) => `${hit.list}: ${hit.entry}`).join(' | '));
    return cells.map((value) => (typeof value === 'string' ? escapeCsvCell(value) : value));
  });
  const csv = Papa.unparse({ fields: [...CSV_COLUMNS, ...(report.networks ? NETWORK_CSV_COLUMNS : []), ...(report.blocklists ? BLOCKLIST_CSV_COLUMNS : [])], data: rows }, { newline: '\r\n', quotes: false, header: true });
  return `${csv}\r\n`;
}
