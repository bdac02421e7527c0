// The classifier against AS organisations labelled by reading about each (see the JSON's
// _comment for how): at least 95% of the labelled ones must come out with the reader's type.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { classifyInstitution, defaultInstitutionRules } from '../../../src/enrich/geo/institutions.js';
import type { InstitutionType } from '../../../src/model/attribution.js';

interface LabelledEntry {
  asn: number;
  name: string;
  type: InstitutionType | null;
  sample: 'random' | 'picked';
}

const labelled = (JSON.parse(readFileSync(new URL('./labelled-as-organisations.json', import.meta.url), 'utf8')) as { entries: LabelledEntry[] }).entries;

/** AS number -> organisation name as the embedded data spells it today. */
function embeddedAsNames(): Map<number, string> {
  const require = createRequire(import.meta.url);
  const folder = require.resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
  const names = new Map<number, string>();
  for (const file of ['asn-ipv4-num.csv', 'asn-ipv6.csv']) {
    for (const line of readFileSync(`${folder}${file}`, 'utf8').split('\n')) {
      const match = /^[^,]+,[^,]+,(\d+),(.*)$/.exec(line);
      if (!match) continue;
      const asn = Number(match[1]);
      if (!names.has(asn)) names.set(asn, match[2]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
    }
  }
  return names;
}

describe('classification of labelled real AS organisations', () => {
  const names = embeddedAsNames();
  const rules = defaultInstitutionRules();
  const scored = labelled.filter((entry): entry is LabelledEntry & { type: InstitutionType } => entry.type !== null);

  it('has at least 200 labelled organisations covering every type, all present in the embedded data', () => {
    expect(scored.length).toBeGreaterThanOrEqual(200);
    const types = new Set(scored.map((entry) => entry.type));
    for (const type of ['academic', 'research', 'government', 'isp', 'mobile', 'hosting', 'business'] as const) expect(types).toContain(type);
    for (const entry of labelled) expect(names.get(entry.asn), `AS${entry.asn}`).toBe(entry.name);
  });

  it('gets at least 95% of them right, and at least 90% of those no curated list decides', () => {
    const wrong: string[] = [];
    let curatedTotal = 0;
    let uncuratedWrong = 0;
    for (const entry of scored) {
      const institution = classifyInstitution({ asn: entry.asn, asOrg: names.get(entry.asn) ?? null, ptrNames: [] }, rules);
      const curated = rules.curatedAsns.has(entry.asn);
      if (curated) curatedTotal++;
      if (institution?.type !== entry.type) {
        wrong.push(`AS${entry.asn} ${entry.name}: labelled ${entry.type}, classified ${institution?.type ?? 'null'}`);
        if (!curated) uncuratedWrong++;
      }
    }
    const accuracy = 1 - wrong.length / scored.length;
    const uncuratedAccuracy = 1 - uncuratedWrong / (scored.length - curatedTotal);
    console.log(`labelled AS organisations: ${scored.length - wrong.length}/${scored.length} right (${(accuracy * 100).toFixed(1)}%), ${curatedTotal} decided by curated lists; without them ${(uncuratedAccuracy * 100).toFixed(1)}%\n  ${wrong.join('\n  ')}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(uncuratedAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
