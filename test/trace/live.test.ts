// The live runner with a fake executor (validation, concurrency, timeouts, progress) and the real one.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { detectTracer, execFileExecutor, runLiveTraces, tracerArgs, type ExecResult, type Executor } from '../../src/trace/live.js';

const TRACEROUTE_OUTPUT = (ip: string) => `traceroute to ${ip} (${ip}), 30 hops max, 60 byte packets\n 1  198.51.100.1  0.5 ms  0.4 ms  0.4 ms\n 2  ${ip}  1.0 ms  1.1 ms  1.2 ms\n`;
const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0, timedOut: false, error: null });
const findAll = async (name: string) => `/fake/${name}`;

describe('tracerArgs', () => {
  it.each([
    ['traceroute', 4, ['-n', '-4', '-q', '3', '-w', '2', '-m', '30', '203.0.113.9']],
    ['traceroute', 6, ['-n', '-6', '-q', '3', '-w', '2', '-m', '30', '2001:db8::9']],
    ['tracepath', 4, ['-n', '-m', '30', '203.0.113.9']],
    ['mtr', 4, ['-n', '-4', '--json', '-c', '3', '-G', '1', '-m', '30', '203.0.113.9']],
  ] as const)('%s IPv%d', (tracer, version, expected) => {
    expect(tracerArgs(tracer, version === 4 ? '203.0.113.9' : '2001:db8::9', version, { maxHops: 30, perTraceTimeoutMs: 20_000 })).toEqual(expected);
  });
});

describe('detectTracer', () => {
  it('takes the first installed of traceroute, mtr, tracepath', async () => {
    expect(await detectTracer(undefined, async (name) => (name === 'traceroute' ? null : `/usr/bin/${name}`))).toEqual({ tracer: 'mtr', file: '/usr/bin/mtr' });
  });
  it('a forced tracer that is missing is a user error; so is having none', async () => {
    await expect(detectTracer('mtr', async () => null)).rejects.toThrow(/tracer 'mtr' is not installed/);
    await expect(detectTracer(undefined, async () => null)).rejects.toThrow(UserError);
  });
});

describe('runLiveTraces with a fake executor', () => {
  it('validates every address before running anything', async () => {
    const calls: string[][] = [];
    const exec: Executor = async (file, args) => (calls.push([file, ...args]), ok(''));
    await expect(runLiveTraces(['203.0.113.9', '$(reboot)'], { exec, findExecutable: findAll, perTraceTimeoutMs: 1000, totalTimeoutMs: 1000, concurrency: 2 })).rejects.toThrow(/not an IP address: '\$\(reboot\)'/);
    expect(calls).toEqual([]);
  });

  it('spawns the tracer by path with an argument array, canonical address last; parses; keeps raw output', async () => {
    const calls: string[][] = [];
    const exec: Executor = async (file, args) => (calls.push([file, ...args]), ok(TRACEROUTE_OUTPUT(args[args.length - 1] as string)));
    const results = await runLiveTraces(['2001:DB8:0:0::9'], { tracer: 'traceroute', exec, findExecutable: findAll, perTraceTimeoutMs: 1000, totalTimeoutMs: 5000, concurrency: 1 });
    expect(calls).toEqual([['/fake/traceroute', '-n', '-6', '-q', '3', '-w', '1', '-m', '30', '2001:db8::9']]);
    expect(results[0]).toMatchObject({ ip: '2001:db8::9', tracer: 'traceroute', error: null, path: { format: 'live:traceroute', reached: true, target: { ip: '2001:db8::9' } } });
    expect(results[0]!.path!.raw).toBe(TRACEROUTE_OUTPUT('2001:db8::9'));
  });

  it('keeps at most N traces running and reports progress in order', async () => {
    let running = 0;
    let peak = 0;
    const exec: Executor = async (_file, args) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return ok(TRACEROUTE_OUTPUT(args[args.length - 1] as string));
    };
    const progress: number[] = [];
    const ips = Array.from({ length: 7 }, (_, index) => `203.0.113.${index + 1}`);
    const results = await runLiveTraces(ips, { exec, findExecutable: findAll, perTraceTimeoutMs: 1000, totalTimeoutMs: 5000, concurrency: 3, onProgress: (p) => progress.push(p.done) });
    expect(peak).toBe(3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((result) => result.ip)).toEqual(ips);
  });

  it('a per-trace timeout keeps the partial output; the total timeout stops the rest', async () => {
    const exec: Executor = async (_file, args, { signal }) => {
      const ip = args[args.length - 1] as string;
      if (ip === '203.0.113.1') return { stdout: 'traceroute to 203.0.113.1 (203.0.113.1), 30 hops max\n 1  198.51.100.1  0.5 ms\n', stderr: '', exitCode: null, timedOut: true, error: null };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return { stdout: '', stderr: '', exitCode: null, timedOut: false, error: 'total timeout reached' };
    };
    const results = await runLiveTraces(['203.0.113.1', '203.0.113.2', '203.0.113.3'], { exec, findExecutable: findAll, perTraceTimeoutMs: 1000, totalTimeoutMs: 50, concurrency: 1 });
    expect(results[0]).toMatchObject({ error: 'timed out after 1000 ms (partial output kept)', path: { reached: false } });
    expect(results[0]!.path!.hops).toHaveLength(1);
    expect(results[1]).toMatchObject({ path: null, error: 'total timeout reached' });
    expect(results[2]).toMatchObject({ path: null, error: 'not run: total timeout of 50 ms reached' });
  });
});

describe('execFileExecutor', () => {
  it('kills a program that runs past its timeout and says so', async () => {
    const started = Date.now();
    const result = await execFileExecutor('sleep', ['5'], { timeoutMs: 100, signal: new AbortController().signal });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });
  it('reports a program that does not exist', async () => {
    const result = await execFileExecutor('/nonexistent/tracer', [], { timeoutMs: 1000, signal: new AbortController().signal });
    expect(result.error).toMatch(/ENOENT/);
  });
});
