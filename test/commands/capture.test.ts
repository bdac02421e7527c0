// `netsleuth capture`: a live snapshot taken while a load generator holds hundreds of
// connections from many 127.10.x.y source addresses open against a local server.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { runCli } from '../helpers/run-cli.js';
import { openFlood, startTcpSink, type Closable } from '../health/helpers/loopback-servers.js';

let dir: string;
const cleanups: Closable[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-capture-'));
});
afterEach(async () => {
  for (const item of cleanups.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

describe('capture', () => {
  it('contains every flooding connection, and the capture reads back with the netsleuth parser', async () => {
    const sink = await startTcpSink();
    cleanups.push(sink);
    const flood = await openFlood(sink.port, 150, 2);
    cleanups.push(flood);
    // Until the server has accept()ed them, connections sit in the kernel's queue with no owner fd.
    for (let waited = 0; sink.sockets.size < 300 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));

    const result = await runCli(['capture', '-o', 'snap.txt'], { cwd: dir });
    expect(result.code).toBe(0);
    const text = await readFile(join(dir, 'snap.txt'), 'utf8');
    const header = text.split('\n').slice(0, 4);
    expect(header[0]).toBe('# netsleuth capture v1');
    expect(header[1]).toMatch(/^# host: \S+/);
    expect(header[2]).toMatch(/^# captured-at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(header[3]).toBe('# source: /proc/net/tcp,/proc/net/tcp6');

    const capture = parseCaptureText(text, { file: 'snap.txt' });
    expect(capture.info.format).toBe('netsleuth-capture');
    expect(capture.diagnostics).toEqual([]);
    // Server side of the flood: local = the sink, remote = each 127.10.x.y source.
    const inbound = capture.connections.filter((connection) => connection.localAddress === '127.0.0.1' && connection.localPort === sink.port && connection.state === 'ESTABLISHED');
    const perSource = new Map<string, number>();
    for (const connection of inbound) perSource.set(connection.remoteAddress, (perSource.get(connection.remoteAddress) ?? 0) + 1);
    for (const source of flood.sourceAddresses) expect(perSource.get(source), source).toBe(2);
    expect(inbound.length).toBeGreaterThanOrEqual(300);
    // The owner of each socket comes from /proc/PID/fd: the sink and the flood run in this process.
    const comm = (await readFile('/proc/self/comm', 'utf8')).trim();
    const listening = capture.connections.filter((connection) => connection.localPort === sink.port && connection.state === 'LISTEN');
    expect(listening.map(({ pid, program }) => ({ pid, program }))).toEqual([{ pid: process.pid, program: comm }]);
    expect(inbound.every((connection) => connection.pid === process.pid && connection.program === comm)).toBe(true);
  });

  it('prints to stdout without -o, and refuses to overwrite a file unless --force', async () => {
    const stdout = await runCli(['capture'], { cwd: dir });
    expect(stdout.code).toBe(0);
    expect(stdout.stdout.startsWith('# netsleuth capture v1\n')).toBe(true);

    await writeFile(join(dir, 'evidence.txt'), 'keep me');
    const refused = await runCli(['capture', '-o', 'evidence.txt'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('netsleuth: evidence.txt exists; use --force to replace it\n');
    expect(await readFile(join(dir, 'evidence.txt'), 'utf8')).toBe('keep me');

    const forced = await runCli(['capture', '-o', 'evidence.txt', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect((await readFile(join(dir, 'evidence.txt'), 'utf8')).startsWith('# netsleuth capture v1\n')).toBe(true);
  });

  it('an unreadable /proc is a clear error, and stray arguments are refused', async () => {
    const missing = await runCli(['capture', '--proc-root', join(dir, 'nope')], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read /proc/net/tcp') as unknown });
    const stray = await runCli(['capture', 'file.txt'], { cwd: dir });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('capture takes no file arguments');
  });
});
