// The investigation options that change what the analysis finds, shared by every command that
// analyses captures (report, tui): the same flags, parsed and refused the same way.
import { parseThresholdArgs } from '../analyze/options.js';
import { UserError } from '../errors.js';
import type { OptionTable } from '../option-table.js';

export const ANALYSIS_ARG_OPTIONS = {
  baseline: { type: 'string', arg: 'FILE', help: 'a capture of normal traffic to compare against' },
  'cluster-threshold': { type: 'string', arg: 'PCT', help: 'smallest prefix cluster, percent of connections (default 5)' },
  threshold: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: `set an indicator threshold (repeatable): floodPerRemote=150,
synRecvCount=100, synRecvShare=20 (%), idleEstablishedPerRemote=20,
webPorts=80,443,8000,8008,8080,8443, slowIdleTotal=100, slowIdleShare=50 (%),
portScanPorts=10, rdnsFailShare=50 (%), concentrationShare=80 (%), surgeFactor=3,
slowRequestWorkers=50, slowRequestClients=3 (defaults shown)` },
} as const satisfies OptionTable;

function parseClusterThreshold(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!(percent > 0 && percent <= 100)) throw new UserError(`--cluster-threshold '${text}' must be a percentage above 0 and at most 100 (e.g. 5)`, 2);
  return percent / 100;
}

/** The baseline and analysis options for investigate(); usage errors are exit 2. */
export function analysisArgsFromValues(values: { baseline?: string | undefined; 'cluster-threshold'?: string | undefined; threshold?: string[] | undefined }) {
  const clusterThreshold = parseClusterThreshold(values['cluster-threshold']);
  const thresholds = parseThresholdArgs(values.threshold ?? []);
  if (!thresholds.ok) throw new UserError(`--threshold ${thresholds.error}`, 2);
  const analysis = { ...thresholds.options, ...(clusterThreshold !== undefined ? { clusterThreshold } : {}) };
  return { baseline: values.baseline ?? null, ...(Object.keys(analysis).length > 0 ? { analysis } : {}) };
}
