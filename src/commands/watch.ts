// `netsleuth watch`: periodic live captures into a case folder, EWMA trends, alert lines,
// rotation; --tui shows each capture's analysis live. Stops cleanly on SIGINT/SIGTERM.
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { CONNECTIONS_FILE } from '../health/case-folder.js';
import { loadHealthConfig, type WatchSettings } from '../health/config.js';
import { formatDurationMs, parseDurationMs } from '../health/duration.js';
import { SecretSet } from '../health/redact.js';
import { DEFAULT_PROC_ROOT, PROC_ROOT_OPTION } from '../health/system-readers.js';
import { runWatch } from '../health/watch.js';
import type { ConfiguredChannel } from '../health/notify/index.js';
import type { Report } from '../model/report.js';
import { isValidHostName } from '../store/host-name.js';
import { parseStoreLocation } from '../store/store-url.js';
import type { CommandIO, CommandRun } from './types.js';
import { utcStamp } from '../time/utc.js';

const DEFAULTS = { interval: '10m', keep: 144, maxAge: '7d', window: 6 };
const DEFAULT_WATCH: WatchSettings = { processRisePer10Min: 20, connectionsRisePer10Min: 200, prefixRisePer10Min: 100, swapPercent: 80, alpha: 0.5 };

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      config: { type: 'string', short: 'c', arg: 'FILE', help: `notify channels and the 'watch' thresholds (see samples/health/health.yaml);
its checks are for 'netsleuth health' (run that from cron beside watch)` },
      interval: { type: 'string', arg: 'DUR', help: `time between captures (default ${DEFAULTS.interval}; "30s", "5m", "1h")` },
      case: { type: 'string', arg: 'DIR', help: 'case folder (default ./netsleuth-watch-<UTC time>)' },
      keep: { type: 'string', arg: 'N', help: `keep at most N captures (default ${DEFAULTS.keep})` },
      'max-age': { type: 'string', arg: 'DUR', help: `delete captures older than this (default ${DEFAULTS.maxAge}; "0" keeps all ages)` },
      window: { type: 'string', arg: 'N', help: `captures the trends look at (default ${DEFAULTS.window})` },
      iterations: { type: 'string', arg: 'N', help: 'stop after N captures (default: run until signalled)' },
      tui: { type: 'boolean', help: "show each capture's analysis in the terminal UI (needs a terminal)" },
      'no-dns': { type: 'boolean', help: 'with --tui: no reverse DNS in the live reports (the default there)' },
      store: { type: 'string', arg: 'STORE', help: `also append each capture to a fleet store as it is taken (see
'netsleuth store --help'; ClickHouse takes every host at once); a failed
insert is logged and the capture stays in the case folder` },
      host: { type: 'string', arg: 'NAME', help: "the host name in the capture headers (default: this machine's name)" },
      ...PROC_ROOT_OPTION,
    },
  },
]);

export const usage = `usage: netsleuth watch [--config FILE] [--interval ${DEFAULTS.interval}] [--case DIR] [--keep N] [--max-age ${DEFAULTS.maxAge}] [--tui] [--store STORE]

Takes a live capture every interval into the case folder (one DIR/<UTC time>/ per capture:
connections.txt, ss/netstat text, process counts, meminfo, loadavg, SHA256SUMS), follows
trends over the last captures with an EWMA (connections, connections per remote /24 or /48,
process counts, swap) and prints an alert line when a trend crosses its threshold:
  ALERT 2026-11-28T17:00:00Z httpd processes rising 40/10 min, swap 92%
Alerts go to the config's notify channels too. Runs for days: memory is bounded and old
captures are rotated. SIGINT/SIGTERM stop it cleanly; a capture is never left half-written.

${OPTIONS_HELP}

trend thresholds (config 'watch' section): processRisePer10Min ${DEFAULT_WATCH.processRisePer10Min}, connectionsRisePer10Min ${DEFAULT_WATCH.connectionsRisePer10Min},
prefixRisePer10Min ${DEFAULT_WATCH.prefixRisePer10Min}, swapPercent ${DEFAULT_WATCH.swapPercent}, alpha ${DEFAULT_WATCH.alpha}`;

export const options: OptionTable = OPTIONS;

function positiveInteger(flag: string, text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UserError(`--${flag} must be a whole number of at least 1 (got ${JSON.stringify(text)})`, 2);
  return Number(text);
}

