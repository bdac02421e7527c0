// What every check returns: a status, the measured value and the threshold it crossed.
export type CheckStatus = 'ok' | 'warning' | 'critical';

export interface CheckResult {
  name: string;
  type: string;
  status: CheckStatus;
  /** The measured number (ms, count, percent, load); null when nothing could be measured. */
  value: number | null;
  /** Unit of value, for rendering: 'ms', '%', 'processes', 'connections', ''. */
  unit: string;
  /** One short human sentence: "status 500 (expected 200)", "152 processes (crit > 150)". */
  summary: string;
  /** The threshold that decided the status, as text ("crit > 150"); '' when ok or not threshold-based. */
  threshold: string;
  durationMs: number;
}

export const STATUS_RANK: Record<CheckStatus, number> = { ok: 0, warning: 1, critical: 2 };

/** Nagios-style: 0 ok, 1 warning, 2 critical. */
export function worstStatus(results: readonly CheckResult[]): CheckStatus {
  let worst: CheckStatus = 'ok';
  for (const result of results) if (STATUS_RANK[result.status] > STATUS_RANK[worst]) worst = result.status;
  return worst;
}

export function exitCodeFor(status: CheckStatus): number {
  return STATUS_RANK[status];
}
