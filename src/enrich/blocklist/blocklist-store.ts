// Blocklists on disk: `netsleuth update` downloads each configured list into
// $CACHE/blocklists/<name>.txt with <name>.json beside it (source, fetch time, size,
// sha256, entries), replacing the previous copy only once the new one is complete and
// parses (temp file + rename); a failed download keeps the previous copy.
// Reports read the cached lists offline, plus any --blocklist FILE|URL for one run.
import { createRequire } from 'node:module';
import { createReadStream, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BlocklistSource } from '../../model/network.js';
import { sanitizeText } from '../../net/sanitize.js';
import { BLOCKLIST_DIR } from '../network/option-defaults.js';
import { parseBlocklist, type BlocklistEntry } from './parse-blocklist.js';

/** node:crypto loads only when a list is checked or stored: a run with no lists never needs it. */
function sha256Hex(bytes: Buffer): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(bytes).digest('hex');
}

export interface BlocklistSpec {
  name: string;
  /** An http(s) URL or a local path. */
  source: string;
}

/** What `netsleuth update` fetches when no list is configured. */
export const DEFAULT_BLOCKLISTS: readonly BlocklistSpec[] = [
  { name: 'firehol-level1', source: 'https://iplists.firehol.org/files/firehol_level1.netset' },
  { name: 'spamhaus-drop', source: 'https://www.spamhaus.org/drop/drop.txt' },
  { name: 'spamhaus-edrop', source: 'https://www.spamhaus.org/drop/edrop.txt' },
  { name: 'dshield-top', source: 'https://feeds.dshield.org/block.txt' },
];

export const MAX_BLOCKLIST_BYTES = 64 * 1024 * 1024;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LoadedBlocklist {
  source: BlocklistSource;
  entries: BlocklistEntry[];
}

export function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/** 'name=source' (update --list) -> spec; throws a plain message when malformed. */
export function parseListSpec(text: string): BlocklistSpec {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new Error(`'${sanitizeText(text, 100)}': expected NAME=URL or NAME=FILE`);
  const name = text.slice(0, equals).trim();
  const source = text.slice(equals + 1).trim();
  if (!NAME_PATTERN.test(name)) throw new Error(`'${sanitizeText(name, 100)}': a list name is letters, digits, '.', '_' or '-' (at most 64)`);
  if (source === '') throw new Error(`${name}: no URL or file given`);
  return { name, source };
}

/** A lists file: 'NAME URL|FILE' per line, '#' comments. */
export function parseListsFile(text: string, file: string): BlocklistSpec[] {
  const specs: BlocklistSpec[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(\S+)\s+(\S+)$/.exec(trimmed);
    if (!match?.[1] || !match[2]) throw new Error(`${file}:${index + 1}: expected 'NAME URL' or 'NAME FILE'`);
    try {
      specs.push(parseListSpec(`${match[1]}=${match[2]}`));
    } catch (error) {
      throw new Error(`${file}:${index + 1}: ${(error as Error).message}`);
    }
  });
  return specs;
}

async function readSource(source: string, cwd: string, timeoutMs: number): Promise<{ bytes: Buffer } | { error: string }> {
  if (isUrl(source)) {
    // The HTTP client and the bounded stream reader load only when a list is read from them.
    const { httpGet } = await import('../network/http-get.js');
    const result = await httpGet(new URL(source), { timeoutMs, maxBytes: MAX_BLOCKLIST_BYTES });
    if (result.kind === 'timeout') return { error: `no answer within ${timeoutMs} ms` };
    if (result.kind === 'error') return { error: result.message };
    if (result.kind === 'too-large') return { error: `larger than ${result.limitBytes} bytes` };
    if (result.status !== 200) return { error: `HTTP ${result.status}` };
    return { bytes: result.body };
  }
  const path = resolve(cwd, source);
  try {
    const info = statSync(path);
    if (info.isDirectory()) return { error: 'a directory, not a list' };
    if (info.size > MAX_BLOCKLIST_BYTES) return { error: `larger than ${MAX_BLOCKLIST_BYTES} bytes` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message) };
  }
  // A pipe reports size 0: read it bounded, so one that never ends is refused, not buffered.
  try {
    const { readStream } = await import('../../capture/read-inputs.js');
    return { bytes: await readStream(createReadStream(path), source, MAX_BLOCKLIST_BYTES, () => `larger than ${MAX_BLOCKLIST_BYTES} bytes`) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code ?? (error as Error).message };
  }
}

