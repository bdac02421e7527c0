// "${ENV:SMTP_PASSWORD}" in any config string is replaced by that environment variable;
// every substituted value is recorded as a secret so it is redacted from all output.
import type { FieldPath } from './config-reader.js';
import type { SecretSet } from './redact.js';

const ENV_REFERENCE = /\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  secrets: SecretSet,
  fail: (path: FieldPath, message: string) => never,
  path: FieldPath = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (_match, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === '') fail(path, `refers to the environment variable ${name}, which is not set`);
      secrets.add(resolved);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, secrets, fail, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = substituteEnv(item, env, secrets, fail, [...path, key]);
    return result;
  }
  return value;
}
