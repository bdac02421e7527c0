#!/usr/bin/env node
// Rebuilds the synthetic fleet sample in this folder: `node samples/fleet/generate.mjs [OUT_DIR]`.
// Deterministic (seeded PRNG, no clock; gzip at a fixed level without a name or time): running it
// again gives byte-identical files.
//
// The story: five web servers of one hosting customer (203.0.113.21-25, TEST-NET-3), a snapshot
// every 10 minutes from 10:00 to 11:50 UTC on 2026-12-01, each host a few seconds late in its own
// way. From a different moment on each, hosts on Seoul National University's network
// (147.46.0.0/16, AS9488, KR) open silent connections to port 80 of web1 (from 10:20), web2
// (10:40), web3 (10:50) and web4 (11:10); web5 is never hit. Every host also has its own
// visitors (one residential /24 each) and its own admin's ssh session: noise no other host sees.
// Each host saves its captures differently, as a fleet does:
//   web1, web2, web5   `netsleuth capture` files (header names the host), one per snapshot
//   web3               `(date -u; netstat -tan) | gzip` files, one per snapshot, host from the file name
//   web4               one console log of `while sleep 600; do date -u; netstat -tanp; done`
//
// Address ranges checked against the embedded data (node_modules/@ip-location-db/asn/asn-ipv4.csv):
//   147.46.0.0,147.47.119.255,9488,Seoul National University
//   73.15.2.0/24 AS7922 Comcast (US), 79.192.4.0/24 AS3320 Deutsche Telekom (DE),
//   86.128.5.0/24 AS2856 British Telecommunications (GB), 90.12.3.0/24 AS3215 Orange (FR),
//   126.200.1.0/24 AS17676 SoftBank (JP)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { prng } from '../../bench/lib/prng.mjs';

const OUT_DIR = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const START_MS = Date.UTC(2026, 11, 1, 10, 0, 0);
const SNAPSHOTS = 12;
const INTERVAL_MS = 10 * 60_000;

const HOSTS = [
  { name: 'web1', address: '203.0.113.21', lateSeconds: 2, format: 'netsleuth', attackFrom: 2, visitors: '73.15.2', admin: '10.1.0.5' },
  { name: 'web2', address: '203.0.113.22', lateSeconds: 4, format: 'netsleuth', attackFrom: 4, visitors: '79.192.4', admin: '10.1.0.6' },
  { name: 'web3', address: '203.0.113.23', lateSeconds: 6, format: 'netstat-gz', attackFrom: 5, visitors: '86.128.5', admin: '10.1.0.7' },
  { name: 'web4', address: '203.0.113.24', lateSeconds: 8, format: 'console-log', attackFrom: 7, visitors: '90.12.3', admin: '10.1.0.8' },
  { name: 'web5', address: '203.0.113.25', lateSeconds: 10, format: 'netsleuth', attackFrom: null, visitors: '126.200.1', admin: '10.1.0.9' },
];

const random = prng(20261201);
const int = (min, max) => min + Math.floor(random() * (max - min + 1));

// One pool of attacking hosts inside 147.46.0.0/16; each victim sees a subset of it.
const ATTACKERS = Array.from({ length: 40 }, () => `147.46.${int(0, 255)}.${int(1, 254)}`);

