// A plain `netstat -tan` capture with a Seoul National University-style heavy head (41 remotes in
// 147.46.0.0/16 carry about 30% of the rows) and a long tail of random IPv4 peers, written in
// 1 MiB chunks. Deterministic (seeded), and kept when the file exists.
import { createWriteStream, existsSync } from 'node:fs';
import { prng } from './prng.mjs';

const STATES = ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'SYN_RECV', 'FIN_WAIT2', 'CLOSE_WAIT'];
const PORTS = [80, 80, 80, 443, 443, 22, 25];
const HEAVY = 41;

/**
 * options: lines, remotes (distinct peers), seed; everyRemote: each remote has a row (the first
 * `remotes` rows), the rest drawn from all of them, else the tail draws from the non-heavy ones
 * only; sendQueues: a non-zero Send-Q on about 30% of the rows.
 */
export async function generateHeavyTailCapture(path, { lines, remotes: remoteCount, seed, everyRemote = false, sendQueues = false }) {
  if (existsSync(path)) return;
  const random = prng(seed);
  const heavy = Array.from({ length: HEAVY }, () => `147.46.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  const pool = new Set(heavy);
  while (pool.size < remoteCount) pool.add(`${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  const remotes = [...pool];
  const tail = () => (everyRemote ? remotes[Math.floor(random() * remotes.length)] : remotes[HEAVY + Math.floor(random() * (remotes.length - HEAVY))]);
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? null : new Promise((resolve) => out.once('drain', resolve)));
  await write('Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State\n');
  let chunk = '';
  for (let line = 0; line < lines - 2; line++) {
    const remote = everyRemote && line < remotes.length ? remotes[line] : random() < 0.3 ? heavy[Math.floor(random() * heavy.length)] : tail();
    const local = `203.0.113.10:${PORTS[Math.floor(random() * PORTS.length)]}`;
    const peer = `${remote}:${1024 + Math.floor(random() * 60000)}`;
    const sendQ = sendQueues && random() >= 0.7 ? Math.floor(random() * 3000) : 0;
    chunk += `tcp        0 ${String(sendQ).padStart(6)} ${local.padEnd(23)} ${peer.padEnd(23)} ${STATES[Math.floor(random() * STATES.length)]}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((resolve) => out.end(resolve));
}
