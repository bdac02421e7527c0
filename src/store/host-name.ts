// Which host a capture came from: the netsleuth capture header, else --host, else the file
// name (`web1-20261201T1000.txt` -> web1). Host names are text from the capture or the file
// system: sanitized, and limited to the characters host names use.
import { basename } from 'node:path';
import { sanitizeText } from '../net/sanitize.js';

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;

export type HostSource = 'header' | 'flag' | 'file-name';

export function isValidHostName(name: string): boolean {
  return HOST_NAME.test(name);
}

/** The host part of a file name: everything before its first '-' (gzip and other extensions ignored). */
export function hostFromFileName(file: string): string | null {
  const name = basename(file);
  const dash = name.indexOf('-');
  if (dash <= 0) return null;
  const host = name.slice(0, dash);
  return isValidHostName(host) ? host : null;
}

export function chooseHost(headerHost: string | null | undefined, flagHost: string | undefined, file: string): { host: string; source: HostSource } | null {
  const fromHeader = headerHost ? sanitizeText(headerHost).trim() : '';
  if (fromHeader && isValidHostName(fromHeader)) return { host: fromHeader, source: 'header' };
  if (flagHost) return { host: flagHost, source: 'flag' };
  const fromName = file === '-' ? null : hostFromFileName(file);
  return fromName ? { host: fromName, source: 'file-name' } : null;
}
