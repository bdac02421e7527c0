// process: how many processes have this name (/proc/PID/comm), e.g. httpd ≤ 150.
// comm is cut at 15 characters by the kernel, so a longer configured name is cut the same way.
import { defineCheck } from '../check-definition.js';
import { readProcessNames } from '../system-readers.js';

interface ProcessSpec {
  process: string;
}

export const COMM_MAX_LENGTH = 15;

export function countNamed(names: readonly string[], wanted: string): number {
  const target = wanted.slice(0, COMM_MAX_LENGTH);
  let count = 0;
  for (const name of names) if (name.replace(/\n$/, '') === target) count += 1;
  return count;
}

export const processCheck = defineCheck<ProcessSpec>({
  type: 'process',
  summary: 'count processes by name (process: httpd, crit: 150; critBelow: 1 for "must run")',
  unit: 'processes',
  thresholdKind: 'number',
  fields: ['process'],
  parse(config) {
    return { process: config.requiredString('process') };
  },
  async run(spec, context) {
    const count = countNamed(await readProcessNames(context.procRoot), spec.process);
    return { value: count, summary: `${count} ${spec.process} processes` };
  },
});
