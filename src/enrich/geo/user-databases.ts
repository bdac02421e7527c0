// Finding the user's own MaxMind databases. Precedence (first wins per kind):
// --geo-dir / NETSLEUTH_GEO_DIR, the package's geo-data/, then geoipupdate's usual folders.
// An explicitly named directory or file must be usable (UserError otherwise);
// problems in the folders we merely probe become warnings.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../errors.js';
import { openMmdbFile, type MmdbFile } from './mmdb-file.js';

export const PACKAGE_GEO_DATA_DIR = fileURLToPath(new URL('../../../geo-data/', import.meta.url));
export const SYSTEM_GEO_DIRS: readonly string[] = ['/usr/share/GeoIP', '/var/lib/GeoIP', '/usr/local/share/GeoIP'];

export interface GeoDirCandidate {
  path: string;
  explicit: boolean;
}

export function geoDirCandidates(explicitDir: string | null, systemDirs: readonly string[] = SYSTEM_GEO_DIRS): GeoDirCandidate[] {
  const candidates: GeoDirCandidate[] = [];
  if (explicitDir) candidates.push({ path: resolve(explicitDir), explicit: true });
  candidates.push({ path: PACKAGE_GEO_DATA_DIR, explicit: false });
  for (const dir of systemDirs) candidates.push({ path: dir, explicit: false });
  return candidates;
}

const EXPECTED = 'expected a MaxMind DB file (.mmdb) such as GeoLite2-City.mmdb, GeoLite2-ASN.mmdb or GeoIP2-ISP.mmdb';

/** Commercial GeoIP2 before free GeoLite2, then by name, so the choice is stable. */
function preference(name: string): number {
  return name.startsWith('GeoIP2') ? 0 : name.startsWith('GeoLite2') ? 1 : 2;
}

function listMmdbFiles(candidate: GeoDirCandidate): string[] {
  let stat;
  try {
    stat = statSync(candidate.path);
  } catch {
    if (candidate.explicit) throw new UserError(`geo database directory '${candidate.path}' does not exist (${EXPECTED})`);
    return [];
  }
  if (stat.isFile()) return [candidate.path];
  if (!stat.isDirectory()) return [];
  let names: string[];
  try {
    names = readdirSync(candidate.path);
  } catch (error) {
    if (candidate.explicit) throw new UserError(`geo database directory '${candidate.path}' cannot be read: ${(error as Error).message}`);
    return [];
  }
  const files = names
    .filter((name) => name.toLowerCase().endsWith('.mmdb'))
    .sort((a, b) => preference(a) - preference(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(candidate.path, name));
  if (candidate.explicit && files.length === 0) throw new UserError(`geo database directory '${candidate.path}' contains no .mmdb files (${EXPECTED})`);
  return files;
}

export interface UserDatabases {
  files: MmdbFile[];
  warnings: string[];
}

export function openUserDatabases(candidates: GeoDirCandidate[]): UserDatabases {
  const files: MmdbFile[] = [];
  const warnings: string[] = [];
  for (const candidate of candidates) {
    for (const path of listMmdbFiles(candidate)) {
      let file: MmdbFile;
      try {
        file = openMmdbFile(path);
      } catch (error) {
        const message = `${path}: not a usable MaxMind database: ${(error as Error).message} (${EXPECTED})`;
        if (candidate.explicit) throw new UserError(message);
        warnings.push(`skipped ${message}`);
        continue;
      }
      if (file.kind === null) {
        warnings.push(`ignored ${path}: database type '${file.databaseType}' has no geo, ASN or ISP fields`);
        continue;
      }
      files.push(file);
    }
  }
  return { files, warnings };
}
