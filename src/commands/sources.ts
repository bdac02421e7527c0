// `netsleuth sources` (also `netsleuth --version --verbose`): the databases in use,
// their build dates and licences, in precedence order.
import { parseArgs } from 'node:util';
import { GEO_ARG_OPTIONS, geoDirFromValues } from '../enrich/geo/cli-options.js';
import { openGeo } from '../enrich/geo/index.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import type { DataSource } from '../model/attribution.js';
import { sanitizeText } from '../net/sanitize.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { CommandRun } from './types.js';

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  { heading: 'options:', options: { format: { type: 'string', short: 'f', arg: 'text|json', help: 'output (default text)' }, ...GEO_ARG_OPTIONS } },
]);

export const usage = `usage: netsleuth sources [--format text|json] [--geo-dir DIR]

Lists the geo, ASN and rule databases netsleuth uses, first match first: your
MaxMind databases (--geo-dir, $NETSLEUTH_GEO_DIR, geo-data/, /usr/share/GeoIP,
/var/lib/GeoIP, /usr/local/share/GeoIP), then the embedded ip-location-db data,
with build dates, licences and the attribution each licence asks for.
Also printed by 'netsleuth --version --verbose'.

${OPTIONS_HELP}`;

export const options: OptionTable = OPTIONS;

function renderText(sources: readonly DataSource[], warnings: readonly string[], asnIndexFrom: string | null | undefined): string {
  const lines = [`${TOOL_NAME} ${TOOL_VERSION}`, '', 'data sources (first match wins):'];
  sources.forEach((source, index) => {
    lines.push(`${index + 1}. ${sanitizeText(source.name)} [${source.kind}] id=${source.id}`);
    lines.push(`   path:        ${sanitizeText(source.path)}`);
    lines.push(`   built:       ${source.buildDate ?? 'unknown'}`);
    lines.push(`   licence:     ${source.licence}`);
    lines.push(`   attribution: ${source.attribution}`);
  });
  if (asnIndexFrom) lines.push('', `ASN index: ${asnIndexFrom === 'cache' ? 'read from the index cache' : asnIndexFrom === 'prebuilt' ? 'read from the index built at install' : 'built from the CSVs (cached for next time)'}`);
  for (const warning of warnings) lines.push(`warning: ${sanitizeText(warning, 400)}`);
  return lines.join('\n') + '\n';
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`'sources' takes no arguments (got '${sanitizeText(positionals[0] ?? '', 60)}')`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UserError(`--format '${format}' is not one of text, json`);
  const geo = await openGeo({ geoDir: geoDirFromValues(values, io.env), env: io.env });
  try {
    if (format === 'json') io.stdout.write(JSON.stringify({ version: TOOL_VERSION, sources: geo.sources, warnings: geo.warnings }, null, 2) + '\n');
    else io.stdout.write(renderText(geo.sources, geo.warnings, geo.asnIndexFrom));
    return 0;
  } finally {
    geo.close();
  }
};
