// Background rDNS answers merged into the report the screens read (pure).
import type { RdnsResult } from '../model/attribution.js';
import type { Report } from '../model/report.js';

export function applyRdns(report: Report, results: ReadonlyMap<string, RdnsResult>): Report {
  if (results.size === 0) return report;
  let changed = false;
  const remotes = report.analysis.remotes.map((remote) => {
    const result = results.get(remote.ip);
    if (!result || remote.rdns.status !== 'skipped') return remote;
    changed = true;
    return { ...remote, rdns: result };
  });
  if (!changed) return report;
  const rdnsCounts: Partial<Record<RdnsResult['status'], number>> = {};
  for (const remote of remotes) rdnsCounts[remote.rdns.status] = (rdnsCounts[remote.rdns.status] ?? 0) + 1;
  return { ...report, run: { ...report.run, dns: true }, analysis: { ...report.analysis, remotes, rdnsCounts } };
}
