// disk: percent used of the file system holding `path`, as df computes it:
// used / (used + available to unprivileged users).
import { statfs } from 'node:fs/promises';
import { defineCheck } from '../check-definition.js';

interface DiskSpec {
  path: string;
}

export function diskUsedPercent(blocks: number, freeBlocks: number, availableBlocks: number): number {
  const used = blocks - freeBlocks;
  const total = used + availableBlocks;
  return total <= 0 ? 0 : (used / total) * 100;
}

export const diskCheck = defineCheck<DiskSpec>({
  type: 'disk',
  summary: 'percent used of the file system holding path (default /)',
  unit: '%',
  thresholdKind: 'percent',
  fields: ['path'],
  parse(config) {
    const path = config.string('path') ?? '/';
    if (!path.startsWith('/')) config.fail('path', `must be an absolute path (got ${JSON.stringify(path)})`);
    return { path };
  },
  async run(spec) {
    try {
      const stats = await statfs(spec.path);
      const percent = diskUsedPercent(stats.blocks, stats.bfree, stats.bavail);
      return { value: percent, summary: `${spec.path} ${percent.toFixed(0)}% used` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return { value: null, summary: `${spec.path}: ${code}`, failure: code };
    }
  },
});
