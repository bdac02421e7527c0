// The reverse-DNS flags every command that enriches shares (parseArgs descriptors).
import type { ReverseDnsOptions } from '../../model/services.js';

export const RDNS_ARG_OPTIONS = {
  'no-dns': { type: 'boolean' },
  'dns-server': { type: 'string', multiple: true },
  'dns-timeout': { type: 'string' },
  'dns-retries': { type: 'string' },
  'dns-cache-only': { type: 'boolean' },
} as const;

export interface RdnsArgValues {
  'no-dns'?: boolean | undefined;
  'dns-server'?: string[] | undefined;
  'dns-timeout'?: string | undefined;
  'dns-retries'?: string | undefined;
  'dns-cache-only'?: boolean | undefined;
}

/** null when --no-dns; otherwise the resolver options (validated; throws UserError on bad values). */
export function rdnsOptionsFromValues(values: RdnsArgValues, _env: NodeJS.ProcessEnv): ReverseDnsOptions | null {
  if (values['no-dns']) return null;
  return { servers: values['dns-server'] ?? [] };
}
