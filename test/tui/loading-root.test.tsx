// The first frame before the investigation ends: its stages, then the App on the report;
// a failed investigation closes the screen; q before the end stops the investigation at its next stage.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProps } from '../../src/tui/app.js';
import { LoadingRoot } from '../../src/tui/loading-root.js';
import { floodReport } from './fixtures.js';
import { startTuiLoading } from '../../src/tui/start.js';
import { press, waitForFrame } from './helpers.js';

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const SIZE = { columns: 100, rows: 30 };
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

/** A load the test moves on by hand: each step() tells the next stage; finish() resolves or rejects it. */
function controlledLoad() {
  let onStage: ((stage: string) => void) | null = null;
  let settle: { resolve: (props: AppProps) => void; reject: (error: unknown) => void } | null = null;
  const load = (tell: (stage: string) => void) => {
    onStage = tell;
    return new Promise<AppProps>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return {
    load,
    stage: (stage: string) => onStage?.(stage),
    resolve: (props: AppProps) => settle?.resolve(props),
    reject: (error: unknown) => settle?.reject(error),
  };
}

describe('LoadingRoot', () => {
  it('draws the tabs and each stage as it begins, then the overview of the report', async () => {
    const control = controlledLoad();
    const instance = render(<LoadingRoot load={control.load} onError={() => {}} color={false} size={SIZE} />);
    instances.push(instance);
    let frame = await waitForFrame(instance.lastFrame, (text) => text.includes('Investigating…'));
    expect(frame).toContain('1 Overview');
    expect(frame).toContain('q quit');
    control.stage('read');
    frame = await waitForFrame(instance.lastFrame, (text) => text.includes('reading captures…'));
    control.stage('geo');
    frame = await waitForFrame(instance.lastFrame, (text) => text.includes('geolocating remotes…'));
    expect(frame).toContain('reading captures ✓');
    control.resolve({ report: floodReport(), color: false });
    frame = await waitForFrame(instance.lastFrame, (text) => text.includes('KR South Korea'));
    expect(frame).not.toContain('Investigating…');
    expect(frame).toMatch(/connections · .* remotes/);
  });

  it('a failed investigation is handed to onError and the screen closes', async () => {
    const control = controlledLoad();
    const errors: unknown[] = [];
    const instance = render(<LoadingRoot load={control.load} onError={(error) => errors.push(error)} color={false} size={SIZE} />);
    instances.push(instance);
    await waitForFrame(instance.lastFrame, (text) => text.includes('Investigating…'));
    const failure = new Error('before.txt: cannot read (no such file)');
    control.reject(failure);
    await until(() => errors.length > 0);
    expect(errors).toEqual([failure]);
  });

  it('startTuiLoading closes the screen and rejects with the investigation\'s error', async () => {
    const { PassThrough, Writable } = await import('node:stream');
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const stdout = Object.assign(sink, { columns: 100, rows: 30 }) as unknown as NodeJS.WriteStream;
    const failure = new Error('before.txt: cannot read (no such file)');
    await expect(startTuiLoading(async () => Promise.reject(failure), { stdin, stdout, env: {} })).rejects.toBe(failure);
    // The alternate screen is left before the error is reported.
    expect(output.endsWith('\u001b[?1049l')).toBe(true);
  });

  it('q before the end closes the screen, and the investigation stops at its next stage', async () => {
    const control = controlledLoad();
    const instance = render(<LoadingRoot load={control.load} onError={() => {}} color={false} size={SIZE} />);
    instances.push(instance);
    await waitForFrame(instance.lastFrame, (text) => text.includes('Investigating…'));
    control.stage('read');
    await waitForFrame(instance.lastFrame, (text) => text.includes('reading captures…'));
    await press(instance.stdin, 'q');
    await until(() => {
      try {
        control.stage('geo');
        return false;
      } catch {
        return true;
      }
    });
    expect(() => control.stage('analyze')).toThrow('closed');
  });
});
