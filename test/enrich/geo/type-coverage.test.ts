// How much of the internet the classifier can name: a seeded uniform sample of routed IPv4
// space (addresses inside the embedded ASN data's ranges, every address equally likely),
// classified from its AS number and organisation as `lookup --no-dns` does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { classifyInstitution, defaultInstitutionRules } from '../../../src/enrich/geo/institutions.js';

function routedRanges(): { starts: Float64Array; ends: Float64Array; asns: Uint32Array; orgs: string[]; total: number } {
  const folder = createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
  const lines = readFileSync(`${folder}asn-ipv4-num.csv`, 'utf8').split('\n');
  const starts = new Float64Array(lines.length);
  const ends = new Float64Array(lines.length);
  const asns = new Uint32Array(lines.length);
  const orgs: string[] = [];
  let count = 0;
  let total = 0;
  for (const line of lines) {
    const match = /^(\d+),(\d+),(\d+),(.*)$/.exec(line);
    if (!match) continue;
    starts[count] = Number(match[1]);
    ends[count] = Number(match[2]);
    asns[count] = Number(match[3]);
    orgs.push(match[4]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
    total += ends[count]! - starts[count]! + 1;
    count++;
  }
  return { starts: starts.subarray(0, count), ends: ends.subarray(0, count), asns: asns.subarray(0, count), orgs, total };
}

describe('institution types over routed IPv4 space', () => {
  it('leaves at most 10% of 50,000 uniformly drawn routed addresses unknown', () => {
    const ranges = routedRanges();
    // Cumulative sizes: the n-th routed address is found by binary search, so every routed address is equally likely.
    const cumulative = new Float64Array(ranges.starts.length);
    let sum = 0;
    for (let index = 0; index < cumulative.length; index++) {
      sum += ranges.ends[index]! - ranges.starts[index]! + 1;
      cumulative[index] = sum;
    }
    let seed = 0x5eed;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const rules = defaultInstitutionRules();
    const byType = new Map<string, number>();
    const memo = new Map<number, string>();
    const samples = 50_000;
    for (let drawn = 0; drawn < samples; drawn++) {
      const target = Math.floor(random() * sum);
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle]! > target) high = middle;
        else low = middle + 1;
      }
      let type = memo.get(low);
      if (type === undefined) {
        type = classifyInstitution({ asn: ranges.asns[low]!, asOrg: ranges.orgs[low]!, ptrNames: [] }, rules)?.type ?? 'unknown';
        memo.set(low, type);
      }
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    const lines = [...byType].sort((a, b) => b[1] - a[1]).map(([type, count]) => `${type.padEnd(10)} ${String(count).padStart(6)}  ${((count / samples) * 100).toFixed(1)}%`);
    console.log(`institution types of ${samples} routed IPv4 addresses (seeded uniform draw):\n  ${lines.join('\n  ')}`);
    expect((byType.get('unknown') ?? 0) / samples).toBeLessThanOrEqual(0.1);
    // Every type shows up in a sample this size: no rule set silently stopped matching.
    for (const type of ['academic', 'research', 'government', 'isp', 'mobile', 'hosting', 'business']) expect(byType.get(type) ?? 0, type).toBeGreaterThan(100);
  }, 120_000);
});
