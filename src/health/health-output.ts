// What `netsleuth health` prints: exactly "done!" when all is well (the line the cron mail
// used to carry), otherwise one line per failing check with its value and threshold.
import type { CheckResult, CheckStatus } from './check-result.js';

const LABEL: Record<CheckStatus, string> = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL' };

export function failingLine(result: CheckResult): string {
  const threshold = result.threshold ? ` (${result.threshold})` : '';
  return `${LABEL[result.status]} ${result.name} [${result.type}]: ${result.summary}${threshold}`;
}

export function formatHealthText(results: readonly CheckResult[]): string {
  const failing = results.filter((result) => result.status !== 'ok');
  if (failing.length === 0) return 'done!\n';
  // Critical first, then warnings; config order within each (stable sort).
  const ordered = [...failing].sort((a, b) => (a.status === b.status ? 0 : a.status === 'critical' ? -1 : 1));
  return ordered.map(failingLine).join('\n') + '\n';
}

export interface HealthJson {
  status: CheckStatus;
  host: string;
  checkedAt: string;
  caseDir: string | null;
  checks: CheckResult[];
}

export function formatHealthJson(value: HealthJson): string {
  return JSON.stringify(value, (key, item: unknown) => (key === 'durationMs' && typeof item === 'number' ? Math.round(item) : item), 2) + '\n';
}
