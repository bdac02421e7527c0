// Reverse-DNS anomalies: a large share of the remotes has no PTR name, a broken
// one (SERVFAIL, timeout), or one that does not resolve back (FCrDNS mismatch).
// Only judged when reverse DNS was actually done (--no-dns leaves every status 'skipped').
import type { AnalysisOptions, Indicator, RemoteProfile, Severity } from '../../model/analysis.js';
import { EVIDENCE_REMOTE_LIMIT, percent, type IndicatorDetector } from './types.js';

export function isRdnsFailure(profile: RemoteProfile): boolean {
  const { status, names, fcrdns } = profile.rdns;
  if (status === 'skipped') return false;
  if (status !== 'ok') return true;
  return names.length === 0 || fcrdns === 'mismatch';
}

export const rdnsAnomaly: IndicatorDetector = {
  kind: 'rdns-anomaly',
  description: 'at least rdnsFailShare of the queried remotes have no PTR name, a failed lookup, or an FCrDNS mismatch',
  detect: ({ profiles, options }) => detectRdnsAnomaly(profiles, options),
};

/** The detector on the profiles alone: the TUI judges again when names arrive in the background. */
export function detectRdnsAnomaly(profiles: readonly RemoteProfile[], options: AnalysisOptions): Indicator | null {
  const queried = profiles.filter((profile) => profile.rdns.status !== 'skipped');
  if (queried.length < options.rdnsMinQueriedRemotes) return null;
  const failing = queried.filter(isRdnsFailure);
  const share = failing.length / queried.length;
  if (share < options.rdnsFailShare) return null;
  const mismatches = failing.filter((profile) => profile.rdns.status === 'ok' && profile.rdns.fcrdns === 'mismatch').length;
  const severity: Severity = share >= 0.9 ? 'medium' : 'low';
  return {
    kind: 'rdns-anomaly',
    severity,
    summary: `${failing.length} of ${queried.length} queried remotes (${percent(share)}) have no usable reverse DNS (${failing.length - mismatches} without a PTR name or with a failed lookup, ${mismatches} whose name does not resolve back).`,
    evidence: {
      remotes: failing.slice(0, EVIDENCE_REMOTE_LIMIT).map((profile) => profile.ip),
      figures: { queried: queried.length, failing: failing.length, share, fcrdnsMismatch: mismatches },
    },
    thresholds: { rdnsFailShare: options.rdnsFailShare, rdnsMinQueriedRemotes: options.rdnsMinQueriedRemotes },
  };
}
