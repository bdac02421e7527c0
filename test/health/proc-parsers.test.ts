// The pure /proc readers and helpers: real text shapes, empty and garbage input, properties.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { memoryFigures, memoryUsedPercent, swapUsedPercent } from '../../src/health/proc-meminfo.js';
import { parseLoadavg } from '../../src/health/proc-loadavg.js';
import { countProcessNames, formatProcessCounts } from '../../src/health/process-counts.js';
import { formatDurationMs, parseDurationMs } from '../../src/health/duration.js';
import { evaluateThresholds } from '../../src/health/thresholds.js';
import { diskUsedPercent } from '../../src/health/checks/disk.js';
import { countNamed } from '../../src/health/checks/process.js';
import { SecretSet } from '../../src/health/redact.js';

// Shape as printed by Linux 6.x (values from a 16 GiB box).
const MEMINFO = `MemTotal:       16318624 kB
MemFree:          502464 kB
MemAvailable:    4079656 kB
Buffers:          201212 kB
Cached:          3613788 kB
SwapCached:        12000 kB
SwapTotal:       2097148 kB
SwapFree:         209715 kB
HugePages_Total:       0
`;

describe('meminfo', () => {
  it('computes used memory and swap from a real-shaped file', () => {
    const figures = memoryFigures(MEMINFO)!;
    expect(figures).toEqual({ memTotalKb: 16318624, memAvailableKb: 4079656, swapTotalKb: 2097148, swapFreeKb: 209715 });
    expect(memoryUsedPercent(figures)).toBeCloseTo(75.0, 1);
    expect(swapUsedPercent(figures)).toBeCloseTo(90.0, 1);
  });
  it('old kernels without MemAvailable use free + buffers + cached; no swap is 0%', () => {
    const figures = memoryFigures('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 300 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n')!;
    expect(figures.memAvailableKb).toBe(500);
    expect(swapUsedPercent(figures)).toBe(0);
  });
  it('empty and garbage input give null', () => {
    expect(memoryFigures('')).toBeNull();
    expect(memoryFigures('\u0000\u0001garbage: x\n')).toBeNull();
  });
  it('never throws and stays within 0..100 for sane figures', () => {
    fc.assert(fc.property(fc.string(), (text) => { memoryFigures(text); }));
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e9), (total, available) => {
      const percent = memoryUsedPercent({ memTotalKb: total + 1, memAvailableKb: Math.min(available, total + 1), swapTotalKb: 0, swapFreeKb: 0 });
      expect(percent).toBeGreaterThanOrEqual(0);
      expect(percent).toBeLessThanOrEqual(100);
    }));
  });
});

describe('loadavg', () => {
  it('reads the three averages', () => {
    expect(parseLoadavg('0.52 1.58 10.59 2/1093 123456\n')).toEqual({ load1: 0.52, load5: 1.58, load15: 10.59 });
  });
  it('empty and garbage give null; nothing throws', () => {
    expect(parseLoadavg('')).toBeNull();
    expect(parseLoadavg('load high')).toBeNull();
    fc.assert(fc.property(fc.string(), (text) => { parseLoadavg(text); }));
  });
});

describe('process counts', () => {
  it('counts names, sorts by count then name, sanitizes attacker-set names', () => {
    const counts = countProcessNames(['httpd\n', 'sshd\n', 'httpd\n', 'bash\n', 'ev\u001b[31mil\n', '\n']);
    expect(counts).toEqual([{ name: 'httpd', count: 2 }, { name: 'bash', count: 1 }, { name: 'evil', count: 1 }, { name: 'sshd', count: 1 }]);
    expect(formatProcessCounts(counts).split('\n').slice(0, 3)).toEqual(['# netsleuth process counts by name (from /proc/*/comm)', 'COUNT NAME', '    2 httpd']);
  });
  it('names longer than comm (15 characters) match the kernel-truncated name', () => {
    expect(countNamed(['php-fpm-worker-\n', 'php-fpm-worker-\n', 'httpd\n'], 'php-fpm-worker-pool')).toBe(2);
  });
  it('never throws', () => {
    fc.assert(fc.property(fc.array(fc.string()), (names) => {
      const total = countProcessNames(names).reduce((sum, entry) => sum + entry.count, 0);
      expect(total).toBeLessThanOrEqual(names.length);
    }));
  });
});

describe('durations and thresholds', () => {
  it.each([
    ['500ms', 500], ['5s', 5000], ['1.5s', 1500], ['10m', 600_000], ['1h', 3_600_000], ['7d', 604_800_000], ['30', 30_000], [2, 2000],
  ] as const)('%s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
  it.each(['', 'soon', '5 minutes', '-1s', '1e3s', null, {}])('%s is no duration', (text) => expect(parseDurationMs(text)).toBeNull());
  it('formats back compactly', () => {
    expect([500, 1500, 600_000, 5_400_000, 604_800_000].map(formatDurationMs)).toEqual(['500ms', '1.5s', '10m', '1.5h', '7d']);
  });
  it('crit is strictly above (httpd ≤ 150 is fine) and beats warn', () => {
    expect(evaluateThresholds(150, { warn: 100, crit: 150 })).toEqual({ status: 'warning', threshold: 'warn > 100' });
    expect(evaluateThresholds(151, { warn: 100, crit: 150 })).toEqual({ status: 'critical', threshold: 'crit > 150' });
    expect(evaluateThresholds(0, { critBelow: 1 })).toEqual({ status: 'critical', threshold: 'crit < 1' });
    expect(evaluateThresholds(50, { warn: 100, warnBelow: 10 })).toEqual({ status: 'ok', threshold: '' });
  });
  it('disk percent matches df: used / (used + available)', () => {
    expect(diskUsedPercent(1000, 200, 150)).toBeCloseTo(800 / 950 * 100, 6);
    expect(diskUsedPercent(0, 0, 0)).toBe(0);
  });
});

describe('redaction', () => {
  it('removes every secret, URL-encoded too, longest first', () => {
    const secrets = new SecretSet();
    secrets.add('pa ss/word');
    secrets.add('pa ss');
    secrets.add('abc'); // too short to be a secret; would mangle words
    expect(secrets.redact('x pa ss/word y pa%20ss%2Fword z pa ss abc')).toBe('x [redacted] y [redacted] z [redacted] abc');
  });
});

describe('health text output', async () => {
  const { formatHealthText } = await import('../../src/health/health-output.js');
  const result = (name: string, status: 'ok' | 'warning' | 'critical') => ({ name, type: 'process', status, value: 1, unit: 'processes', summary: `${name} summary`, threshold: status === 'ok' ? '' : 'crit > 0', durationMs: 1 });
  it('exactly "done!" when all pass, never coloured', () => {
    expect(formatHealthText([result('a', 'ok')], { color: true })).toBe('done!\n');
    expect(formatHealthText([])).toBe('done!\n');
  });
  it('critical lines first, then warnings, in config order; colour only when asked', () => {
    const results = [result('w1', 'warning'), result('ok', 'ok'), result('c1', 'critical'), result('w2', 'warning'), result('c2', 'critical')];
    expect(formatHealthText(results)).toBe([
      'CRITICAL c1 [process]: c1 summary (crit > 0)', 'CRITICAL c2 [process]: c2 summary (crit > 0)',
      'WARNING w1 [process]: w1 summary (crit > 0)', 'WARNING w2 [process]: w2 summary (crit > 0)', '',
    ].join('\n'));
    expect(formatHealthText([result('c', 'critical')], { color: true })).toBe('\u001b[31mCRITICAL\u001b[39m c [process]: c summary (crit > 0)\n');
  });
});
