// Which process owns each socket, the way `ss -p` finds out: /proc/net/tcp gives a socket's
// inode (10th column), /proc/PID/fd/* links read "socket:[INODE]". Needs root for other users'
// processes; without it the sockets simply stay without a program.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sanitizeText } from '../net/sanitize.js';

export interface SocketOwner {
  pid: number;
  program: string;
}

/** 1-based line number -> inode, from the raw /proc/net/tcp text ("0" inodes are TIME_WAIT: no owner). */
export function inodesByLine(text: string): Map<number, number> {
  const inodes = new Map<number, number>();
  text.split('\n').forEach((line, index) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !/^\d+:$/.test(fields[0] ?? '')) return;
    const inode = Number(fields[9]);
    if (Number.isInteger(inode) && inode > 0) inodes.set(index + 1, inode);
  });
  return inodes;
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/**
 * inode -> owner for the wanted inodes; the lowest pid wins when a socket is shared (fork).
 * Synchronous on purpose: tens of thousands of tiny /proc readlinks through libuv's thread pool
 * took 0.5 s of a 0.65 s capture (bench/health.mjs); direct calls take a few milliseconds.
 */
export function readSocketOwners(procRoot: string, wanted: ReadonlySet<number>): Map<number, SocketOwner> {
  const owners = new Map<number, SocketOwner>();
  if (wanted.size === 0) return owners;
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return owners;
  }
  const pids = entries.filter((entry) => /^\d+$/.test(entry)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(join(procRoot, String(pid), 'fd'));
    } catch {
      continue; // gone, or not ours to read
    }
    let program: string | null = null;
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(join(procRoot, String(pid), 'fd', fd));
      } catch {
        continue;
      }
      const inode = Number(SOCKET_LINK.exec(target)?.[1]);
      if (!wanted.has(inode) || owners.has(inode)) continue;
      program ??= readComm(procRoot, pid);
      owners.set(inode, { pid, program });
    }
  }
  return owners;
}

function readComm(procRoot: string, pid: number): string {
  try {
    return sanitizeText(readFileSync(join(procRoot, String(pid), 'comm'), 'utf8').trim(), 64);
  } catch {
    return '';
  }
}
