// Where netsleuth keeps rebuildable caches (ASN index, DNS answers).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** NETSLEUTH_CACHE_DIR, else $XDG_CACHE_HOME/netsleuth, else ~/.cache/netsleuth. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.NETSLEUTH_CACHE_DIR) return env.NETSLEUTH_CACHE_DIR;
  const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'netsleuth');
}
