// Rebuilds geo-data/university-domains.json from the Hipo world university list
// (github.com/Hipo/university-domains-list, MIT): one [name, country code, domains, name key] row
// per university, names and domains trimmed, domains lower-cased, and the name's matching key
// (universityNameKey) computed here so that start-up does not normalise 10k names. Needs `npm run build`.
//   node geo-data/tools/build-university-domains.mjs path/to/world_universities_and_domains.json
import { readFileSync, writeFileSync } from 'node:fs';
import { universityNameKey } from '../../dist/enrich/geo/institutions.js';

const [source] = process.argv.slice(2);
if (!source) {
  console.error('usage: build-university-domains.mjs world_universities_and_domains.json');
  process.exit(2);
}
const universities = JSON.parse(readFileSync(source, 'utf8'));
const rows = [];
for (const entry of universities) {
  const domains = [...new Set((entry.domains ?? []).map((domain) => String(domain).trim().toLowerCase()).filter(Boolean))].sort();
  const name = String(entry.name ?? '').trim();
  if (!name || domains.length === 0) continue;
  rows.push([name, String(entry.alpha_two_code ?? '').toUpperCase(), domains, universityNameKey(name)]);
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
const out = {
  _comment: 'Derived from the Hipo world university list (MIT, see university-domains.LICENSE.txt and SOURCES.md): [name, country, registrable domains, name key]. Rebuild with geo-data/tools/build-university-domains.mjs.',
  source: 'github.com/Hipo/university-domains-list commit bb07faf064e1c68be9b26fb71de31f01e361f974 (2026-06-20)',
  universities: rows,
};
writeFileSync(new URL('../university-domains.json', import.meta.url), `${JSON.stringify(out).replace(/\],\[/g, '],\n[')}\n`);
console.log(`${rows.length} universities`);
