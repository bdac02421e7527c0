// Which RDAP server answers for an address: the IANA RDAP bootstrap registry (RFC 9224),
// a dated copy in geo-data/rdap-bootstrap/ (refreshed into the cache by `netsleuth update`).
// Look-up rule: the longest listed prefix containing the address; its first https base URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpVersion } from '../../model/connection.js';
import type { RegistryName } from '../../model/network.js';
import { addressToBigInt, parseCidr, type IpRange } from '../../net/ip-range.js';

// The bundled files are copies of IANA's https://data.iana.org/rdap/ipv4.json and ipv6.json.
export const BUNDLED_BOOTSTRAP_DIR = new URL('../../../geo-data/rdap-bootstrap/', import.meta.url);
export const BOOTSTRAP_FILES = { 4: 'ipv4.json', 6: 'ipv6.json' } as const;

export interface BootstrapFile {
  publication: string | null;
  services: [string[], string[]][];
}

interface BootstrapEntry {
  range: IpRange;
  prefixLength: number;
  baseUrl: string;
}

export interface RdapBootstrap {
  /** The base URL (ending in '/') for an address, or null when no registry lists it. */
  baseUrlFor(ip: string): string | null;
  publication: { 4: string | null; 6: string | null };
  /** Where each family's file was read from. */
  paths: { 4: string; 6: string };
}

/** Validates the shape of a bootstrap file; throws with a plain message when it is not one. */
export function parseBootstrapFile(text: string): BootstrapFile {
  const data = JSON.parse(text) as unknown;
  if (!data || typeof data !== 'object' || !Array.isArray((data as { services?: unknown }).services)) throw new Error('not an RDAP bootstrap file (no "services" list)');
  const services: [string[], string[]][] = [];
  for (const service of (data as { services: unknown[] }).services) {
    if (!Array.isArray(service) || !Array.isArray(service[0]) || !Array.isArray(service[1])) throw new Error('not an RDAP bootstrap file (a service is not [prefixes, urls])');
    services.push([service[0].filter((v): v is string => typeof v === 'string'), service[1].filter((v): v is string => typeof v === 'string')]);
  }
  const publication = (data as { publication?: unknown }).publication;
  return { publication: typeof publication === 'string' ? publication : null, services };
}

export function compileBootstrap(files: { 4: BootstrapFile; 6: BootstrapFile }, paths: { 4: string; 6: string }): RdapBootstrap {
  const entries: BootstrapEntry[] = [];
  for (const version of [4, 6] as const) {
    for (const [prefixes, urls] of files[version].services) {
      // Prefer https: the registries list an http twin for old clients.
      const baseUrl = urls.find((url) => url.startsWith('https://')) ?? urls[0];
      if (!baseUrl) continue;
      for (const prefix of prefixes) {
        const range = parseCidr(prefix);
        if (!range || range.version !== version) continue;
        entries.push({ range, prefixLength: Number(prefix.split('/')[1] ?? (version === 4 ? 32 : 128)), baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/` });
      }
    }
  }
  entries.sort((a, b) => b.prefixLength - a.prefixLength);
  return {
    baseUrlFor(ip) {
      const address = addressToBigInt(ip);
      if (!address) return null;
      for (const entry of entries) {
        if (entry.range.version === address.version && entry.range.start <= address.value && address.value <= entry.range.end) return entry.baseUrl;
      }
      return null;
    },
    publication: { 4: files[4].publication, 6: files[6].publication },
    paths,
  };
}

/** The refreshed copy in the cache (netsleuth update) when there is one, else the bundled one. */
export function loadBootstrap(cacheDir: string | null): RdapBootstrap {
  const read = (version: IpVersion): { file: BootstrapFile; path: string } => {
    const name = BOOTSTRAP_FILES[version];
    if (cacheDir) {
      const path = join(cacheDir, 'rdap-bootstrap', name);
      try {
        return { file: parseBootstrapFile(readFileSync(path, 'utf8')), path };
      } catch {
        // No refreshed copy (or a damaged one): the bundled file is always there.
      }
    }
    const url = new URL(name, BUNDLED_BOOTSTRAP_DIR);
    return { file: parseBootstrapFile(readFileSync(url, 'utf8')), path: url.pathname };
  };
  const v4 = read(4);
  const v6 = read(6);
  return compileBootstrap({ 4: v4.file, 6: v6.file }, { 4: v4.path, 6: v6.path });
}

const REGISTRY_HOSTS: [RegExp, RegistryName][] = [
  [/(^|\.)arin\.net$/i, 'ARIN'],
  [/(^|\.)ripe\.net$/i, 'RIPE NCC'],
  [/(^|\.)apnic\.net$/i, 'APNIC'],
  [/(^|\.)lacnic\.net$/i, 'LACNIC'],
  [/(^|\.)afrinic\.net$/i, 'AFRINIC'],
  [/(^|\.)(krnic\.net|kisa\.or\.kr|nic\.or\.kr)$/i, 'KRNIC'],
  [/(^|\.)nic\.ad\.jp$/i, 'JPNIC'],
  [/(^|\.)twnic\.net(\.tw)?$/i, 'TWNIC'],
  [/(^|\.)cnnic\.(cn|net\.cn)$/i, 'CNNIC'],
  [/(^|\.)idnic\.net$/i, 'IDNIC'],
  [/(^|\.)vnnic\.vn$/i, 'VNNIC'],
];

/** 'rdap.apnic.net' or 'whois.apnic.net' -> APNIC. */
export function registryFromHost(host: string | null | undefined): RegistryName | null {
  if (!host) return null;
  for (const [pattern, name] of REGISTRY_HOSTS) if (pattern.test(host.trim())) return name;
  return null;
}
