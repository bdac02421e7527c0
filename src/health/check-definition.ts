// The shape of one check type; checks/index.ts lists them all in one array.
import type { Connection } from '../model/connection.js';
import type { CheckStatus } from './check-result.js';
import type { ConfigReader } from './config-reader.js';
import type { Thresholds } from './thresholds.js';

/** What a check's thresholds are measured in (decides how "5s" or "90%" is read and printed). */
export type ThresholdKind = 'duration' | 'percent' | 'number';

export interface CheckContext {
  procRoot: string;
  timeoutMs: number;
  /** The live connection table, read once per run and shared by every 'connections' check. */
  liveConnections: () => Promise<Connection[]>;
}

export interface Measurement {
  value: number | null;
  /** "status 200 in 12ms", "152 httpd processes". */
  summary: string;
  /** Set when the check failed outright (refused, timed out, wrong status): status = the check's onFailure. */
  failure?: string;
}

export interface CheckDefinition<Spec> {
  type: string;
  /** One line for the sample config and --help. */
  summary: string;
  unit: string;
  thresholdKind: ThresholdKind;
  /** Type-specific fields (besides name, type, timeout, warn, crit, warnBelow, critBelow, onFailure). */
  fields: readonly string[];
  parse(config: ConfigReader): Spec;
  run(spec: Spec, context: CheckContext): Promise<Measurement>;
}

export interface ConfiguredCheck {
  name: string;
  type: string;
  timeoutMs: number;
  thresholds: Thresholds;
  /** Status when the check fails outright; critical unless the config says otherwise. */
  onFailure: CheckStatus;
  spec: unknown;
  definition: CheckDefinition<unknown>;
}

/** Erase the spec type so definitions of different types fit in one array. */
export function defineCheck<Spec>(definition: CheckDefinition<Spec>): CheckDefinition<unknown> {
  return definition as unknown as CheckDefinition<unknown>;
}
