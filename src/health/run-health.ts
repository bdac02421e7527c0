// One health run: checks -> output -> (capture + report on failure) -> notifications.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { sanitizeText } from '../net/sanitize.js';
import type { ReverseDnsOptions } from '../model/services.js';
import type { CheckResult, CheckStatus } from './check-result.js';
import { escapeTerminalLine } from '../output/terminal-text.js';
import { exitCodeFor, worstStatus } from './check-result.js';
import { readLiveConnections, takeLiveSnapshot } from './capture-live.js';
import { newCaptureDir, removeStaleStaging, snapshotFiles, writeCaptureDirectory } from './case-folder.js';
import type { CapturePolicy, HealthConfig } from './config.js';
import { formatHealthJson, formatHealthText } from './health-output.js';
import { sendNotifications } from './notify/index.js';
import { buildCaseReport } from './report-step.js';
import { runChecks } from './run-checks.js';
import { utcStamp } from '../time/utc.js';

export interface HealthRunOptions {
  config: HealthConfig;
  capture: CapturePolicy;
  /** --case DIR (absolute or relative to cwd); null: ./netsleuth-case-<UTC time>. */
  caseDir: string | null;
  format: 'text' | 'json';
  /** Colour the status words (a terminal without NO_COLOR); files and notifications never are. */
  color: boolean;
  /** null: no reverse DNS in the report. */
  rdns: ReverseDnsOptions | null;
  trace: boolean;
  procRoot: string;
  now: () => Date;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream;
}

export interface HealthRunResult {
  status: CheckStatus;
  exitCode: number;
  results: CheckResult[];
  /** What stdout gets (redacted). */
  output: string;
  captureDir: string | null;
  /** Redacted warnings for stderr (capture, report and notification problems). */
  warnings: string[];
}

export async function runHealth(options: HealthRunOptions): Promise<HealthRunResult> {
  const { config } = options;
  const secrets = config.secrets;
  const checkedAt = options.now();
  let liveConnections: ReturnType<typeof readLiveConnections> | null = null;
  const results = await runChecks(config.checks, {
    procRoot: options.procRoot,
    liveConnections: async () => {
      liveConnections ??= readLiveConnections(options.procRoot);
      return (await liveConnections).connections;
    },
  });
  for (const result of results) result.summary = secrets.redact(result.summary);
  const status = worstStatus(results);
  const text = secrets.redact(formatHealthText(results));
  const warnings: string[] = [];

  let captureDir: string | null = null;
  if (options.capture === 'always' || (options.capture === 'on-failure' && status !== 'ok')) {
    try {
      captureDir = await writeHealthCapture(options, text, results, warnings);
      if (config.store !== null) {
        const { storeCaptureFile } = await import('../store/store-writer.js');
        const stored = await storeCaptureFile(config.store, join(captureDir, 'connections.txt'), { env: options.env, cwd: options.cwd });
        if (!stored.ok) warnings.push(secrets.redact(stored.message));
      }
    } catch (error) {
      warnings.push(secrets.redact(`capture failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  const host = sanitizeText(hostname());

  if (config.notify.channels.length > 0 && (status !== 'ok' || config.notify.onSuccess)) {
    const failing = results.filter((result) => result.status !== 'ok').length;
    const subject = status === 'ok' ? `netsleuth ${host}: done!` : `netsleuth ${host}: ${status.toUpperCase()} (${failing} of ${results.length} checks failing)`;
    const body = captureDir === null ? text : `${text}\nEvidence: ${captureDir}\n`;
    warnings.push(...await sendNotifications(config.notify.channels, {
      status, host, time: checkedAt.toISOString(), subject: secrets.redact(subject), text: secrets.redact(body), results, caseDir: captureDir,
    }, { timeoutMs: config.notify.timeoutMs, secrets }));
  }
  // "done!" is a promise that all is well: a capture, report or notification that failed breaks
  // it, so it shows on stdout (a WARNING line instead of done!) and in the exit code.
  const problems = warnings.map((warning) => secrets.redact(warning));
  const output = options.format === 'json'
    ? secrets.redact(formatHealthJson({ status, host, checkedAt: checkedAt.toISOString(), caseDir: captureDir, checks: results, ...(problems.length > 0 ? { problems } : {}) }))
    : withProblems(options.color ? secrets.redact(formatHealthText(results, { color: true })) : text, problems);
  const exitCode = problems.length > 0 ? Math.max(exitCodeFor(status), 1) : exitCodeFor(status);
  return { status, exitCode, results, output, captureDir, warnings };
}

function withProblems(text: string, problems: readonly string[]): string {
  if (problems.length === 0) return text;
  const lines = problems.map((problem) => `WARNING netsleuth [health]: ${escapeTerminalLine(problem)}`).join('\n') + '\n';
  return text === 'done!\n' ? lines : text + lines;
}

async function writeHealthCapture(options: HealthRunOptions, text: string, results: CheckResult[], warnings: string[]): Promise<string> {
  const snapshot = await takeLiveSnapshot({ procRoot: options.procRoot, now: options.now, toolTimeoutMs: 10_000, tools: true });
  const caseDir = options.caseDir === null
    ? resolve(options.cwd, `netsleuth-case-${utcStamp(snapshot.capturedAt)}`)
    : resolve(options.cwd, options.caseDir);
  await removeStaleStaging(caseDir);
  const finalDir = await newCaptureDir(caseDir, snapshot.capturedAt);
  const files = [
    ...snapshotFiles(snapshot),
    { name: 'health.txt', content: text },
    { name: 'health.json', content: options.config.secrets.redact(JSON.stringify(results, null, 2) + '\n') },
  ];
  return writeCaptureDirectory(finalDir, files, async (stagingDir) => {
    const report = await buildCaseReport(stagingDir, {
      rdns: options.rdns, trace: options.trace, now: snapshot.capturedAt, timeoutMs: options.config.report.timeoutMs, env: options.env, stderr: options.stderr,
    });
    if ('error' in report) {
      warnings.push(`report: ${report.error} (the capture is complete; run 'netsleuth report ${join(finalDir, 'connections.txt')}' later)`);
      return [];
    }
    return [{ name: 'report.md', content: report.markdown }, { name: 'report.html', content: report.html }];
  });
}
