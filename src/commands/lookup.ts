// `netsleuth lookup`: geo, ASN, institution and reverse DNS for addresses given as
// arguments, a list on stdin, or (--extract) any text with addresses in it.
// Only what every lookup needs is imported up front: the resolver (and dns-packet) load
// when reverse DNS is on, the text scanner with --extract.
import { parseArgs } from 'node:util';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { attributionOf, classifyInstitution, openGeo } from '../enrich/geo/index.js';
import { NETWORK_ARG_OPTIONS, networkFindingOptionsFromValues } from '../enrich/network/cli-options.js';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { rdnsFailureSummary } from '../enrich/rdns/rdns-failures.js';
import type { IpAttribution, RdnsResult } from '../model/attribution.js';
import { warn } from '../output/safe-stream.js';
import { csvWriter, jsonWriter, SKIPPED_SUMMARY, tableWriter, type ExtraCsvColumns, type LookupWriter, type OutputSink } from './lookup-render.js';
import { itemsFromList, itemsFromListBytes, itemsOfAddresses, NOT_AN_ADDRESS, type InputItems } from './lookup-input.js';
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

/** Address lists and --extract text: a million addresses fit many times over. */
export const MAX_LOOKUP_INPUT_BYTES = 64 * 1024 * 1024;

async function readStdin(io: CommandIO): Promise<Buffer> {
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
  return Buffer.concat(chunks);
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
  let items: InputItems;
  if (values.extract) {
    const text = fromStdin ? (await readStdin(io)).toString('utf8') : positionals.join('\n');
    const { extractAddresses } = await import('../net/extract-addresses.js');
    items = itemsOfAddresses(extractAddresses(text));
  } else {
    items = fromStdin ? itemsFromListBytes(await readStdin(io)) : itemsFromList(positionals);
  }
  const { texts, values: itemValues } = items;
  // Every address, for the reverse DNS and registration look-ups.
  const addresses = (): string[] => texts.filter((_, index) => itemValues[index] !== NOT_AN_ADDRESS);
  if (texts.length === 0) throw new UserError(values.extract ? 'no IP addresses found in the input' : 'no addresses given (pass IPs as arguments or a list on stdin)');

  const geo = await openGeo({ geoDir: geoDirFromValues(values, io.env), env: io.env });
  try {
    for (const warning of geo.warnings) warn(io, warning);
    let rdns = new Map<string, RdnsResult>();
    if (rdnsOptions) {
      const { createStderrProgress, reverseDnsBatch } = await import('../enrich/rdns/index.js');
      rdns = await reverseDnsBatch(addresses(), { ...rdnsOptions, onProgress: createStderrProgress(io.stderr) });
    }
    // Registration data (--rdap) and blocklist hits, when in use: asked before the rows stream.
    let writer: LookupWriter;
    if (networkOptions.rdap || networkOptions.blocklists.length > 0) {
      const { networkFieldsFor } = await import('../enrich/network/lookup-fields.js');
      const networkFields = await networkFieldsFor(addresses(), networkOptions);
      writer = networkFields.writer(writerFor(format, io.stdout, networkFields.csvColumns ?? undefined));
    } else writer = writerFor(format, io.stdout);
    let invalid = 0;
    for (let index = 0; index < texts.length; index++) {
      const text = texts[index] as string;
      const value = itemValues[index] as number;
      if (value === NOT_AN_ADDRESS) {
        invalid++;
        writer.row(invalidResult(text));
        continue;
      }
      // Items are distinct already: no per-address memo; the answer comes as shared pieces.
      const parts = value >= 0 ? geo.resolveV4(text, value) : geo.resolve(text);
      const answer = rdns.size === 0 ? undefined : rdns.get(text);
      if (answer === undefined && parts.special === null && writer.parts) {
        writer.parts(parts);
        continue;
      }
      const attribution = attributionOf(parts);
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
