// The geo flags every command that enriches shares (parseArgs descriptors).
export const GEO_ARG_OPTIONS = {
  'geo-dir': { type: 'string' },
} as const;

export function geoDirFromValues(values: { 'geo-dir'?: string | undefined }, env: NodeJS.ProcessEnv): string | null {
  return values['geo-dir'] ?? env.NETSLEUTH_GEO_DIR ?? null;
}
