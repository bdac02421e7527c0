// What every channel sends: one subject line, a plain-text body and the structured results.
import type { CheckResult, CheckStatus } from '../check-result.js';
import type { ConfigReader } from '../config-reader.js';
import type { SecretSet } from '../redact.js';

export interface Notification {
  status: CheckStatus;
  host: string;
  /** ISO 8601 UTC. */
  time: string;
  subject: string;
  /** The same lines `netsleuth health` printed ("done!" when all is well), redacted. */
  text: string;
  results: CheckResult[];
  /** Case folder written for this run, if any. */
  caseDir: string | null;
}

export interface NotifyContext {
  timeoutMs: number;
  secrets: SecretSet;
}

export interface ChannelDefinition<Spec> {
  type: string;
  summary: string;
  fields: readonly string[];
  parse(config: ConfigReader, secrets: SecretSet): Spec;
  /** Short description for messages, without secrets ("webhook https://hooks.example"). */
  describe(spec: Spec): string;
  send(spec: Spec, notification: Notification, context: NotifyContext): Promise<void>;
}

export function defineChannel<Spec>(definition: ChannelDefinition<Spec>): ChannelDefinition<unknown> {
  return definition as unknown as ChannelDefinition<unknown>;
}
