// English country names for ISO 3166-1 alpha-2 codes. ICU's Intl.DisplayNames answers them,
// but creating one costs a one-address lookup about a tenth of its CPU time; so `npm install`
// (the prepare script) writes every two-letter code's answer to a table beside the ASN index,
// filed under the Node, ICU and CLDR versions that gave it. A run with exactly those versions
// reads the table (the same answers); any other asks ICU itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../../output/atomic-write.js';

export const COUNTRY_NAMES_PATH = fileURLToPath(new URL('../../../dist/asn-index/country-names.json', import.meta.url));

interface CountryNameTable {
  key: string;
  /** Code -> name for every two-letter code ICU names; a code not listed has no name. */
  names: Record<string, string>;
}

/** Which ICU answered: a table made under another is not used. */
export function countryNamesKey(): string {
  return `node ${process.version}|icu ${process.versions.icu ?? 'none'}|cldr ${process.versions.cldr ?? 'none'}|unicode ${process.versions.unicode ?? 'none'}`;
}

let regionNames: Intl.DisplayNames | null = null;

/** ICU's answer, or null for codes it does not name. */
export function countryNameFromIcu(code: string): string | null {
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
  try {
    const found = regionNames.of(code);
    // ICU answers the code itself for unassigned codes and 'Unknown Region' for ZZ.
    return found && found !== code && found !== 'Unknown Region' ? found : null;
  } catch {
    return null;
  }
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function buildCountryNameTable(): CountryNameTable {
  const names: Record<string, string> = {};
  for (const first of LETTERS) {
    for (const second of LETTERS) {
      const name = countryNameFromIcu(first + second);
      if (name !== null) names[first + second] = name;
    }
  }
  return { key: countryNamesKey(), names };
}

export function writeCountryNameTable(path = COUNTRY_NAMES_PATH): void {
  writeFileAtomicSync(path, JSON.stringify(buildCountryNameTable()) + '\n');
}

/** The table for this runtime's ICU, or null (missing, unreadable, made under another). */
export function readCountryNameTable(path = COUNTRY_NAMES_PATH): Map<string, string> | null {
  try {
    const table = JSON.parse(readFileSync(path, 'utf8')) as CountryNameTable;
    if (table.key !== countryNamesKey() || typeof table.names !== 'object' || table.names === null) return null;
    const names = new Map<string, string>();
    for (const [code, name] of Object.entries(table.names)) if (/^[A-Z]{2}$/.test(code) && typeof name === 'string') names.set(code, name);
    return names;
  } catch {
    return null;
  }
}