function duration(flag: string, text: string | undefined, fallback: string): number {
  const ms = parseDurationMs(text ?? fallback);
  if (ms === null) throw new UserError(`--${flag} must be a duration like "30s", "10m", "7d" (got ${JSON.stringify(text)})`, 2);
  return ms;
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`watch takes no file arguments (got ${positionals.join(' ')})`, 2);
  const intervalMs = duration('interval', values.interval, DEFAULTS.interval);
  if (intervalMs < 100) throw new UserError('--interval must be at least 100ms', 2);
  const maxAgeMs = duration('max-age', values['max-age'], DEFAULTS.maxAge);
  const keep = positiveInteger('keep', values.keep, DEFAULTS.keep) ?? DEFAULTS.keep;
  const window = Math.max(2, positiveInteger('window', values.window, DEFAULTS.window) ?? DEFAULTS.window);
  const iterations = positiveInteger('iterations', values.iterations, null);
  const config = values.config ? await loadHealthConfig(values.config, io.cwd, io.env, { requireChecks: false }) : null;
  const channels: readonly ConfiguredChannel[] = config?.notify.channels ?? [];
  const caseDir = resolve(io.cwd, values.case ?? `netsleuth-watch-${utcStamp(new Date())}`);
  if (values.host !== undefined && !isValidHostName(values.host)) throw new UserError(`--host '${values.host.slice(0, 80)}': letters, digits, '.', '-', '_' and ':' only`, 2);
  if (values.store !== undefined) parseStoreLocation(values.store, io.env, io.cwd);
  const secrets = config?.secrets ?? new SecretSet();
  const storeCapture = values.store === undefined ? null : storeWriter(values.store, io, secrets);

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const common = {
      caseDir, intervalMs, iterations, keep, maxAgeMs: maxAgeMs === 0 ? null : maxAgeMs, window,
      thresholds: config?.watch ?? DEFAULT_WATCH,
      procRoot: values['proc-root'] ?? DEFAULT_PROC_ROOT,
      channels, notifyTimeoutMs: config?.notify.timeoutMs ?? 15_000,
      secrets,
      signal: controller.signal,
      now: () => new Date(),
      ...(values.host !== undefined ? { host: values.host } : {}),
    };
    if (values.tui) return await watchWithTui(common, io, controller, storeCapture);
    io.stderr.write(`netsleuth: watching every ${formatDurationMs(intervalMs)} into ${caseDir} (Ctrl-C to stop)\n`);
    const log = (line: string): void => void io.stdout.write(line + '\n');
    const summary = await runWatch({ ...common, log, ...(storeCapture ? { onCapture: async (captureDir: string) => log(await storeCapture(captureDir)) } : {}) });
    io.stderr.write(`netsleuth: stopped after ${summary.captures} capture${summary.captures === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
};

type CommonWatch = Omit<Parameters<typeof runWatch>[0], 'log' | 'onCapture'>;

/** Appends a capture directory's connections.txt to the store; returns the log line. */
function storeWriter(store: string, io: CommandIO, secrets: SecretSet): (captureDir: string) => Promise<string> {
  return async (captureDir) => {
    const { storeCaptureFile } = await import('../store/store-writer.js');
    const result = await storeCaptureFile(store, join(captureDir, CONNECTIONS_FILE), io);
    return secrets.redact(`${new Date().toISOString()} store: ${result.message}`);
  };
}

/** --tui: each capture becomes a report (no DNS, no traces: it must keep up) fed to the TUI's live mode. */
async function watchWithTui(common: CommonWatch, io: CommandIO, controller: AbortController, storeCapture: ((captureDir: string) => Promise<string>) | null): Promise<number> {
  const { canRunTui, startTui } = await import('../tui/start.js');
  if (!canRunTui(io.stdin as { isTTY?: boolean; setRawMode?: unknown }, io.stdout)) throw new UserError('--tui needs a terminal on stdin and stdout', 2);
  const { investigate } = await import('../pipeline.js');
  const reports = new ReportQueue();
  const buildReport = async (captureDir: string, capturedAt: Date): Promise<Report> => investigate(
    { inputs: [CONNECTIONS_FILE], rdns: null, trace: false, now: capturedAt },
    { stdin: Readable.from([]), stderr: io.stderr, env: io.env, cwd: captureDir },
  );
  const lines: string[] = [];
  const watching = runWatch({
    ...common,
    log: (line) => {
      lines.push(line);
      if (lines.length > 100) lines.shift();
    },
    onCapture: async (captureDir, snapshot) => {
      if (storeCapture) lines.push(await storeCapture(captureDir));
      try {
        reports.push(await buildReport(captureDir, snapshot.capturedAt));
      } catch (error) {
        lines.push(`report failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  });
  const first = await reports.next();
  if (first.done) {
    await watching;
    return 0;
  }
  const code = await startTui({ report: first.value, live: reports, env: io.env, stdin: process.stdin, stdout: process.stdout });
  controller.abort();
  reports.end();
  await watching;
  for (const line of lines.filter((line) => line.startsWith('ALERT'))) io.stderr.write(line + '\n');
  return code;
}

/** A tiny async queue: the watch loop pushes reports, the TUI iterates them. Holds at most 2. */
class ReportQueue implements AsyncIterable<Report>, AsyncIterator<Report> {
  private readonly pending: Report[] = [];
  private waiting: ((result: IteratorResult<Report>) => void) | null = null;
  private ended = false;

  push(report: Report): void {
    if (this.waiting) {
      const resolveNext = this.waiting;
      this.waiting = null;
      resolveNext({ value: report, done: false });
      return;
    }
    this.pending.push(report);
    while (this.pending.length > 2) this.pending.shift();
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<Report>> {
    const report = this.pending.shift();
    if (report) return Promise.resolve({ value: report, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolveNext) => { this.waiting = resolveNext; });
  }

  [Symbol.asyncIterator](): AsyncIterator<Report> {
    return this;
  }
}
