// papaparse is CommonJS and costs ~20 ms to load; only CSV inputs and outputs need it, so it is
// required on first use (keeps `netsleuth parse capture.txt` start-up small).
import { createRequire } from 'node:module';
import type PapaModule from 'papaparse';

let loaded: typeof PapaModule | null = null;

export function papaparse(): typeof PapaModule {
  loaded ??= createRequire(import.meta.url)('papaparse') as typeof PapaModule;
  return loaded;
}
