// Whole read-only files mapped into memory (mmap) by the Node-API addon in src/native/, which
// `npm run build` compiles with node-gyp into dist/native/. Node has no mmap of its own, and a
// Buffer read from a file is fresh memory: on this project's VMs the first touch of a fresh page
// costs about 4 ms a MB (reading the 28 MB city database whole: ~100 ms), while mapped pages come
// from the page cache and are shared between processes. Without the addon (no compiler at
// install time, another platform) or with NETSLEUTH_MMAP=off, mapFile returns null and callers
// read the file as before.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const MMAP_ADDON_PATH = fileURLToPath(new URL('../../../dist/native/netsleuth-mmap.node', import.meta.url));

interface MmapAddon {
  mapFile(path: string): Buffer;
}

const loaded = new Map<string, MmapAddon | null>();

function addonAt(path: string): MmapAddon | null {
  let addon = loaded.get(path);
  if (addon === undefined) {
    try {
      // The one environment read below the commands: a switch for diagnosing, not an option.
      addon = process.env.NETSLEUTH_MMAP === 'off' ? null : (createRequire(import.meta.url)(path) as MmapAddon);
      if (typeof addon?.mapFile !== 'function') addon = null;
    } catch {
      addon = null; // not built, or built for another platform: read instead
    }
    loaded.set(path, addon);
  }
  return addon;
}

/** True when files can be mapped (the addon loads). */
export function canMapFiles(addonPath = MMAP_ADDON_PATH): boolean {
  return addonAt(addonPath) !== null;
}

/**
 * The whole file mapped (privately: a write changes this process's copy, never the file),
 * unmapped when the Buffer is collected; null when mapping is unavailable or fails for this
 * file, and the caller reads it instead (which also gives the usual error for a missing file).
 */
export function mapFile(path: string, addonPath = MMAP_ADDON_PATH): Buffer | null {
  const addon = addonAt(addonPath);
  if (!addon) return null;
  try {
    return addon.mapFile(path);
  } catch {
    return null;
  }
}
