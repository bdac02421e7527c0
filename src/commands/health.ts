// `netsleuth health`: run the configured checks; "done!" when all is well, evidence when not.
import { parseArgs } from 'node:util';
import { RDNS_ARG_OPTIONS, rdnsOptionsFromValues } from '../enrich/rdns/cli-options.js';
import { UserError } from '../errors.js';
import { commandOptions, type OptionTable } from '../option-table.js';
import { CHECKS } from '../health/checks/index.js';
import { CAPTURE_POLICIES, loadHealthConfig, type CapturePolicy, type HealthConfig } from '../health/config.js';
import { CHANNELS } from '../health/notify/index.js';
import { runHealth } from '../health/run-health.js';
import { DEFAULT_PROC_ROOT, PROC_ROOT_OPTION } from '../health/system-readers.js';
import type { ReverseDnsOptions } from '../model/services.js';
import { trustedWrite } from '../output/safe-stream.js';
import type { CommandRun } from './types.js';

const { options: OPTIONS, help: OPTIONS_HELP } = commandOptions([
  {
    heading: 'options:',
    options: {
      config: { type: 'string', short: 'c', arg: 'FILE', help: 'checks, notifications, report settings (see samples/health/health.yaml)' },
      case: { type: 'string', arg: 'DIR', help: `case folder; each capture goes in DIR/<UTC time>/
(default ./netsleuth-case-<UTC time>/<UTC time>/)` },
      format: { type: 'string', arg: 'text|json', help: 'output (default text)' },
      capture: { type: 'string', arg: 'on-failure|always|never', help: "when to capture (default on-failure, or the config's)" },
      ...RDNS_ARG_OPTIONS,
      'no-dns': { type: 'boolean', help: 'no reverse DNS in the report (default: DNS with a 1 s timeout)' },
      trace: { type: 'boolean', help: 'live traceroutes in the report (off by default: too slow for cron)' },
      'no-trace': { type: 'boolean', help: 'no live traceroutes (the default)' },
      ...PROC_ROOT_OPTION,
    },
  },
]);

export const usage = `usage: netsleuth health --config FILE [options]

Runs the checks in FILE (YAML or JSON). Prints exactly "done!" when every check passes,
otherwise one line per failing check with its value and threshold. On failure it captures
the evidence (connections, ss/netstat, process counts, meminfo, loadavg, SHA256SUMS, report.md)
into a case folder and sends the configured notifications.

exit codes (Nagios/Monit): 0 ok, 1 warning, 2 critical (also: bad config or usage), 3 internal error

${OPTIONS_HELP}

check types: ${CHECKS.map((check) => check.type).join(', ')}
${CHECKS.map((check) => `  ${check.type.padEnd(12)} ${check.summary}`).join('\n')}
  every check: name, type, timeout ("5s"), warn, crit (value above), warnBelow, critBelow,
  onFailure: critical|warning|ok (status when it cannot measure: refused, timeout, wrong status)

notification channels (notify.channels): ${CHANNELS.map((channel) => channel.type).join(', ')}
${CHANNELS.map((channel) => `  ${channel.type.padEnd(12)} ${channel.summary}`).join('\n')}
  notify.onSuccess: true also sends the daily "done!". Secrets: write \${ENV:NAME} to read them
  from the environment; they are redacted from every output.

cron:  0 * * * * /usr/bin/netsleuth health -c /etc/netsleuth/health.yaml --case /var/lib/netsleuth`;

export const options: OptionTable = OPTIONS;

/** Report DNS: the flags win, then the config's report section; short timeouts by default. */
export function reportRdnsOptions(values: Parameters<typeof rdnsOptionsFromValues>[0], config: HealthConfig, env: NodeJS.ProcessEnv): ReverseDnsOptions | null {
  if (!config.report.dns && !values['dns-server']) return null;
  const rdns = rdnsOptionsFromValues(values, env);
  if (rdns === null) return null;
  const servers = rdns.servers.length > 0 ? rdns.servers : config.report.dnsServers;
  return {
    ...rdns,
    servers,
    timeoutMs: values['dns-timeout'] === undefined ? config.report.dnsTimeoutMs : rdns.timeoutMs ?? config.report.dnsTimeoutMs,
    retries: values['dns-retries'] === undefined ? 0 : rdns.retries ?? 0,
  };
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UserError(`health takes no file arguments (got ${positionals.join(' ')}); use --config FILE`, 2);
  if (!values.config) throw new UserError('health needs --config FILE (see samples/health/health.yaml)', 2);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UserError(`--format must be text or json (got ${JSON.stringify(format)})`, 2);
  if (values.capture !== undefined && !(CAPTURE_POLICIES as readonly string[]).includes(values.capture)) {
    throw new UserError(`--capture must be one of ${CAPTURE_POLICIES.join(', ')} (got ${JSON.stringify(values.capture)})`, 2);
  }
  const config = await loadHealthConfig(values.config, io.cwd, io.env);
  const capture = (values.capture as CapturePolicy | undefined) ?? config.capture ?? 'on-failure';
  const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && format === 'text';
  const result = await runHealth({
    config,
    capture,
    caseDir: values.case ?? null,
    format,
    color,
    rdns: reportRdnsOptions(values, config, io.env),
    trace: Boolean(values.trace) && !values['no-trace'],
    // Undocumented: tests point the /proc readers at a fake tree.
    procRoot: values['proc-root'] ?? DEFAULT_PROC_ROOT,
    now: () => new Date(),
    cwd: io.cwd,
    env: io.env,
    stderr: io.stderr,
  });
  // Colour codes are ours; every name and value in the lines was escaped by health-output.ts.
  if (color) trustedWrite(io.stdout, result.output);
  else io.stdout.write(result.output);
  for (const warning of result.warnings) io.stderr.write(`netsleuth: ${warning}\n`);
  if (result.captureDir !== null) io.stderr.write(`netsleuth: evidence captured in ${result.captureDir}\n`);
  return result.exitCode;
};
