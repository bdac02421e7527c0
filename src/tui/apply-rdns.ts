// Background rDNS answers merged into the report the screens read (pure): the names, and what the
// analysis derives from them (rdns-anomaly, the verdict), judged again over the answers so far.
import { reviseAnalysisForRdns } from '../analyze/revise-rdns.js';
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
  return { ...report, run: { ...report.run, dns: true }, analysis: reviseAnalysisForRdns(report.analysis, remotes) };
}
