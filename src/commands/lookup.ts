// `netsleuth lookup`: geo, ASN, institution and reverse DNS for addresses given as
// arguments, a list on stdin, or (--extract) any text with addresses in it.
// Only what every lookup needs is imported up front: the resolver (and dns-packet) load
// when reverse DNS is on, the text scanner with --extract.
import { parseArgs } from 'node:util';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { classifyInstitution, openGeo } from '../enrich/geo/index.js';
import { NETWORK_ARG_OPTIONS, networkFindingOptionsFromValues } from '../enrich/network/cli-options.js';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { rdnsFailureSummary } from '../enrich/rdns/rdns-failures.js';
import type { IpAttribution, RdnsResult } from '../model/attribution.js';
import { ipv4ToInt, parseIpAddress } from '../net/ip.js';
import { formatIpv6Words, parseIpv6Words } from '../net/ipv6-words.js';
import { sanitizeText } from '../net/sanitize.js';
import { warn } from '../output/safe-stream.js';
import { csvWriter, jsonWriter, tableWriter, type ExtraCsvColumns, type LookupWriter, type OutputSink } from './lookup-render.js';
import type { CommandIO, CommandRun } from './types.js';

const LOOKUP_OPTIONS = {
  format: { type: 'string', short: 'f', arg: 'FORMAT', help: 'json (one array), csv or table; default table on a terminal, json otherwise' },
  extract: { type: 'boolean', short: 'x', help: 'find the addresses inside any text (logs, netstat output), like grepip' },
  fcrdns: { type: 'boolean', help: `also check that each PTR name resolves back to the address
(one more query per name; JSON shows it as rdns.fcrdns)` },
} as const satisfies OptionTable;

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  { heading: 'options:', options: { ...LOOKUP_OPTIONS, ...GEO_ARG_OPTIONS, ...RDNS_ARG_OPTIONS, ...NETWORK_ARG_OPTIONS } },
]);

export const options: OptionTable = OPTIONS;

export const usage = `usage: netsleuth lookup [IPs|-] [options]
       netstat -tn | netsleuth lookup --extract --no-dns

Who is behind each address: country, region, city, coordinates, ASN, AS
organisation, institution (academic, research, government, isp, mobile,
hosting, business, unknown, with its evidence and confidence) and reverse DNS. One result per distinct
address, in input order. Without IPs (or with -) reads a list from stdin: one
address per line or separated by spaces/commas; lines starting with # are skipped.

${OPTIONS_HELP}

Special-purpose addresses (private, loopback, documentation, ...) are labelled,
never looked up. Text that is not an address is reported with "error" and the
exit status is 1; 0 when every item was an address.`;

type LookupFormat = 'json' | 'csv' | 'table';
const FORMATS: readonly LookupFormat[] = ['json', 'csv', 'table'];

/** One line of output: the fields the README documents for lookup, plus `error` on invalid items. */
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

/** Address lists and --extract text: a million addresses fit many times over. */
export const MAX_LOOKUP_INPUT_BYTES = 64 * 1024 * 1024;