function describe(name: string, origin: string, bytes: Buffer, fetchedAt: string | null, entries: number): BlocklistSource {
  return { name, origin, fetchedAt, sizeBytes: bytes.length, sha256: sha256Hex(bytes), entries };
}

export type UpdateOutcome = { name: string; ok: true; source: BlocklistSource; skippedLines: number } | { name: string; ok: false; error: string; previous: BlocklistSource | null };

/** Download one list into the cache; on any failure the previous copy stays as it was. */
export async function updateBlocklist(spec: BlocklistSpec, cacheDir: string, options: { cwd: string; timeoutMs: number; now: () => Date }): Promise<UpdateOutcome> {
  const dir = join(cacheDir, BLOCKLIST_DIR);
  const previous = readMeta(dir, spec.name);
  const fail = (error: string): UpdateOutcome => ({ name: spec.name, ok: false, error: sanitizeText(error, 300), previous });
  const read = await readSource(spec.source, options.cwd, options.timeoutMs);
  if ('error' in read) return fail(read.error);
  const parsed = parseBlocklist(read.bytes.toString('utf8'));
  if (parsed.entries.length === 0) return fail(`no address, range or ASN entry in it${parsed.skipped[0] ? ` (line ${parsed.skipped[0].line}: '${parsed.skipped[0].text}')` : ''}`);
  const source = describe(spec.name, spec.source, read.bytes, options.now().toISOString(), parsed.entries.length);
  try {
    mkdirSync(dir, { recursive: true });
    const suffix = `.${process.pid}.tmp`;
    writeFileSync(join(dir, `${spec.name}.txt${suffix}`), read.bytes);
    writeFileSync(join(dir, `${spec.name}.json${suffix}`), `${JSON.stringify(source, null, 2)}\n`);
    // List first, then its description: a crash between the two leaves a list whose sha256 says it is not the described one.
    renameSync(join(dir, `${spec.name}.txt${suffix}`), join(dir, `${spec.name}.txt`));
    renameSync(join(dir, `${spec.name}.json${suffix}`), join(dir, `${spec.name}.json`));
  } catch (error) {
    return fail(`cannot write the cache: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { name: spec.name, ok: true, source, skippedLines: parsed.skipped.length };
}

function readMeta(dir: string, name: string): BlocklistSource | null {
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as BlocklistSource;
    return typeof meta.sha256 === 'string' && typeof meta.name === 'string' ? meta : null;
  } catch {
    return null;
  }
}

/** Every list in the cache whose bytes still match its description. */
export function loadCachedBlocklists(cacheDir: string, warn: (message: string) => void = () => undefined): LoadedBlocklist[] {
  const dir = join(cacheDir, BLOCKLIST_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length)).filter((name) => NAME_PATTERN.test(name)).sort();
  } catch {
    return [];
  }
  const lists: LoadedBlocklist[] = [];
  for (const name of names) {
    const meta = readMeta(dir, name);
    if (!meta) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, `${name}.txt`));
    } catch {
      warn(`blocklist ${name}: its cached copy is missing; run 'netsleuth update'`);
      continue;
    }
    const sha256 = sha256Hex(bytes);
    if (sha256 !== meta.sha256) {
      warn(`blocklist ${name}: the cached copy does not match its recorded sha256; not used (run 'netsleuth update')`);
      continue;
    }
    const parsed = parseBlocklist(bytes.toString('utf8'));
    lists.push({ source: { ...meta, name, sizeBytes: bytes.length, entries: parsed.entries.length }, entries: parsed.entries });
  }
  return lists;
}

/** --blocklist FILE|URL for one run: read now, named after the file. */
export async function loadExtraBlocklist(source: string, options: { cwd: string; timeoutMs: number; now: () => Date }): Promise<LoadedBlocklist> {
  const read = await readSource(source, options.cwd, options.timeoutMs);
  if ('error' in read) throw new Error(`--blocklist ${sanitizeText(source, 200)}: ${read.error}`);
  const parsed = parseBlocklist(read.bytes.toString('utf8'));
  if (parsed.entries.length === 0) throw new Error(`--blocklist ${sanitizeText(source, 200)}: no address, range or ASN entry in it`);
  const name = sanitizeText(isUrl(source) ? basename(new URL(source).pathname) || new URL(source).host : basename(source), 64);
  return { source: describe(name, source, read.bytes, isUrl(source) ? options.now().toISOString() : null, parsed.entries.length), entries: parsed.entries };
}
