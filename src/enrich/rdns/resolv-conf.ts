// /etc/resolv.conf read as data (resolv.conf(5)): `nameserver ADDR` lines and
// `options timeout:N attempts:N`. Unknown lines are ignored like glibc does.
import { readFile } from 'node:fs/promises';
import { parseServerAddress, type DnsServer } from './server-address.js';

export const RESOLV_CONF_PATH = '/etc/resolv.conf';

export interface ResolvConf {
  servers: DnsServer[];
  /** From `options timeout:N` (seconds in the file). */
  timeoutMs: number | null;
  /** From `options attempts:N` (total tries per server list). */
  attempts: number | null;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { servers: [], timeoutMs: null, attempts: null };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined) {
      // glibc accepts a plain address only (no port); a scope id (fe80::1%eth0) we cannot use.
      const server = args[0].includes('%') ? null : parseServerAddress(args[0].includes(':') ? `[${args[0]}]` : args[0]);
      if (server) conf.servers.push(server);
    } else if (keyword === 'options') {
      for (const option of args) {
        const match = /^(timeout|attempts):(\d{1,4})$/.exec(option);
        if (!match) continue;
        const value = Number(match[2]);
        // glibc caps timeout at 30 s and attempts at 5.
        if (match[1] === 'timeout') conf.timeoutMs = Math.min(Math.max(value, 1), 30) * 1000;
        else conf.attempts = Math.min(Math.max(value, 1), 5);
      }
    }
  }
  return conf;
}

export async function readResolvConf(path = RESOLV_CONF_PATH): Promise<ResolvConf> {
  try {
    return parseResolvConf(await readFile(path, 'utf8'));
  } catch {
    return { servers: [], timeoutMs: null, attempts: null };
  }
}
