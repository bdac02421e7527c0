// The geo flags every command that enriches shares (parseArgs descriptors).
export const GEO_ARG_OPTIONS = {
  'geo-dir': { type: 'string' },
} as const;

/** Help text for the flag above, for commands' `usage`. */
export const GEO_USAGE = `  --geo-dir DIR          MaxMind .mmdb databases (a folder or one file) that take precedence over the
                         embedded data; default $NETSLEUTH_GEO_DIR, then geo-data/, /usr/share/GeoIP,
                         /var/lib/GeoIP, /usr/local/share/GeoIP`;

/** --geo-dir, else $NETSLEUTH_GEO_DIR, else null (only the probed folders and the embedded data). */
export function geoDirFromValues(values: { 'geo-dir'?: string | undefined }, env: NodeJS.ProcessEnv): string | null {
  return values['geo-dir'] || env.NETSLEUTH_GEO_DIR || null;
}
