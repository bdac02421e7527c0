// Starts a real authoritative DNS server (knot, from Debian's `knot` package)
// on 127.0.0.1 with the zones in test-zone.ts. Used by the vitest global setup
// and the same way by bench/rdns.mjs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { forwardZoneText, reverseV4ZoneText, reverseV6ZoneText } from './test-zone.js';

/** NETSLEUTH_KNOTD overrides the path (a knot built elsewhere, or /nonexistent to try the no-knot path). */
export const KNOTD_PATH = process.env.NETSLEUTH_KNOTD ?? '/usr/sbin/knotd';

export interface RunningKnot {
  /** 'HOST:PORT', as --dns-server takes it. */
  server: string;
  port: number;
  stop(): Promise<void>;
}

export interface KnotZone {
  domain: string;
  text: string;
}

export function knotInstalled(): boolean {
  return existsSync(KNOTD_PATH);
}

export function defaultTestZones(): KnotZone[] {
  return [
    { domain: 'in-addr.arpa.', text: reverseV4ZoneText() },
    { domain: 'ip6.arpa.', text: reverseV6ZoneText() },
    { domain: 'test.', text: forwardZoneText() },
  ];
}

/** A port free for both UDP and TCP on 127.0.0.1 at the time of asking. */
export async function findFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree && port > 1024) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

function knotConfig(dir: string, port: number, zones: KnotZone[]): string {
  const user = process.getuid?.() === 0 ? '    user: root:root\n' : '';
  return `server:
    listen: 127.0.0.1@${port}
    rundir: ${dir}
${user}database:
    storage: ${dir}
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: ${dir}
    semantic-checks: off
zone:
${zones.map((zone, i) => `  - domain: ${zone.domain}\n    file: zone-${i}.zone`).join('\n')}
`;
}

/** Sends one SOA query; true when knot answers NOERROR for the first zone. */
function probe(port: number, zone: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    socket.on('error', () => finish(false));
    socket.on('message', (message: Buffer) => finish(((message[3] ?? 0) & 0x0f) === 0 && message.readUInt16BE(6) > 0));
    socket.send(dnsPacket.encode({ type: 'query', id: 4242, questions: [{ type: 'SOA', name: zone }] }), port, '127.0.0.1');
  });
}

export async function startKnot(zones: KnotZone[] = defaultTestZones(), options: { readyTimeoutMs?: number } = {}): Promise<RunningKnot> {
  const dir = await mkdtemp(join(tmpdir(), 'netsleuth-knot-'));
  const port = await findFreePort();
  await Promise.all(zones.map((zone, i) => writeFile(join(dir, `zone-${i}.zone`), zone.text)));
  await writeFile(join(dir, 'knot.conf'), knotConfig(dir, port, zones));
  const logPath = join(dir, 'knotd.log');
  const logFd = openSync(logPath, 'w');
  const child: ChildProcess = spawn(KNOTD_PATH, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.once('error', () => undefined);

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      // knot takes 2-3 s to exit on SIGTERM (MACHINE.md); do not wait for more than that.
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exitedPromise;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const firstZone = zones[0]?.domain ?? '.';
  while (Date.now() < deadline && !exited) {
    if (await probe(port, firstZone, 200)) return { server: `127.0.0.1:${port}`, port, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = readFileSync(logPath, 'utf8');
  await stop();
  throw new Error(`knotd did not answer on 127.0.0.1:${port}:\n${log}`);
}
