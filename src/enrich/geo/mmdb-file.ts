// Opening one .mmdb file with `maxmind`, checking it is usable before trusting it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Reader } from 'maxmind';
import { mapFile } from './mapped-file.js';
import { createTreeWalkers, type Ipv4Walker, type Ipv6Walker } from './mmdb-tree-walker.js';
import { kindFromDatabaseType, type MmdbKind } from './record-mapping.js';

export interface MmdbFile {
  path: string;
  reader: Reader<Record<string, unknown>>;
  databaseType: string;
  kind: MmdbKind | null;
  ipVersion: 4 | 6;
  buildDate: Date;
  description: string | null;
  /** Fast IPv4 tree walk to the record pointer (null for an unusual record size). */
  ipv4Walker: Ipv4Walker | null;
  /** The same for IPv6 addresses (IPv6 trees only). */
  ipv6Walker: Ipv6Walker | null;
  /** Decodes the record a tree pointer leads to, without walking again (null: use reader.get). */
  recordAt: ((pointer: number) => unknown) | null;
}

/**
 * maxmind 5.0.7 pins mmdb-lib 3.0.3, whose Reader resolves a tree pointer with
 * resolveDataPointer(pointer) (TypeScript-private, a plain method at run time). Use it
 * when it is there; test/enrich/geo/mmdb-tree-walker.test.ts checks it against reader.get.
 */
function pointerDecoder(reader: Reader<Record<string, unknown>>): ((pointer: number) => unknown) | null {
  const resolve = (reader as unknown as { resolveDataPointer?: unknown }).resolveDataPointer;
  return typeof resolve === 'function' ? (pointer: number) => (resolve as (pointer: number) => unknown).call(reader, pointer) : null;
}

const MMDB_METADATA_MARKER = Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1');

/** Throws an Error saying what is wrong (the caller names the file). */
export function openMmdbBuffer(path: string, bytes: Buffer): MmdbFile {
  if (bytes.lastIndexOf(MMDB_METADATA_MARKER) < 0) throw new Error('no MaxMind DB metadata marker (not an .mmdb file, or truncated)');
  let reader: Reader<Record<string, unknown>>;
  try {
    // No decoder cache: the lookup engine maps each record once per tree pointer.
    // Required here, not imported: only a user database (--geo-dir) needs maxmind at start-up.
    const { Reader: MaxmindReader } = createRequire(import.meta.url)('maxmind') as typeof import('maxmind');
    reader = new MaxmindReader<Record<string, unknown>>(bytes);
  } catch (error) {
    throw new Error(`unreadable metadata: ${(error as Error).message}`);
  }
  const metadata = reader.metadata;
  if (metadata.ipVersion !== 4 && metadata.ipVersion !== 6) throw new Error(`unsupported ip_version ${String(metadata.ipVersion)}`);
  // MaxMind's GeoIP2-City-Test-Invalid-Node-Count.mmdb claims 100000 nodes in a 22 kB file:
  // the search tree cannot be larger than the file.
  if (!(metadata.searchTreeSize > 0) || metadata.searchTreeSize + 16 > bytes.length) {
    throw new Error(`search tree of ${metadata.nodeCount} nodes does not fit in ${bytes.length} bytes (corrupt node count)`);
  }
  const probes = metadata.ipVersion === 6 ? ['1.1.1.1', '81.2.69.160', '2001:db8::1', '2a02:d300::1'] : ['1.1.1.1', '81.2.69.160', '147.46.10.10'];
  for (const probe of probes) {
    try {
      reader.get(probe);
    } catch (error) {
      throw new Error(`lookup of ${probe} failed: ${(error as Error).message}`);
    }
  }
  const walkers = createTreeWalkers(bytes, metadata);
  const description = (metadata.description as unknown as Record<string, string> | undefined)?.en ?? null;
  return {
    path,
    reader,
    databaseType: metadata.databaseType,
    kind: kindFromDatabaseType(metadata.databaseType),
    ipVersion: metadata.ipVersion,
    buildDate: metadata.buildEpoch,
    description,
    ipv4Walker: walkers?.v4 ?? null,
    ipv6Walker: walkers?.v6 ?? null,
    recordAt: pointerDecoder(reader),
  };
}

export function openMmdbFile(path: string): MmdbFile {
  let bytes: Buffer;
  try {
    // Mapped when the mmap addon is there: a 60 MB GeoIP2 City is not copied into fresh memory.
    bytes = mapFile(path) ?? readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message);
  }
  return openMmdbBuffer(path, bytes);
}
