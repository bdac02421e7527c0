// ipaddr.js is CommonJS: importing it as ESM costs ~10 ms of start-up (the CJS export scan), a
// require ~3 ms. Only IPv6 maths needs it, so it is required on first use: `parse --summary` of
// an IPv4 capture never loads it.
import { createRequire } from 'node:module';
import type IpaddrModule from 'ipaddr.js';

let loaded: typeof IpaddrModule | null = null;

export function ipaddr(): typeof IpaddrModule {
  loaded ??= createRequire(import.meta.url)('ipaddr.js') as typeof IpaddrModule;
  return loaded;
}
