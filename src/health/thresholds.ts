// warn/crit thresholds: "above" limits (warn, crit) and "below" limits (warnBelow, critBelow).
import type { CheckStatus } from './check-result.js';

export interface Thresholds {
  warn?: number;
  crit?: number;
  warnBelow?: number;
  critBelow?: number;
}

export interface ThresholdVerdict {
  status: CheckStatus;
  /** "crit > 150" / "warn < 1"; '' when ok. */
  threshold: string;
}

/** Strictly above `crit` is critical (httpd ≤ 150 is fine, 151 is not); same for warn. */
export function evaluateThresholds(value: number, thresholds: Thresholds, format: (n: number) => string = String): ThresholdVerdict {
  if (thresholds.crit !== undefined && value > thresholds.crit) return { status: 'critical', threshold: `crit > ${format(thresholds.crit)}` };
  if (thresholds.critBelow !== undefined && value < thresholds.critBelow) return { status: 'critical', threshold: `crit < ${format(thresholds.critBelow)}` };
  if (thresholds.warn !== undefined && value > thresholds.warn) return { status: 'warning', threshold: `warn > ${format(thresholds.warn)}` };
  if (thresholds.warnBelow !== undefined && value < thresholds.warnBelow) return { status: 'warning', threshold: `warn < ${format(thresholds.warnBelow)}` };
  return { status: 'ok', threshold: '' };
}
