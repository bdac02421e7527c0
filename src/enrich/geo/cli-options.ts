// The geo flags every command that enriches shares (parseArgs descriptors with their help).
import type { OptionTable } from '../../option-table.js';

export const GEO_ARG_OPTIONS = {
  'geo-dir': { type: 'string', arg: 'DIR', help: `MaxMind .mmdb databases (a folder or one file) that take precedence over the
embedded data; default $NETSLEUTH_GEO_DIR, then geo-data/, /usr/share/GeoIP,
/var/lib/GeoIP, /usr/local/share/GeoIP` },
} as const satisfies OptionTable;

/** --geo-dir, else $NETSLEUTH_GEO_DIR, else null (only the probed folders and the embedded data). */
export function geoDirFromValues(values: { 'geo-dir'?: string | undefined }, env: NodeJS.ProcessEnv): string | null {
  return values['geo-dir'] || env.NETSLEUTH_GEO_DIR || null;
}
