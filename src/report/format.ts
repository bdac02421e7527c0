// Number and list formatting shared by the text renderers (markdown, csv).
// Fixed 'en-US' so the output does not depend on the machine's locale.
import type { StateCounts } from '../model/analysis.js';
import type { NetworkSource } from '../model/network.js';

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** 0..1 -> '12.3%'. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** States as 'ESTABLISHED 12, SYN_RECV 3': biggest first, then by name. */
export function formatStates(states: StateCounts, separator = ' '): string {
  return Object.entries(states)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([state, count]) => `${state}${separator}${formatCount(count)}`)
    .join(', ');
}

const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** A text sparkline of the last widthCells values (default all), scaled from 0 to their maximum. */
export function sparkline(series: readonly number[], widthCells = series.length): string {
  const values = series.slice(Math.max(0, series.length - widthCells));
  const max = Math.max(0, ...values);
  return values
    .map((value) => {
      if (max === 0) return SPARK_LEVELS[0];
      const level = Math.min(SPARK_LEVELS.length - 1, Math.round((value / max) * (SPARK_LEVELS.length - 1)));
      return SPARK_LEVELS[Math.max(0, level)];
    })
    .join('');
}

/** How a network's registration was found, in words (NetworkRegistration.source). */
export function networkSourceLabel(source: NetworkSource): string {
  switch (source) {
    case 'rdap':
      return 'RDAP';
    case 'rdap+whois':
      return 'RDAP + national registry whois';
    case 'rdap+rir-whois':
      return "RDAP + the RIR's whois";
    case 'whois':
      return "the RIR's whois (RDAP failed)";
    case 'whois+nir':
      return "the RIR's whois (RDAP failed) + national registry whois";
    default:
      return 'nothing';
  }
}
