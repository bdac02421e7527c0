// `netsleuth update`: refresh what netsleuth reads offline afterwards: the blocklists
// and the IANA RDAP bootstrap registry, into the cache directory. The only command
// that downloads on its own: it says what it fetches, from where.
import { createReadStream, mkdirSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCacheDir } from '../cache-dir.js';
import { DEFAULT_BLOCKLISTS, isUrl, parseListSpec, parseListsFile, updateBlocklist, type BlocklistSpec, type UpdateOutcome } from '../enrich/blocklist/blocklist-store.js';
import { httpGet } from '../enrich/network/http-get.js';
import { BOOTSTRAP_FILES, parseBootstrapFile } from '../enrich/network/rdap-bootstrap.js';
import { readStream } from '../capture/read-inputs.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { sanitizeText } from '../net/sanitize.js';
import type { CommandRun } from './types.js';
import { writeFileAtomicSync } from '../output/atomic-write.js';

export const DEFAULT_BOOTSTRAP_BASE = 'https://data.iana.org/rdap/';

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      list: { type: 'string', multiple: true, arg: 'NAME=URL|FILE', help: 'a list to fetch (repeatable); replaces the default lists' },
      'lists-file': { type: 'string', arg: 'FILE', help: "lists to fetch, 'NAME URL' or 'NAME FILE' per line" },
      'no-blocklists': { type: 'boolean', help: 'only the RDAP bootstrap' },
      'rdap-bootstrap-url': { type: 'string', arg: 'URL', help: `where ipv4.json and ipv6.json are (default ${DEFAULT_BOOTSTRAP_BASE})` },
      'no-rdap-bootstrap': { type: 'boolean', help: 'keep the bootstrap registry as it is' },
      timeout: { type: 'string', arg: 'MS', help: 'per download (default 60000)' },
      'cache-dir': { type: 'string', arg: 'DIR', help: 'write there instead of the cache directory' },
      format: { type: 'string', short: 'f', arg: 'text|json', help: 'output (default text)' },
      offline: { type: 'boolean', help: 'refuse (nothing is downloaded); for scripts that pass it everywhere' },
    },
  },
]);

export const usage = `usage: netsleuth update [options]

Downloads, into the cache ($NETSLEUTH_CACHE_DIR, default ~/.cache/netsleuth):
  - blocklists, each to blocklists/NAME.txt with its fetch time, size and sha256
    (default: ${DEFAULT_BLOCKLISTS.map((list) => list.name).join(', ')});
  - the IANA RDAP bootstrap registry (ipv4.json, ipv6.json from ${DEFAULT_BOOTSTRAP_BASE}),
    which tells --rdap which registry to ask.
A list is replaced only by a complete copy that parses; on failure the previous copy
stays. Reports then match every remote against every cached list, offline.

${OPTIONS_HELP}

Exit status: 0 when everything was refreshed, 1 when something failed (its previous copy kept).`;

export const options: OptionTable = OPTIONS;

type BootstrapOutcome = { version: 4 | 6; ok: true; publication: string | null; url: string } | { version: 4 | 6; ok: false; error: string; url: string };

async function updateBootstrap(base: string, cacheDir: string, timeoutMs: number): Promise<BootstrapOutcome[]> {
  const outcomes: BootstrapOutcome[] = [];
  for (const version of [4, 6] as const) {
    const url = new URL(BOOTSTRAP_FILES[version], base.endsWith('/') ? base : `${base}/`);
    const result = await httpGet(url, { timeoutMs, maxBytes: 4 * 1024 * 1024 });
    const fail = (error: string): void => void outcomes.push({ version, ok: false, error, url: url.href });
    if (result.kind === 'timeout') fail(`no answer within ${timeoutMs} ms`);
    else if (result.kind === 'error') fail(result.message);
    else if (result.kind === 'too-large') fail('answer too large');
    else if (result.status !== 200) fail(`HTTP ${result.status}`);
    else {
      try {
        const file = parseBootstrapFile(result.body.toString('utf8'));
        const dir = join(cacheDir, 'rdap-bootstrap');
        mkdirSync(dir, { recursive: true });
        writeFileAtomicSync(join(dir, BOOTSTRAP_FILES[version]), result.body);
        outcomes.push({ version, ok: true, publication: file.publication, url: url.href });
      } catch (error) {
        fail((error as Error).message);
      }
    }
  }
  return outcomes;
}

