// The incident end to end: a load generator floods a local server from many 127.10.x.y
// addresses; `netsleuth health` sees the per-remote connection count go critical, captures the
// evidence and its report.md names the flooding addresses.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { runCli } from '../helpers/run-cli.js';
import { openFlood, startTcpSink, type Closable } from './helpers/loopback-servers.js';
import { verifyManifest } from './helpers/verify-manifest.js';

let dir: string;
const cleanups: Closable[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-flood-'));
});
afterEach(async () => {
  for (const item of cleanups.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

it('flood -> critical connections check -> case folder with the flood in the capture and the report', async () => {
  const sink = await startTcpSink();
  cleanups.push(sink);
  // 200 addresses with one connection each, plus 3 heavy hitters with 60 each: 380 connections.
  const crowd = await openFlood(sink.port, 200, 1);
  cleanups.push(crowd);
  const heavy = await openFloodFrom(sink.port, ['127.20.0.7', '127.20.0.8', '127.20.0.9'], 60);
  cleanups.push(heavy);

  await writeFile(join(dir, 'health.yaml'), [
    'checks:',
    '  - name: flood',
    '    type: connections',
    '    perRemote: true',
    `    localPort: ${sink.port}`,
    '    warn: 20',
    '    crit: 50',
    '  - name: total',
    '    type: connections',
    '    state: ESTABLISHED',
    `    localPort: ${sink.port}`,
    '    warn: 300',
  ].join('\n'));
  const result = await runCli(['health', '--config', 'health.yaml', '--case', 'case', '--no-dns'], { cwd: dir });
  expect(result.code).toBe(2);
  const [critical, warning, ...rest] = result.stdout.split('\n');
  expect(critical).toBe(`CRITICAL flood [connections]: 60 connections to port ${sink.port} from 127.20.0.7 (crit > 50)`);
  // At least our 380: a client socket of a parallel test may happen to use the sink's port number
  // as its ephemeral local port (localPort matches both directions, as in netstat).
  const total = new RegExp(`^WARNING total \\[connections\\]: (\\d+) ESTABLISHED connections to port ${sink.port} \\(warn > 300\\)$`).exec(warning ?? '');
  expect(Number(total?.[1])).toBeGreaterThanOrEqual(380);
  expect(rest).toEqual(['']);

  const [name] = await readdir(join(dir, 'case'));
  const captureDir = join(dir, 'case', name!);
  const listed = await verifyManifest(captureDir);
  expect(listed).toContain('report.md');

  const capture = parseCaptureText(await readFile(join(captureDir, 'connections.txt'), 'utf8'), { file: 'connections.txt' });
  const inbound = capture.connections.filter((connection) => connection.localAddress === '127.0.0.1' && connection.localPort === sink.port
    && connection.state === 'ESTABLISHED' && /^127\.(10|20)\./.test(connection.remoteAddress));
  expect(inbound).toHaveLength(380);
  expect(new Set(inbound.map((connection) => connection.remoteAddress))).toEqual(new Set([...crowd.sourceAddresses, '127.20.0.7', '127.20.0.8', '127.20.0.9']));

  const report = await readFile(join(captureDir, 'report.md'), 'utf8');
  expect(report.startsWith('# netsleuth report')).toBe(true);
  for (const address of ['127.20.0.7', '127.20.0.8', '127.20.0.9']) expect(report).toContain(address);
  expect(report).toContain('Reverse DNS was not queried');
  expect(listed).toContain('report.html');
  const page = await readFile(join(captureDir, 'report.html'), 'utf8');
  expect(page).toMatch(/^<!DOCTYPE html>/);
  for (const address of ['127.20.0.7', '127.20.0.8', '127.20.0.9']) expect(page).toContain(address);
}, 30_000);

async function openFloodFrom(port: number, addresses: string[], perAddress: number): Promise<Closable> {
  const { connect } = await import('node:net');
  const sockets = await Promise.all(addresses.flatMap((localAddress) => Array.from({ length: perAddress }, () => new Promise<import('node:net').Socket>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  }))));
  return { close: async () => { for (const socket of sockets) socket.destroy(); } };
}

it('the report honours --dns-server: PTR names from a resolver on loopback appear in report.md', async () => {
  const { startDnsServer } = await import('./helpers/loopback-servers.js');
  const dns = await startDnsServer({ '7.0.20.127.in-addr.arpa': 'gw-147-46.snu.example.test' });
  cleanups.push(dns);
  const sink = await startTcpSink();
  cleanups.push(sink);
  cleanups.push(await openFloodFrom(sink.port, ['127.20.0.7'], 30));
  await writeFile(join(dir, 'health.yaml'), `checks:\n  - {name: flood, type: connections, perRemote: true, localPort: ${sink.port}, crit: 20}\n`);
  const result = await runCli(['health', '--config', 'health.yaml', '--case', 'case', '--dns-server', dns.server], { cwd: dir });
  expect(result.code).toBe(2);
  const [name] = await readdir(join(dir, 'case'));
  const report = await readFile(join(dir, 'case', name!, 'report.md'), 'utf8');
  expect(report).toContain('gw-147-46.snu.example.test');
}, 30_000);
