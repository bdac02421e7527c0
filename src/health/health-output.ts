// What `netsleuth health` prints: exactly "done!" when all is well (the line the cron mail
// used to carry), otherwise one line per failing check with its value and threshold.
import { escapeTerminalLine } from '../output/terminal-text.js';
import type { CheckResult, CheckStatus } from './check-result.js';

const LABEL: Record<CheckStatus, string> = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL' };

// Only on a terminal and without NO_COLOR (the caller decides); cron mail stays plain.
const COLOR: Record<CheckStatus, [string, string]> = { ok: ['', ''], warning: ['\u001b[33m', '\u001b[39m'], critical: ['\u001b[31m', '\u001b[39m'] };

export function failingLine(result: CheckResult, color = false): string {
  const threshold = result.threshold ? ` (${result.threshold})` : '';
  const [open, close] = color ? COLOR[result.status] : ['', ''];
  // Names come from the config, summaries from what was measured (a server's answer): never raw.
  return `${open}${LABEL[result.status]}${close} ${escapeTerminalLine(`${result.name} [${result.type}]: ${result.summary}${threshold}`)}`;
}

export function formatHealthText(results: readonly CheckResult[], options: { color?: boolean } = {}): string {
  const failing = results.filter((result) => result.status !== 'ok');
  if (failing.length === 0) return 'done!\n';
  // Critical first, then warnings; config order within each (stable sort).
  const ordered = [...failing].sort((a, b) => (a.status === b.status ? 0 : a.status === 'critical' ? -1 : 1));
  return ordered.map((result) => failingLine(result, options.color ?? false)).join('\n') + '\n';
}

export interface HealthJson {
  status: CheckStatus;
  host: string;
  checkedAt: string;
  caseDir: string | null;
  checks: CheckResult[];
  /** Captures, reports or notifications that failed: any makes the exit code at least 1. */
  problems?: string[];
}

export function formatHealthJson(value: HealthJson): string {
  return JSON.stringify(value, (key, item: unknown) => (key === 'durationMs' && typeof item === 'number' ? Math.round(item) : item), 2) + '\n';
}
