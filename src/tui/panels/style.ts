// Colour is decoration only: every panel reads the same without it (NO_COLOR).
import type { Severity } from '../../model/analysis.js';

export type Tone = 'accent' | 'dim' | 'good' | 'warn' | 'bad' | 'selected';

const COLORS: Record<Exclude<Tone, 'selected'>, string> = { accent: 'cyan', dim: 'gray', good: 'green', warn: 'yellow', bad: 'red' };

/** Text props for a tone; empty when colour is off. Selection stays visible without colour (inverse). */
export function tone(color: boolean, name: Tone): { color?: string; inverse?: boolean; dimColor?: boolean } {
  if (name === 'selected') return { inverse: true };
  if (!color) return {};
  return { color: COLORS[name] };
}

export function severityTone(severity: Severity): Tone {
  return severity === 'critical' || severity === 'high' ? 'bad' : severity === 'medium' ? 'warn' : severity === 'low' ? 'accent' : 'dim';
}
