// Every check and channel module is registered once, and the sample config exercises every check.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/health/checks/index.js';
import { CHANNELS } from '../../src/health/notify/index.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

async function moduleExports(dir: string, skip: string[]): Promise<unknown[]> {
  const files = (await readdir(`${PROJECT_ROOT}src/health/${dir}`)).filter((file) => file.endsWith('.ts') && !skip.includes(file));
  const modules = await Promise.all(files.map((file) => import(`../../src/health/${dir}/${file.replace(/\.ts$/, '.js')}`) as Promise<Record<string, unknown>>));
  return modules.flatMap((module) => Object.values(module));
}

describe('registries', () => {
  it('every check module exports a definition that CHECKS lists, with a unique type', async () => {
    const definitions = (await moduleExports('checks', ['index.ts'])).filter((value) => typeof value === 'object' && value !== null && 'thresholdKind' in value);
    expect(definitions).toHaveLength(CHECKS.length);
    for (const definition of definitions) expect(CHECKS).toContain(definition);
    expect(new Set(CHECKS.map((check) => check.type)).size).toBe(CHECKS.length);
  });
  it('every channel module is listed in CHANNELS', async () => {
    const channels = (await moduleExports('notify', ['index.ts', 'notification.ts', 'child-process.ts'])).filter((value) => typeof value === 'object' && value !== null && 'send' in value);
    expect(channels).toHaveLength(CHANNELS.length);
    for (const channel of channels) expect(CHANNELS).toContain(channel);
  });
  it('the sample config names every check type and every channel type', async () => {
    const sample = await readFile(`${PROJECT_ROOT}samples/health/health.yaml`, 'utf8');
    for (const check of CHECKS) expect(sample).toMatch(new RegExp(`type: ${check.type}\\b`));
    for (const channel of CHANNELS) expect(sample).toMatch(new RegExp(`type: ${channel.type}\\b`));
  });
});
