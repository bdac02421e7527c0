// Host names and addresses that go on a command line (ping) or into a socket: validated first.
import { isIP } from 'node:net';

// RFC 1123 host name labels; no leading '-' so nothing can pass as an option to ping.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isSafeHost(host: string): boolean {
  return isIP(host) !== 0 || HOST_NAME.test(host);
}
