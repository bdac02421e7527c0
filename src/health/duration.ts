// Durations in config and flags: "500ms", "5s", "10m", "1h", "7d"; a bare number means seconds
// (what Nagios/Monit users type).
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;

/** Milliseconds, or null when the text is no duration. */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = UNIT_MS[unit];
  if (factor === undefined || !Number.isFinite(amount)) return null;
  return Math.round(amount * factor);
}

/** "1500ms" -> "1.5s", 600000 -> "10m": compact, for output lines. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)}m`;
  if (ms < 86_400_000) return `${trim(ms / 3_600_000)}h`;
  return `${trim(ms / 86_400_000)}d`;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}
