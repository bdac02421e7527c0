// Captures in the formats read from lsof, sockstat and PowerShell go through the whole pipeline
// into the TUI: the interactive App (ink-testing-library) and `netsleuth tui` without a terminal.
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { openGeo } from '../../src/enrich/geo/index.js';
import { investigate } from '../../src/pipeline.js';
import { App } from '../../src/tui/app.js';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { KEYS, press, waitForFrame } from './helpers.js';

const SAMPLES: [string, string][] = [
  ['samples/captures/linux-lsof-nP-i.txt', 'lsof'],
  ['samples/captures/linux-lsof-FpcLftPnT.txt', 'lsof'],
  ['samples/captures/freebsd-sockstat-46s.txt', 'sockstat'],
  ['samples/captures/windows-get-nettcpconnection.txt', 'powershell'],
  ['samples/captures/windows-get-nettcpconnection.json', 'powershell'],
];

const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

describe.each(SAMPLES)('%s (%s) end to end', (sample, format) => {
  it('the interactive TUI lists the Seoul National University remotes', async () => {
    const report = await investigate(
      { inputs: [sample], baseline: null, traceFiles: [], rdns: null, trace: false, now: new Date('2026-11-28T12:00:00Z') },
      { stdin: Readable.from([]), stderr: new PassThrough(), env: {}, cwd: PROJECT_ROOT },
      { openGeo: (options) => openGeo({ ...options, systemGeoDirs: [] }) },
    );
    expect(report.inputs.map((input) => input.format)).toEqual([format]);
    const instance = render(<App report={report} color={false} size={{ columns: 100, rows: 30 }} />);
    instances.push(instance);
    await waitForFrame(instance.lastFrame, (frame) => frame.includes('Seoul National University'));
    await press(instance.stdin, KEYS.tab);
    await waitForFrame(instance.lastFrame, (frame) => /147\.46\.\d+\.\d+/.test(frame));
  }, 90_000);

  it('netsleuth tui without a terminal prints the report naming the format', async () => {
    const result = await runCli(['tui', '--no-dns', '--no-trace', join(PROJECT_ROOT, sample)], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# netsleuth report/);
    expect(result.stdout).toContain(`| ${format} |`);
    expect(result.stdout).toMatch(/147\.46\.\d+\.\d+/);
  }, 90_000);
});
