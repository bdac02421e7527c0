// memory: percent of RAM in use, (MemTotal - MemAvailable) / MemTotal, from /proc/meminfo.
import { defineCheck } from '../check-definition.js';
import { memoryFigures, memoryUsedPercent } from '../proc-meminfo.js';
import { readProcFile } from '../system-readers.js';

export const memoryCheck = defineCheck<null>({
  type: 'memory',
  summary: 'percent of RAM in use (MemTotal - MemAvailable)',
  unit: '%',
  thresholdKind: 'percent',
  fields: [],
  parse() {
    return null;
  },
  async run(_spec, context) {
    const figures = memoryFigures(await readProcFile(context.procRoot, 'meminfo'));
    if (!figures) return { value: null, summary: 'unreadable /proc/meminfo', failure: 'unreadable /proc/meminfo' };
    const percent = memoryUsedPercent(figures);
    return { value: percent, summary: `memory ${percent.toFixed(0)}% used` };
  },
});