/** A lists file names lists, one a line: a megabyte is thousands of them. */
const MAX_LISTS_FILE_BYTES = 1024 * 1024;

/** A device (`/dev/zero`, `/dev/urandom`) never ends: refuse it as a list before reading starts. */
function refuseEndlessSource(spec: BlocklistSpec, cwd: string): void {
  if (isUrl(spec.source)) return;
  let info: Stats;
  try {
    info = statSync(resolve(cwd, spec.source));
  } catch {
    return; // a missing file is reported as that list's failure
  }
  if (info.isCharacterDevice() || info.isBlockDevice() || info.isSocket()) {
    throw new Error(`${spec.name}: ${sanitizeText(spec.source, 200)} is a device, not a list file`);
  }
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`'update' takes no arguments (got '${sanitizeText(positionals[0] ?? '', 60)}')`);
  if (values.offline) throw new UserError('update downloads lists and registries: it cannot run with --offline', 2);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UserError(`--format '${sanitizeText(format, 40)}' is not one of text, json`);
  const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new UserError(`--timeout '${sanitizeText(values.timeout ?? '', 40)}': expected milliseconds from 1 to 600000`);
  const cacheDir = values['cache-dir'] ? resolve(io.cwd, values['cache-dir']) : defaultCacheDir(io.env);

  let specs: BlocklistSpec[] = [...DEFAULT_BLOCKLISTS];
  try {
    const configured: BlocklistSpec[] = [];
    if (values['lists-file']) {
      const file = values['lists-file'];
      let text: string;
      try {
        // Bounded: `--lists-file /dev/zero` must end.
        text = (await readStream(createReadStream(resolve(io.cwd, file)), file, MAX_LISTS_FILE_BYTES, (name) => `${name}: more than ${MAX_LISTS_FILE_BYTES} bytes: not a lists file`)).toString('utf8');
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      }
      configured.push(...parseListsFile(text, file));
    }
    for (const text of values.list ?? []) configured.push(parseListSpec(text));
    for (const spec of configured) refuseEndlessSource(spec, io.cwd);
    if (configured.length > 0) specs = configured;
  } catch (error) {
    throw new UserError(`update: ${(error as Error).message}`, 2);
  }
  if (values['no-blocklists']) specs = [];

  const now = (): Date => new Date();
  const lists: UpdateOutcome[] = [];
  for (const spec of specs) {
    if (format === 'text') io.stderr.write(`netsleuth: fetching ${spec.name} from ${sanitizeText(spec.source, 300)}\n`);
    lists.push(await updateBlocklist(spec, cacheDir, { cwd: io.cwd, timeoutMs, now }));
  }
  let bootstrap: BootstrapOutcome[] = [];
  if (!values['no-rdap-bootstrap']) {
    const base = values['rdap-bootstrap-url'] ?? DEFAULT_BOOTSTRAP_BASE;
    if (!/^https?:\/\//i.test(base)) throw new UserError(`--rdap-bootstrap-url '${sanitizeText(base, 200)}': expected an http(s) URL`);
    if (format === 'text') io.stderr.write(`netsleuth: fetching the RDAP bootstrap registry from ${sanitizeText(base, 300)}\n`);
    bootstrap = await updateBootstrap(base, cacheDir, timeoutMs);
  }

  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ cacheDir, lists, bootstrap }, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    for (const outcome of lists) {
      if (outcome.ok) {
        const { source } = outcome;
        lines.push(`${source.name}: ${source.entries} entries, ${source.sizeBytes} bytes, sha256 ${source.sha256}, fetched ${source.fetchedAt}${outcome.skippedLines > 0 ? ` (${outcome.skippedLines} lines not understood)` : ''}`);
      } else {
        lines.push(`${outcome.name}: FAILED (${outcome.error}); ${outcome.previous ? `kept the copy fetched ${outcome.previous.fetchedAt}` : 'no previous copy'}`);
      }
    }
    for (const outcome of bootstrap) {
      lines.push(outcome.ok ? `rdap bootstrap ipv${outcome.version}: published ${outcome.publication ?? 'unknown'} (${outcome.url})` : `rdap bootstrap ipv${outcome.version}: FAILED (${sanitizeText(outcome.error, 200)}); kept the previous copy`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  const failed = lists.some((outcome) => !outcome.ok) || bootstrap.some((outcome) => !outcome.ok);
  return failed ? 1 : 0;
};
