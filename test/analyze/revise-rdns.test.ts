// Reverse DNS that arrives after the analysis (the TUI's background resolver) must leave the
// analysis as if it had been there from the start: same remotes, counts, indicators and verdict.
import { describe, expect, it } from 'vitest';
import { analyze, reviseAnalysisForRdns } from '../../src/analyze/index.js';
import type { RdnsResult } from '../../src/model/attribution.js';
import { capture, conn, input, listener, many, rdns } from './helpers.js';

const connections = [
  listener(80),
  ...many(200, '147.46.1.1'),
  ...Array.from({ length: 40 }, (_, i) => conn(`198.51.100.${i + 1}`, { remotePort: 2000 + i, sendQ: 1 })),
];
const ips = [...new Set(connections.filter((row) => row.state !== 'LISTEN').map((row) => row.remoteAddress))];

function analyses(answers: Map<string, RdnsResult>) {
  const without = analyze(input([capture('now.txt', connections)]));
  const direct = analyze(input([capture('now.txt', connections)], { rdns: answers }));
  const remotes = without.remotes.map((remote) => ({ ...remote, rdns: answers.get(remote.ip) ?? remote.rdns }));
  return { without, direct, revised: reviseAnalysisForRdns(without, remotes) };
}

describe('reviseAnalysisForRdns', () => {
  it.each([
    ['nearly all fail (medium rdns-anomaly, in the verdict)', 'medium', (index: number) => (index % 20 === 0 ? rdns('ok', [`h${index}.example`], 'confirmed') : rdns('nxdomain'))],
    ['most fail (low rdns-anomaly)', 'low', (index: number) => (index % 3 === 0 ? rdns('ok', [`h${index}.example`], 'confirmed') : rdns('servfail'))],
    ['most resolve (no rdns-anomaly)', null, (index: number) => (index % 5 === 0 ? rdns('timeout') : rdns('ok', [`h${index}.example`], 'confirmed'))],
    ['only some answered so far (below the minimum)', null, (index: number) => (index < 3 ? rdns('nxdomain') : null)],
  ])('%s: equals analysing with the answers from the start', (_, severity, answer) => {
    const answers = new Map<string, RdnsResult>();
    ips.forEach((ip, index) => {
      const result = answer(index);
      if (result) answers.set(ip, result);
    });
    const { without, direct, revised } = analyses(answers);
    expect(without.indicators.map((indicator) => indicator.kind)).not.toContain('rdns-anomaly');
    expect(direct.indicators.find((indicator) => indicator.kind === 'rdns-anomaly')?.severity ?? null).toBe(severity);
    if (severity === 'medium') expect(direct.verdict).toContain('rdns-anomaly');
    expect(revised.remotes).toEqual(direct.remotes);
    expect(revised.rdnsCounts).toEqual(direct.rdnsCounts);
    expect(revised.indicators).toEqual(direct.indicators);
    expect(revised.verdict).toBe(direct.verdict);
    expect(revised.clusters).toBe(without.clusters);
  });
});
