// The watch loop: capture -> case folder -> trend sample -> alerts -> rotation, every interval,
// until stopped (SIGINT/SIGTERM abort the signal; the capture in progress still completes or
// is discarded whole, never half-written).
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { sanitizeText } from '../net/sanitize.js';
import { takeLiveSnapshot, type LiveSnapshot } from './capture-live.js';
import { newCaptureDir, removeStaleStaging, snapshotFiles, writeCaptureDirectory } from './case-folder.js';
import type { ConfiguredChannel } from './notify/index.js';
import { sendNotifications } from './notify/index.js';
import { memoryFigures, swapUsedPercent } from './proc-meminfo.js';
import type { SecretSet } from './redact.js';
import { rotateCaptures } from './rotation.js';
import { SampleWindow, sampleFrom, trendAlerts, type TrendAlert, type TrendThresholds, type WatchSample } from './trend.js';
import { setLongTimeout } from '../time/long-timeout.js';

export interface WatchOptions {
  caseDir: string;
  /** The host name in each capture's header (default: this machine's name). */
  host?: string;
  intervalMs: number;
  /** Stop after this many captures; null = until signalled. */
  iterations: number | null;
  keep: number;
  maxAgeMs: number | null;
  /** Trend window: how many recent captures the EWMA looks at. */
  window: number;
  thresholds: TrendThresholds;
  procRoot: string;
  channels: readonly ConfiguredChannel[];
  notifyTimeoutMs: number;
  secrets: SecretSet;
  signal: AbortSignal;
  now: () => Date;
  /** One line per capture and per alert (already redacted). */
  log: (line: string) => void;
  /** Called with each complete capture directory (the TUI feed builds a report from it). */
  onCapture?: (captureDir: string, snapshot: LiveSnapshot, sample: WatchSample) => Promise<void> | void;
}

export interface WatchSummary {
  captures: number;
  alerts: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setLongTimeout(done, ms);
    function done(): void {
      timer.clear();
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function captureLine(time: Date, name: string, sample: WatchSample): string {
  const [topPrefix] = sample.prefixes;
  const [topProcess] = sample.processes;
  const parts = [`${sample.connections} connections`];
  if (topPrefix) parts.push(`top remote prefix ${topPrefix[0]} ${topPrefix[1]}`);
  if (topProcess) parts.push(`top process ${topProcess[0]} ${topProcess[1]}`);
  if (sample.swapPercent !== null) parts.push(`swap ${Math.round(sample.swapPercent)}%`);
  return `${time.toISOString()} capture ${name}: ${parts.join(', ')}`;
}

export async function runWatch(options: WatchOptions): Promise<WatchSummary> {
  const window = new SampleWindow(options.window);
  const activeAlerts = new Set<string>();
  let captures = 0;
  let alertCount = 0;
  const host = options.host ?? sanitizeText(hostname());
  await removeStaleStaging(options.caseDir);
  while (!options.signal.aborted && (options.iterations === null || captures < options.iterations)) {
    const started = Date.now();
    try {
      if (await watchOnce(options, window, activeAlerts, host)) alertCount += 1;
      captures += 1;
    } catch (error) {
      // A full disk or a vanished case folder must not end a watch that runs for days.
      options.log(options.secrets.redact(`${options.now().toISOString()} capture failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (options.iterations !== null && captures >= options.iterations) break;
    await sleep(Math.max(0, options.intervalMs - (Date.now() - started)), options.signal);
  }
  return { captures, alerts: alertCount };
}

/** One capture; true when it raised a new alert. `activeAlerts` is updated in place. */
async function watchOnce(options: WatchOptions, window: SampleWindow, activeAlerts: Set<string>, host: string): Promise<boolean> {
  const snapshot = await takeLiveSnapshot({ procRoot: options.procRoot, now: options.now, toolTimeoutMs: Math.min(10_000, options.intervalMs), tools: true });
  snapshot.host = host;
  const finalDir = await newCaptureDir(options.caseDir, snapshot.capturedAt);
  await writeCaptureDirectory(finalDir, snapshotFiles(snapshot));
  const figures = snapshot.meminfo === null ? null : memoryFigures(snapshot.meminfo);
  const sample = sampleFrom(snapshot.capturedAt.getTime(), snapshot.connections.connections, snapshot.processes, figures ? swapUsedPercent(figures) : null);
  const samples = window.push(sample);
  options.log(options.secrets.redact(captureLine(snapshot.capturedAt, finalDir.slice(options.caseDir.length + 1), sample)));

  const alerts = trendAlerts(samples, options.thresholds);
  const fresh = alerts.filter((alert) => !activeAlerts.has(alert.key));
  activeAlerts.clear();
  for (const alert of alerts) activeAlerts.add(alert.key);
  if (fresh.length > 0) await announce(options, host, snapshot.capturedAt, alerts, finalDir);
  const removed = await rotateCaptures(options.caseDir, options.keep, options.maxAgeMs, options.now().getTime(), basename(finalDir));
  if (removed.length > 0) options.log(`${options.now().toISOString()} rotated ${removed.length} old capture${removed.length === 1 ? '' : 's'}: ${removed.join(' ')}`);
  await options.onCapture?.(finalDir, snapshot, sample);
  return fresh.length > 0;
}

async function announce(options: WatchOptions, host: string, time: Date, alerts: readonly TrendAlert[], captureDir: string): Promise<void> {
  const text = options.secrets.redact(`ALERT ${time.toISOString()} ${alerts.map((alert) => alert.text).join(', ')}`);
  options.log(text);
  if (options.channels.length === 0) return;
  const failures = await sendNotifications(options.channels, {
    status: 'warning', host, time: time.toISOString(), subject: options.secrets.redact(`netsleuth ${host}: ${alerts.map((alert) => alert.text).join(', ')}`),
    text: `${text}\nEvidence: ${captureDir}\n`, results: [], caseDir: captureDir,
  }, { timeoutMs: options.notifyTimeoutMs, secrets: options.secrets });
  for (const failure of failures) options.log(failure);
}
