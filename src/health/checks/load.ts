// load: the 1, 5 or 15 minute load average from /proc/loadavg, optionally per CPU.
import { availableParallelism } from 'node:os';
import { defineCheck } from '../check-definition.js';
import { parseLoadavg } from '../proc-loadavg.js';
import { readProcFile } from '../system-readers.js';

interface LoadSpec {
  period: 1 | 5 | 15;
  perCpu: boolean;
}

export const loadCheck = defineCheck<LoadSpec>({
  type: 'load',
  summary: 'load average (period: 1, 5 or 15 minutes; perCpu: true divides by the CPU count)',
  unit: '',
  thresholdKind: 'number',
  fields: ['period', 'perCpu'],
  parse(config) {
    const period = config.number('period', { integer: true }) ?? 1;
    if (period !== 1 && period !== 5 && period !== 15) return config.fail('period', `must be 1, 5 or 15 (got ${period})`);
    return { period, perCpu: config.boolean('perCpu') ?? false };
  },
  async run(spec, context) {
    const load = parseLoadavg(await readProcFile(context.procRoot, 'loadavg'));
    if (!load) return { value: null, summary: 'unreadable /proc/loadavg', failure: 'unreadable /proc/loadavg' };
    const raw = spec.period === 1 ? load.load1 : spec.period === 5 ? load.load5 : load.load15;
    const value = spec.perCpu ? raw / availableParallelism() : raw;
    return { value, summary: `load ${value.toFixed(2)}${spec.perCpu ? ' per CPU' : ''} (${spec.period} min)` };
  },
});
