// Run all configured checks concurrently, each bounded by its timeout, and turn measurements
// into results with a status.
import type { CheckResult } from './check-result.js';
import type { CheckContext, ConfiguredCheck, ThresholdKind } from './check-definition.js';
import { formatDurationMs } from './duration.js';
import { evaluateThresholds } from './thresholds.js';
import { setLongTimeout, type LongTimeout } from '../time/long-timeout.js';

export function formatThresholdValue(kind: ThresholdKind): (value: number) => string {
  if (kind === 'duration') return formatDurationMs;
  if (kind === 'percent') return (value) => `${value}%`;
  return String;
}

export async function runCheck(check: ConfiguredCheck, context: Omit<CheckContext, 'timeoutMs'>): Promise<CheckResult> {
  const started = performance.now();
  const base = { name: check.name, type: check.type, unit: check.definition.unit };
  // A check that ignores its own timeout (a wedged /proc read) still cannot hold the run.
  let timer: LongTimeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setLongTimeout(() => resolve('timeout'), check.timeoutMs + 1000);
  });
  try {
    const measured = await Promise.race([check.definition.run(check.spec, { ...context, timeoutMs: check.timeoutMs }), deadline]);
    const durationMs = performance.now() - started;
    if (measured === 'timeout') {
      return { ...base, status: check.onFailure, value: null, summary: `timed out after ${formatDurationMs(check.timeoutMs)}`, threshold: `timeout ${formatDurationMs(check.timeoutMs)}`, durationMs };
    }
    if (measured.failure !== undefined) {
      return { ...base, status: check.onFailure, value: measured.value, summary: measured.summary, threshold: '', durationMs };
    }
    if (measured.value === null) return { ...base, status: 'ok', value: null, summary: measured.summary, threshold: '', durationMs };
    const verdict = evaluateThresholds(measured.value, check.thresholds, formatThresholdValue(check.definition.thresholdKind));
    return { ...base, status: verdict.status, value: measured.value, summary: measured.summary, threshold: verdict.threshold, durationMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: check.onFailure, value: null, summary: `check failed: ${message}`, threshold: '', durationMs: performance.now() - started };
  } finally {
    timer?.clear();
  }
}

export function runChecks(checks: readonly ConfiguredCheck[], context: Omit<CheckContext, 'timeoutMs'>): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, context)));
}