/** The rows of one snapshot: [localAddress, localPort, remoteAddress, remotePort, state, recvQ, sendQ, program]. */
function snapshotRows(host, index) {
  const rows = [
    ['0.0.0.0', 22, '0.0.0.0', null, 'LISTEN', 0, 0, 'sshd'],
    ['0.0.0.0', 80, '0.0.0.0', null, 'LISTEN', 0, 0, 'httpd'],
    ['0.0.0.0', 443, '0.0.0.0', null, 'LISTEN', 0, 0, 'httpd'],
  ];
  rows.push([host.address, 22, host.admin, int(50000, 60000), 'ESTABLISHED', 0, 36, 'sshd']);
  const visitors = int(6, 14);
  for (let i = 0; i < visitors; i++) {
    const state = random() < 0.7 ? 'ESTABLISHED' : random() < 0.5 ? 'TIME_WAIT' : 'FIN_WAIT2';
    rows.push([host.address, random() < 0.6 ? 443 : 80, `${host.visitors}.${int(2, 250)}`, int(32768, 60999), state, 0, state === 'ESTABLISHED' ? int(0, 2) * 517 : 0, 'httpd']);
  }
  if (host.attackFrom !== null && index >= host.attackFrom) {
    // The flood grows snapshot by snapshot: more attackers, several silent sockets each.
    const step = index - host.attackFrom + 1;
    const attackers = Math.min(ATTACKERS.length, 6 + 5 * step);
    const offset = HOSTS.indexOf(host) * 7;
    for (let a = 0; a < attackers; a++) {
      const remote = ATTACKERS[(offset + a) % ATTACKERS.length];
      const sockets = int(2, 5);
      for (let s = 0; s < sockets; s++) rows.push([host.address, 80, remote, int(1024, 65000), random() < 0.9 ? 'ESTABLISHED' : 'SYN_RECV', 0, 0, 'httpd']);
    }
  }
  return rows;
}

function capturedAt(host, index) {
  return new Date(START_MS + index * INTERVAL_MS + host.lateSeconds * 1000);
}

function stamp(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `date -u` as GNU date prints it: Tue Dec  1 10:20:02 UTC 2026. */
function dateLine(date) {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()];
  const time = date.toISOString().slice(11, 19);
  return `${day} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} UTC ${date.getUTCFullYear()}`;
}

function netsleuthCapture(host, date, rows) {
  const lines = ['# netsleuth capture v1', `# host: ${host.name}`, `# captured-at: ${date.toISOString()}`, '# source: /proc/net/tcp,/proc/net/tcp6'];
  lines.push('protocol,ipVersion,localAddress,localPort,remoteAddress,remotePort,state,rawState,recvQ,sendQ,pid,program,file,line,scope,truncated');
  rows.forEach(([local, localPort, remote, remotePort, state, recvQ, sendQ, program], i) => {
    lines.push(['tcp', 4, local, localPort, remote, remotePort ?? 0, state, state, recvQ, sendQ, 1000 + i, program, '/proc/net/tcp', i + 2, '', ''].join(','));
  });
  return `${lines.join('\n')}\n`;
}

function netstatTable(rows, withPrograms) {
  const lines = ['Active Internet connections (servers and established)'];
  lines.push(`Proto Recv-Q Send-Q Local Address           Foreign Address         State${withPrograms ? '       PID/Program name' : ''}`);
  rows.forEach(([local, localPort, remote, remotePort, state, recvQ, sendQ, program], i) => {
    const line = `tcp   ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${`${local}:${localPort}`.padEnd(23)} ${`${remote}:${remotePort ?? '*'}`.padEnd(23)} ${state.padEnd(11)}`;
    lines.push(withPrograms ? `${line} ${program === '-' ? '-' : `${2000 + i}/${program}`}` : line.trimEnd());
  });
  return lines.join('\n');
}

mkdirSync(OUT_DIR, { recursive: true });
const written = [];
for (const host of HOSTS) {
  const log = [];
  for (let index = 0; index < SNAPSHOTS; index++) {
    const date = capturedAt(host, index);
    const rows = snapshotRows(host, index);
    if (host.format === 'netsleuth') {
      const name = `${host.name}-${stamp(date)}.txt`;
      writeFileSync(join(OUT_DIR, name), netsleuthCapture(host, date, rows));
      written.push(name);
    } else if (host.format === 'netstat-gz') {
      const name = `${host.name}-${stamp(date)}.txt.gz`;
      writeFileSync(join(OUT_DIR, name), gzipSync(`${dateLine(date)}\n${netstatTable(rows, false)}\n`, { level: 9 }));
      written.push(name);
    } else {
      log.push(dateLine(date), netstatTable(rows, true));
    }
  }
  if (log.length > 0) {
    const name = `${host.name}-console-log.txt`;
    writeFileSync(join(OUT_DIR, name), `${log.join('\n')}\n`);
    written.push(name);
  }
}
process.stderr.write(`wrote ${written.length} files to ${OUT_DIR}\n`);
