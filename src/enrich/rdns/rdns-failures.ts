// Which reverse-DNS outcomes are failures, and the one line that says a result is partial.
import type { RdnsStatus } from '../../model/attribution.js';

/** Outcomes where no answer was had: the lookup failed, unlike NXDOMAIN/NODATA (answers that say "no name"). */
export const FAILED_RDNS_STATUSES: ReadonlySet<RdnsStatus> = new Set(['servfail', 'refused', 'timeout', 'error']);

/** "reverse DNS failed for N of M addresses (3 timeout, 1 servfail)", or null when none failed. */
export function rdnsFailureSummary(counts: Partial<Record<RdnsStatus, number>>, noun = 'addresses'): string | null {
  const failed = [...FAILED_RDNS_STATUSES].filter((status) => (counts[status] ?? 0) > 0);
  if (failed.length === 0) return null;
  const asked = Object.entries(counts).filter(([status]) => status !== 'skipped').reduce((sum, [, count]) => sum + (count ?? 0), 0);
  const total = failed.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  return `reverse DNS failed for ${total} of ${asked} ${noun} (${failed.map((status) => `${counts[status]} ${status}`).join(', ')}): the result is partial`;
}
