// Realistic Linux `netstat -tan[p]` captures for the benches: a web server under a slow-connection
// flood, as the real thing prints it. Local ports 80/443/22/25 interleaved row by row, about a third
// of the rows from an IPv6 Apache listener (`tcp6 … ::ffff:203.0.113.10:80 ::ffff:1.2.3.4:5555`),
// columns padded as net-tools pads them, Recv-Q/Send-Q non-zero on some rows, states in any order,
// a LISTEN row per port, optionally the `-p` PID/Program column, and optionally a console log of
// dated snapshots (`while sleep 600; do date -u; netstat -tan; done`). Deterministic (seeded).
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
import { prng } from './prng.mjs';

const STATES = ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'TIME_WAIT', 'SYN_RECV', 'FIN_WAIT2', 'CLOSE_WAIT', 'LAST_ACK', 'FIN_WAIT1'];
const PORTS = [80, 443, 80, 443, 22, 25, 80, 443];
const PROGRAMS = { 80: 'apache2', 443: 'apache2', 22: 'sshd', 25: 'master' };
const SERVER = '203.0.113.10';

/**
 * Write `rows` rows to `path` (kept when it exists). options: remotes (distinct peers, default 50k),
 * snapshots (1 = one table; more = a dated console log, rows split evenly), programs (-p column), seed.
 */
export async function generateRealisticCapture(path, rows, options = {}) {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const { remotes: remoteCount = 50_000, snapshots = 1, programs = false, seed = 13 } = options;
  const random = prng(seed);
  const heavy = Array.from({ length: 300 }, () => `147.46.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  const pool = new Set(heavy);
  while (pool.size < remoteCount) pool.add(`${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`);
  const remotes = [...pool];
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  const write = (text) => (out.write(text) ? null : new Promise((resolve) => out.once('drain', resolve)));
  const header = `Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ${programs ? ' PID/Program name    ' : ''}\n`;
  const perSnapshot = Math.floor(rows / snapshots);
  const start = Date.UTC(2026, 10, 28, 1, 0, 0);
  let pid = 20000;
  for (let snapshot = 0; snapshot < snapshots; snapshot++) {
    if (snapshots > 1) await write(`${new Date(start + snapshot * 600_000).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4')}\n`);
    await write(header);
    let chunk = '';
    for (const port of [22, 25, 80, 443]) {
      const v6 = port === 80 || port === 443;
      chunk += `${v6 ? 'tcp6' : 'tcp '}       0      0 ${(v6 ? `:::${port}` : `0.0.0.0:${port}`).padEnd(23)} ${(v6 ? ':::*' : '0.0.0.0:*').padEnd(23)} LISTEN     ${programs ? ` ${`${1000 + port}/${PROGRAMS[port]}`.padEnd(19)}` : ''}\n`;
    }
    const count = snapshot === snapshots - 1 ? rows - perSnapshot * (snapshots - 1) : perSnapshot;
    for (let row = 0; row < count - 4; row++) {
      const remote = random() < 0.35 ? heavy[Math.floor(random() * heavy.length)] : remotes[300 + Math.floor(random() * (remotes.length - 300))];
      const port = PORTS[Math.floor(random() * PORTS.length)];
      const v6 = (port === 80 || port === 443) && random() < 0.55;
      const local = v6 ? `::ffff:${SERVER}:${port}` : `${SERVER}:${port}`;
      const peer = `${v6 ? '::ffff:' : ''}${remote}:${1024 + Math.floor(random() * 64000)}`;
      const recvQ = random() < 0.08 ? Math.floor(random() * 600) : 0;
      const sendQ = random() < 0.12 ? Math.floor(random() * 40000) : 0;
      const state = STATES[Math.floor(random() * STATES.length)];
      const program = programs ? (state === 'TIME_WAIT' ? ' -                  ' : ` ${`${pid + Math.floor(random() * 150)}/${PROGRAMS[port]}`.padEnd(19)}`) : '';
      chunk += `${v6 ? 'tcp6' : 'tcp '} ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${local.padEnd(23)} ${peer.padEnd(23)} ${state.padEnd(11)}${program}\n`;
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    pid += 7;
  }
  await new Promise((resolve) => out.end(resolve));
  renameSync(temporary, path);
}

const SS_STATES = { ESTABLISHED: 'ESTAB', TIME_WAIT: 'TIME-WAIT', SYN_RECV: 'SYN-RECV', FIN_WAIT1: 'FIN-WAIT-1', FIN_WAIT2: 'FIN-WAIT-2', CLOSE_WAIT: 'CLOSE-WAIT', LAST_ACK: 'LAST-ACK', LISTEN: 'LISTEN' };

/** An IPv6 socket's endpoint as ss prints it: `[::ffff:1.2.3.4]:80`, `[::]:80`, `[::]:*`. */
function ssEndpoint(text, v6) {
  if (!v6) return text;
  const at = text.lastIndexOf(':');
  const address = text.slice(0, at);
  return `[${address === '::' || address === '' ? '::' : address}]:${text.slice(at + 1)}`;
}

/**
 * The same rows as `ss -tan` prints them (State Recv-Q Send-Q Local:Port Peer:Port, IPv6 sockets
 * bracketed), written to `path` from a netstat capture made by generateRealisticCapture (kept when it exists).
 */
export async function convertToSs(netstatPath, path) {
  if (existsSync(path)) return;
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  const write = (text) => (out.write(text) ? null : new Promise((resolve) => out.once('drain', resolve)));
  let chunk = '';
  for await (const line of createInterface({ input: createReadStream(netstatPath), crlfDelay: Infinity })) {
    const fields = line.trim().split(/\s+/);
    let converted;
    if (fields[0] === 'Proto') converted = 'State      Recv-Q Send-Q     Local Address:Port        Peer Address:Port';
    else if (fields[0] === 'tcp' || fields[0] === 'tcp6') {
      const v6 = fields[0] === 'tcp6';
      const local = fields[3] === ':::80' || fields[3] === ':::443' ? `:::${fields[3].slice(3)}` : fields[3];
      converted = `${(SS_STATES[fields[5]] ?? fields[5]).padEnd(10)} ${fields[1].padStart(6)} ${fields[2].padStart(6)} ${ssEndpoint(local, v6).padStart(30)} ${ssEndpoint(fields[4] === ':::*' ? '::' + ':*' : fields[4], v6).padEnd(30)}`;
    } else if (fields[0] === 'Active') continue;
    else converted = line;
    chunk += `${converted}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((resolve) => out.end(resolve));
  renameSync(temporary, path);
}
