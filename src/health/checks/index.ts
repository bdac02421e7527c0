// Every check type, in one array: config validation, --help and the sample config read it.
import type { CheckDefinition } from '../check-definition.js';
import { connectionsCheck } from './connections.js';
import { diskCheck } from './disk.js';
import { dnsCheck } from './dns.js';
import { httpCheck } from './http.js';
import { loadCheck } from './load.js';
import { memoryCheck } from './memory.js';
import { pingCheck } from './ping.js';
import { processCheck } from './process.js';
import { swapCheck } from './swap.js';
import { tcpCheck } from './tcp.js';

export const CHECKS: readonly CheckDefinition<unknown>[] = [
  pingCheck, tcpCheck, httpCheck, dnsCheck, processCheck, loadCheck, memoryCheck, swapCheck, connectionsCheck, diskCheck,
];

export function findCheck(type: string): CheckDefinition<unknown> | undefined {
  return CHECKS.find((check) => check.type === type);
}