async function readStdin(io: CommandIO): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    // `lookup - < /dev/zero` never ends: refuse instead of growing without bound.
    if (size > MAX_LOOKUP_INPUT_BYTES) {
      io.stdin.destroy();
      throw new UserError(`stdin: more than ${MAX_LOOKUP_INPUT_BYTES / 1024 / 1024} MiB of input; split the list`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The canonical text of an address, or null. Plain dotted quads and plain IPv6 skip ipaddr.js (a list is mostly those). */
function canonicalAddress(token: string): string | null {
  if (ipv4ToInt(token) >= 0) return token;
  if (token.includes(':') && !token.includes('.') && !token.includes('[') && !token.includes('%')) {
    const words = parseIpv6Words(token);
    // IPv4-mapped addresses are unmapped by parseIpAddress below.
    if (words && !(words[0] === 0 && words[1] === 0 && words[2] === 0xffff)) return formatIpv6Words(words);
  }
  return parseIpAddress(token)?.text ?? null;
}

/** Distinct items in first-seen order; invalid text is kept (sanitized) to be reported. */
export function itemsFromList(tokens: string[]): InputItem[] {
  const seen = new Set<string>();
  const items: InputItem[] = [];
  for (const token of tokens) {
    const ip = canonicalAddress(token);
    const key = ip ?? `\u0000${token}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ ip, raw: ip ?? sanitizeText(token, 100) });
  }
  return items;
}

const SEPARATORS = /[\s,;]/;

export function tokensFromListText(text: string): string[] {
  const tokens: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // One address per line is the common list: no second split.
    if (!SEPARATORS.test(trimmed)) tokens.push(trimmed);
    else for (const token of trimmed.split(/[\s,;]+/)) if (token !== '') tokens.push(token);
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

/** Without an answer (--no-dns, or an invalid item): one shared summary, serialised once. */
const SKIPPED_SUMMARY: LookupResult['rdns'] = Object.freeze({ status: 'skipped', names: Object.freeze([]) as unknown as string[], ttl: null, server: null });

/** `rdns: {status, names, ttl, server}` as the README documents it, plus the forward confirmation when it was checked. */
function rdnsSummary(rdns: RdnsResult | undefined): LookupResult['rdns'] {
  if (!rdns) return SKIPPED_SUMMARY;
  const summary: LookupResult['rdns'] = { status: rdns.status, names: rdns.names, ttl: rdns.ttl, server: rdns.server };
  if (rdns.fcrdns) summary.fcrdns = rdns.fcrdns;
  return summary;
}

function invalidResult(raw: string): LookupResult {
  return { ip: raw, special: null, country: null, countryName: null, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, institution: null, rdns: rdnsSummary(undefined), sources: {}, error: 'not an IP address' };
}

function writerFor(format: LookupFormat, sink: OutputSink, extraCsv?: ExtraCsvColumns): LookupWriter {
  return format === 'json' ? jsonWriter(sink) : format === 'csv' ? csvWriter(sink, extraCsv) : tableWriter(sink);
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const format = chooseFormat(values.format, io);
  const rdnsOptions = values.offline ? null : rdnsOptionsFromValues(values, io.env);
  // Forward confirmation costs a query per name and only JSON shows it: only when asked.
  if (rdnsOptions) rdnsOptions.forwardConfirm = values.fcrdns === true;
  if (values.fcrdns && !rdnsOptions) throw new UserError('--fcrdns needs reverse DNS (it cannot be combined with --no-dns or --offline)');
  const networkOptions = await networkFindingOptionsFromValues(values, { env: io.env, cwd: io.cwd, warn: (message) => warn(io, message) });
  const fromStdin = positionals.length === 0 || (positionals.length === 1 && positionals[0] === '-');
  if (!fromStdin && positionals.includes('-')) throw new UserError("'-' (stdin) cannot be mixed with addresses given as arguments");
  let items: InputItem[];
  if (values.extract) {
    const text = fromStdin ? await readStdin(io) : positionals.join('\n');
    const { extractAddresses } = await import('../net/extract-addresses.js');
    items = extractAddresses(text).map((ip) => ({ ip, raw: ip }));
  } else {
    items = itemsFromList(fromStdin ? tokensFromListText(await readStdin(io)) : positionals);
  }
  if (items.length === 0) throw new UserError(values.extract ? 'no IP addresses found in the input' : 'no addresses given (pass IPs as arguments or a list on stdin)');

  const geo = await openGeo({ geoDir: geoDirFromValues(values, io.env), env: io.env });
  try {
    for (const warning of geo.warnings) warn(io, warning);
    let rdns = new Map<string, RdnsResult>();
    if (rdnsOptions) {
      const { createStderrProgress, reverseDnsBatch } = await import('../enrich/rdns/index.js');
      const addresses = items.flatMap((item) => (item.ip === null ? [] : [item.ip]));
      rdns = await reverseDnsBatch(addresses, { ...rdnsOptions, onProgress: createStderrProgress(io.stderr) });
    }
    // Registration data (--rdap) and blocklist hits, when in use: asked before the rows stream.
    let writer: LookupWriter;
    if (networkOptions.rdap || networkOptions.blocklists.length > 0) {
      const { networkFieldsFor } = await import('../enrich/network/lookup-fields.js');
      const networkFields = await networkFieldsFor(items.flatMap((item) => (item.ip === null ? [] : [item.ip])), networkOptions);
      writer = networkFields.writer(writerFor(format, io.stdout, networkFields.csvColumns ?? undefined));
    } else writer = writerFor(format, io.stdout);
    let invalid = 0;
    for (const item of items) {
      if (item.ip === null) {
        invalid++;
        writer.row(invalidResult(item.raw));
        continue;
      }
      // Items are distinct already: the uncached lookup skips the memo and its copy.
      const attribution = geo.lookupUncached ? geo.lookupUncached(item.ip) : geo.lookup(item.ip);
      const answer = rdns.get(item.ip);
      if (answer && answer.names.length > 0 && !attribution.special) {
        // PTR names can confirm or change the picture ('.ac.kr' -> academic).
        const refined = classifyInstitution({ asn: attribution.asn, asOrg: attribution.asOrg, ptrNames: answer.names });
        if (refined) {
          writer.row(toResult({ ...attribution, institution: refined, sources: { ...attribution.sources, institution: 'netsleuth-institution-rules' } }, answer));
          continue;
        }
      }
      writer.row(toResult(attribution, answer));
    }
    writer.end();
    if (invalid > 0) io.stderr.write(`netsleuth: ${invalid} item${invalid === 1 ? ' is' : 's are'} not an IP address\n`);
    const counts: Partial<Record<RdnsResult['status'], number>> = {};
    for (const answer of rdns.values()) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    const rdnsFailed = rdnsFailureSummary(counts);
    if (rdnsFailed) warn(io, rdnsFailed);
    return invalid > 0 || rdnsFailed ? 1 : 0;
  } finally {
    geo.close();
  }
};
