// swap: percent of swap in use from /proc/meminfo (0% on a machine without swap).
import { defineCheck } from '../check-definition.js';
import { memoryFigures, swapUsedPercent } from '../proc-meminfo.js';
import { readProcFile } from '../system-readers.js';

export const swapCheck = defineCheck<null>({
  type: 'swap',
  summary: 'percent of swap in use',
  unit: '%',
  thresholdKind: 'percent',
  fields: [],
  parse() {
    return null;
  },
  async run(_spec, context) {
    const figures = memoryFigures(await readProcFile(context.procRoot, 'meminfo'));
    if (!figures) return { value: null, summary: 'unreadable /proc/meminfo', failure: 'unreadable /proc/meminfo' };
    const percent = swapUsedPercent(figures);
    return { value: percent, summary: figures.swapTotalKb === 0 ? 'no swap configured' : `swap ${percent.toFixed(0)}% used` };
  },
});
