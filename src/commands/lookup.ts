// `netsleuth lookup`: geo, ASN, institution and reverse DNS for addresses given as
// arguments, a list on stdin, or (--extract) any text with addresses in it.
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { GEO_ARG_OPTIONS, GEO_USAGE, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { classifyInstitution, openGeo } from '../enrich/geo/index.js';
import { RDNS_ARG_OPTIONS, RDNS_USAGE, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { createStderrProgress, reverseDnsBatch } from '../enrich/rdns/index.js';
import { UserError } from '../errors.js';
import type { IpAttribution, RdnsResult } from '../model/attribution.js';
import { extractAddresses } from '../net/extract-addresses.js';
import { parseIpAddress } from '../net/ip.js';
import { sanitizeText } from '../net/sanitize.js';
import { warn } from '../output/safe-stream.js';
import { neutralizeCsvCell } from '../report/escape.js';
import type { CommandIO, CommandRun } from './types.js';

export const usage = `usage: netsleuth lookup [IPs|-] [options]
       netstat -tn | netsleuth lookup --extract --no-dns

Who is behind each address: country, region, city, coordinates, ASN, AS
organisation, institution (academic, research, government, isp, mobile,
hosting, unknown, with its evidence) and reverse DNS. One result per distinct
address, in input order. Without IPs (or with -) reads a list from stdin: one
address per line or separated by spaces/commas; lines starting with # are skipped.

options:
  -f, --format FORMAT    json (one array), csv or table; default table on a terminal, json otherwise
  -x, --extract          find the addresses inside any text (logs, netstat output), like grepip
${GEO_USAGE}
${RDNS_USAGE}

Special-purpose addresses (private, loopback, documentation, ...) are labelled,
never looked up. Text that is not an address is reported with "error" and the
exit status is 1; 0 when every item was an address.`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  extract: { type: 'boolean', short: 'x' },
  ...RDNS_ARG_OPTIONS,
  ...GEO_ARG_OPTIONS,
} as const;

type LookupFormat = 'json' | 'csv' | 'table';
const FORMATS: readonly LookupFormat[] = ['json', 'csv', 'table'];

/** One line of output: exactly the fields of issue 3 item 7, plus `error` on invalid items. */
export interface LookupResult
  extends Pick<IpAttribution, 'ip' | 'special' | 'country' | 'countryName' | 'region' | 'city' | 'latitude' | 'longitude' | 'asn' | 'asOrg' | 'institution' | 'sources'> {
  rdns: { status: RdnsResult['status']; names: string[]; ttl: number | null; server: string | null; fcrdns?: RdnsResult['fcrdns'] };
  error?: string;
}

interface InputItem {
  /** Canonical address, or null when the text is not one. */
  ip: string | null;
  raw: string;
}

async function readStdin(io: CommandIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Distinct items in first-seen order; invalid text is kept (sanitized) to be reported. */
export function itemsFromList(tokens: string[]): InputItem[] {
  const seen = new Set<string>();
  const items: InputItem[] = [];
  for (const token of tokens) {
    const parsed = parseIpAddress(token);
    const key = parsed ? parsed.text : `\u0000${token}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ ip: parsed ? parsed.text : null, raw: sanitizeText(token, 100) });
  }
  return items;
}

export function tokensFromListText(text: string): string[] {
  const tokens: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    for (const token of trimmed.split(/[\s,;]+/)) if (token !== '') tokens.push(token);
  }
  return tokens;
}

function chooseFormat(text: string | undefined, io: CommandIO): LookupFormat {
  if (text === undefined) return io.stdout.isTTY ? 'table' : 'json';
  if (!(FORMATS as readonly string[]).includes(text)) throw new UserError(`--format '${text}' is not one of ${FORMATS.join(', ')}`);
  return text as LookupFormat;
}

function toResult(attribution: IpAttribution, rdns: RdnsResult | undefined): LookupResult {
  return {
    ip: attribution.ip,
    special: attribution.special,
    country: attribution.country,
    countryName: attribution.countryName,
    region: attribution.region,
    city: attribution.city,
    latitude: attribution.latitude,
    longitude: attribution.longitude,
    asn: attribution.asn,
    asOrg: attribution.asOrg,
    institution: attribution.institution,
    rdns: rdnsSummary(rdns),
    sources: attribution.sources,
  };
}

/** The issue's `rdns: {status, names, ttl, server}`, plus the forward confirmation when it was checked. */
function rdnsSummary(rdns: RdnsResult | undefined): LookupResult['rdns'] {
  const summary: LookupResult['rdns'] = { status: rdns?.status ?? 'skipped', names: rdns?.names ?? [], ttl: rdns?.ttl ?? null, server: rdns?.server ?? null };
  if (rdns?.fcrdns) summary.fcrdns = rdns.fcrdns;
  return summary;
}

function invalidResult(raw: string): LookupResult {
  return { ip: raw, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, institution: null, rdns: rdnsSummary(undefined), sources: {}, error: 'not an IP address' };
}

function renderJson(results: LookupResult[]): string {
  return JSON.stringify(results, null, 2) + '\n';
}

const CSV_FIELDS = ['ip', 'special', 'country', 'countryName', 'region', 'city', 'latitude', 'longitude', 'asn', 'asOrg', 'institution', 'institutionType', 'institutionEvidence', 'rdnsStatus', 'rdnsNames', 'error'] as const;

function renderCsv(results: LookupResult[]): string {
  const text = (value: string | null | undefined): string => (value ? neutralizeCsvCell(value) : '');
  const rows = results.map((result) => [
    text(result.ip),
    text(result.special?.kind),
    text(result.country),
    text(result.countryName),
    text(result.region),
    text(result.city),
    result.latitude === null ? '' : String(result.latitude),
    result.longitude === null ? '' : String(result.longitude),
    result.asn === null ? '' : String(result.asn),
    text(result.asOrg),
    text(result.institution?.name),
    text(result.institution?.type),
    text(result.institution?.evidence.join('; ')),
    result.rdns.status,
    text(result.rdns.names.join(' ')),
    text(result.error),
  ]);
  return Papa.unparse({ fields: [...CSV_FIELDS], data: rows }, { newline: '\n' }) + '\n';
}

/** Terminal text: no control characters, one line, bounded width. */
function cell(value: string, width: number): string {
  const clean = sanitizeText(value.replace(/\s+/g, ' '), width);
  return clean;
}

function renderTable(results: LookupResult[]): string {
  const header = ['IP', 'COUNTRY', 'CITY', 'ASN', 'AS ORGANISATION', 'INSTITUTION', 'REVERSE DNS'];
  const rows = results.map((result) => {
    if (result.error) return [cell(result.ip, 40), 'invalid', '', '', result.error, '', ''];
    if (result.special) return [result.ip, '-', '', '', `special: ${result.special.kind} (${result.special.prefix})`, '', result.rdns.names[0] ?? result.rdns.status];
    return [
      result.ip,
      result.country ?? 'unknown',
      cell(result.city ?? result.region ?? '', 24),
      result.asn === null ? 'unknown' : `AS${result.asn}`,
      cell(result.asOrg ?? 'unknown', 40),
      result.institution ? result.institution.type : 'unknown',
      cell(result.rdns.names[0] ?? (result.rdns.status === 'ok' ? '' : result.rdns.status), 50),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const format = chooseFormat(values.format, io);
  const rdnsOptions = rdnsOptionsFromValues(values, io.env);
  const fromStdin = positionals.length === 0 || (positionals.length === 1 && positionals[0] === '-');
  if (!fromStdin && positionals.includes('-')) throw new UserError("'-' (stdin) cannot be mixed with addresses given as arguments");
  let items: InputItem[];
  if (values.extract) {
    const text = fromStdin ? await readStdin(io) : positionals.join('\n');
    items = extractAddresses(text).map((ip) => ({ ip, raw: ip }));
  } else {
    items = itemsFromList(fromStdin ? tokensFromListText(await readStdin(io)) : positionals);
  }
  if (items.length === 0) throw new UserError(values.extract ? 'no IP addresses found in the input' : 'no addresses given (pass IPs as arguments or a list on stdin)');

  const geo = await openGeo({ geoDir: geoDirFromValues(values, io.env), env: io.env });
  try {
    for (const warning of geo.warnings) warn(io, warning);
    const addresses = items.flatMap((item) => (item.ip === null ? [] : [item.ip]));
    const rdns = rdnsOptions ? await reverseDnsBatch(addresses, { ...rdnsOptions, onProgress: createStderrProgress(io.stderr) }) : new Map<string, RdnsResult>();
    const results = items.map((item) => {
      if (item.ip === null) return invalidResult(item.raw);
      const attribution = geo.lookup(item.ip);
      const answer = rdns.get(item.ip);
      if (answer && answer.names.length > 0 && !attribution.special) {
        // PTR names can confirm or change the picture ('.ac.kr' -> academic).
        const refined = classifyInstitution({ asn: attribution.asn, asOrg: attribution.asOrg, ptrNames: answer.names });
        if (refined) return toResult({ ...attribution, institution: refined, sources: { ...attribution.sources, institution: 'netsleuth-institution-rules' } }, answer);
      }
      return toResult(attribution, answer);
    });
    const output = format === 'json' ? renderJson(results) : format === 'csv' ? renderCsv(results) : renderTable(results);
    io.stdout.write(output);
    const invalid = results.filter((result) => result.error !== undefined).length;
    if (invalid > 0) io.stderr.write(`netsleuth: ${invalid} item${invalid === 1 ? ' is' : 's are'} not an IP address\n`);
    return invalid > 0 ? 1 : 0;
  } finally {
    geo.close();
  }
};
