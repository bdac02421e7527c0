// The health config (YAML or JSON — JSON is read by the same YAML 1.2 parser, so errors carry
// line numbers for both): checks, capture policy, report options, notifications, watch trends.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { UserError } from '../errors.js';
import type { CheckStatus } from './check-result.js';
import type { ConfiguredCheck } from './check-definition.js';
import { CHECKS, findCheck } from './checks/index.js';
import { ConfigReader } from './config-reader.js';
import { substituteEnv } from './env-references.js';
import { CHANNELS, findChannel, type ConfiguredChannel } from './notify/index.js';
import { SecretSet } from './redact.js';
import { parseStoreLocation } from '../store/store-url.js';
import type { Thresholds } from './thresholds.js';

export type CapturePolicy = 'on-failure' | 'always' | 'never';
export const CAPTURE_POLICIES: readonly CapturePolicy[] = ['on-failure', 'always', 'never'];

export interface ReportSettings {
  dns: boolean;
  dnsServers: string[];
  dnsTimeoutMs: number;
  /** The whole report step is abandoned after this long (the capture itself is kept). */
  timeoutMs: number;
}

export interface WatchSettings {
  /** Trend alert when a process count rises faster than this per 10 minutes. */
  processRisePer10Min: number;
  connectionsRisePer10Min: number;
  prefixRisePer10Min: number;
  swapPercent: number;
  /** EWMA smoothing factor, 0 < alpha ≤ 1. */
  alpha: number;
}

export interface HealthConfig {
  file: string;
  checks: ConfiguredCheck[];
  capture: CapturePolicy | null;
  /** A fleet store each capture is appended to (netsleuth store), or null. */
  store: string | null;
  report: ReportSettings;
  notify: { channels: ConfiguredChannel[]; onSuccess: boolean; timeoutMs: number };
  watch: WatchSettings;
  secrets: SecretSet;
}

const TOP_LEVEL = ['checks', 'defaults', 'capture', 'store', 'report', 'notify', 'watch'];
const COMMON_CHECK_FIELDS = ['name', 'type', 'timeout', 'warn', 'crit', 'warnBelow', 'critBelow', 'onFailure'];
const SECRET_FIELD = /pass(word)?|token|secret|authorization|api[-_]?key/i;

export const DEFAULT_CHECK_TIMEOUT_MS = 5000;

export interface ConfigUse {
  /** `health` needs checks; `watch` can run on trend settings alone. */
  requireChecks: boolean;
}

export async function loadHealthConfig(path: string, cwd: string, env: NodeJS.ProcessEnv, use: ConfigUse = { requireChecks: true }): Promise<HealthConfig> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UserError(`${path}: cannot read the config (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
  return parseHealthConfig(text, path, env, use);
}

export function parseHealthConfig(text: string, file: string, env: NodeJS.ProcessEnv, use: ConfigUse = { requireChecks: true }): HealthConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? lineCounter.linePos(firstError.pos[0]).line;
    throw new UserError(`${file}${line ? `:${line}` : ''}: not valid YAML or JSON: ${firstError.message.split('\n')[0]}`, 2);
  }
  rejectPrototypeKeys(document, file, lineCounter);
  if (/\.json$/i.test(file)) rejectLaxJson(text, file);
  const source = { file, document, lineCounter };
  let raw: unknown;
  try {
    raw = document.toJS() as unknown;
  } catch (error) {
    // e.g. "Unresolved alias": the YAML parsed but cannot become plain data.
    throw new UserError(`${file}: not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const secrets = new SecretSet();
  const locator = ConfigReader.root(source, raw);
  collectSecretFields(raw, secrets);
  const root = ConfigReader.root(source, substituteEnv(raw, env, secrets, (path, message) => locator.failAt(path, message)));
  try {
    return readConfig(root, file, secrets, use);
  } catch (error) {
    // A secret put in the wrong field ("port: ${ENV:TOKEN}") must not be echoed by the error.
    if (error instanceof UserError) throw new UserError(secrets.redact(error.message), error.exitCode);
    throw error;
  }
}

// `__proto__` as a key sets the prototype of the object the parser builds: checks hidden under it
// were read through the prototype while no own key showed them. No config field has these names.
const PROTOTYPE_KEYS: ReadonlySet<unknown> = new Set(['__proto__', 'constructor', 'prototype']);

function rejectPrototypeKeys(document: Document, file: string, lineCounter: LineCounter): void {
  visit(document, {
    Pair(_key, pair) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!PROTOTYPE_KEYS.has(key)) return;
      const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      throw new UserError(`${file}${start === undefined ? '' : `:${lineCounter.linePos(start).line}`}: ${String(key)}: not a config field (refused: it would reach the object's prototype)`, 2);
    },
  });
}

/** YAML 1.2 reads JSON's superset (trailing commas, comments): a .json file is held to JSON itself. */
function rejectLaxJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    // Node's message has no position for some errors (a trailing comma among them): find that one.
    const trailingComma = trailingCommaOffset(text);
    const position = trailingComma ?? /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position === undefined ? '' : `:${text.slice(0, Number(position)).split('\n').length}`;
    const reason = trailingComma === undefined ? (error as Error).message.split('\n')[0] : 'a trailing comma (JSON allows none before } or ])';
    throw new UserError(`${file}${line}: not valid JSON: ${reason}`, 2);
  }
}

const CLOSING_AFTER_SPACE = /\s*[}\]]/y;

/** Offset of the first comma that only whitespace separates from a closing } or ], outside strings. */
function trailingCommaOffset(text: string): number | undefined {
  let inString = false;
  for (let offset = 0; offset < text.length; offset++) {
    const char = text[offset];
    if (inString) {
      if (char === '\\') offset++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === ',') {
      CLOSING_AFTER_SPACE.lastIndex = offset + 1;
      if (CLOSING_AFTER_SPACE.test(text)) return offset;
    }
  }
  return undefined;
}

function readConfig(root: ConfigReader, file: string, secrets: SecretSet, use: ConfigUse): HealthConfig {
  root.rejectUnknown(TOP_LEVEL);

  const defaults = root.child('defaults');
  defaults?.rejectUnknown(['timeout']);
  const defaultTimeoutMs = defaults?.durationMs('timeout') ?? DEFAULT_CHECK_TIMEOUT_MS;

  const checkReaders = root.list('checks') ?? [];
  if (use.requireChecks && checkReaders.length === 0) return root.fail('checks', 'is required: a list of checks (each with name and type)');
  const names = new Set<string>();
  const checks = checkReaders.map((reader) => {
    const check = parseCheck(reader, defaultTimeoutMs);
    if (names.has(check.name)) reader.fail('name', `duplicate check name ${JSON.stringify(check.name)}`);
    names.add(check.name);
    return check;
  });

  const reportReader = root.child('report');
  reportReader?.rejectUnknown(['dns', 'dnsServers', 'dnsTimeout', 'timeout']);
  const report: ReportSettings = {
    dns: reportReader?.boolean('dns') ?? true,
    dnsServers: reportReader?.stringList('dnsServers') ?? [],
    dnsTimeoutMs: reportReader?.durationMs('dnsTimeout') ?? 1000,
    timeoutMs: reportReader?.durationMs('timeout') ?? 60_000,
  };

  const notifyReader = root.child('notify');
  notifyReader?.rejectUnknown(['onSuccess', 'timeout', 'channels']);
  const channels = (notifyReader?.list('channels') ?? []).map((reader): ConfiguredChannel => {
    const type = reader.requiredString('type');
    const definition = findChannel(type);
    if (!definition) return reader.fail('type', `unknown channel type ${JSON.stringify(type)} (one of ${CHANNELS.map((channel) => channel.type).join(', ')})`);
    reader.rejectUnknown(['type', ...definition.fields]);
    return { definition, spec: definition.parse(reader, secrets) };
  });

  const watchReader = root.child('watch');
  watchReader?.rejectUnknown(['processRisePer10Min', 'connectionsRisePer10Min', 'prefixRisePer10Min', 'swapPercent', 'alpha']);
  const alpha = watchReader?.number('alpha', { min: 0.01, max: 1 }) ?? 0.5;
  const watch: WatchSettings = {
    processRisePer10Min: watchReader?.number('processRisePer10Min', { min: 0 }) ?? 20,
    connectionsRisePer10Min: watchReader?.number('connectionsRisePer10Min', { min: 0 }) ?? 200,
    prefixRisePer10Min: watchReader?.number('prefixRisePer10Min', { min: 0 }) ?? 100,
    swapPercent: watchReader?.number('swapPercent', { min: 0, max: 100 }) ?? 80,
    alpha,
  };

  return {
    file,
    checks,
    capture: root.oneOf('capture', CAPTURE_POLICIES) ?? null,
    store: storeSetting(root, secrets),
    report,
    notify: { channels, onSuccess: notifyReader?.boolean('onSuccess') ?? false, timeoutMs: notifyReader?.durationMs('timeout') ?? 15_000 },
    watch,
    secrets,
  };
}

/** `store:` a store as --store takes it; a password in a clickhouse:// URL is a secret. */
function storeSetting(root: ConfigReader, secrets: SecretSet): string | null {
  const store = root.string('store');
  if (store === undefined) return null;
  try {
    parseStoreLocation(store, {}, '/');
  } catch (error) {
    return root.fail('store', error instanceof Error ? error.message.replace(/^--store /, '') : 'not a store');
  }
  const password = /^clickhouse:\/\/[^:/@]*:([^@/]*)@/i.exec(store)?.[1];
  if (password) {
    secrets.add(password);
    secrets.add(decodeURIComponent(password));
  }
  return store;
}

/** Values of fields whose names say they are secret are redacted even when written inline. */
function collectSecretFields(value: unknown, secrets: SecretSet): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSecretFields(item, secrets);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_FIELD.test(key) && typeof item === 'string' && !item.includes('${ENV:')) secrets.add(item);
    collectSecretFields(item, secrets);
  }
}

function parseCheck(reader: ConfigReader, defaultTimeoutMs: number): ConfiguredCheck {
  const name = reader.requiredString('name');
  // Names reach the terminal, mail subjects and webhooks.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) reader.fail('name', `must not contain control characters (got ${JSON.stringify(name)})`);
  const type = reader.requiredString('type');
  const definition = findCheck(type);
  if (!definition) return reader.fail('type', `unknown check type ${JSON.stringify(type)} (one of ${CHECKS.map((check) => check.type).join(', ')})`);
  reader.rejectUnknown([...COMMON_CHECK_FIELDS, ...definition.fields]);
  const readThreshold = (field: keyof Thresholds): number | undefined =>
    definition.thresholdKind === 'duration' ? reader.durationMs(field) : reader.number(field, { min: 0, ...(definition.thresholdKind === 'percent' ? { max: 100 } : {}) });
  const thresholds: Thresholds = {};
  for (const field of ['warn', 'crit', 'warnBelow', 'critBelow'] as const) {
    const value = readThreshold(field);
    if (value !== undefined) thresholds[field] = value;
  }
  if (thresholds.warn !== undefined && thresholds.crit !== undefined && thresholds.warn > thresholds.crit) reader.fail('warn', 'must not be above crit');
  if (thresholds.warnBelow !== undefined && thresholds.critBelow !== undefined && thresholds.warnBelow < thresholds.critBelow) reader.fail('warnBelow', 'must not be below critBelow');
  const onFailure: CheckStatus = reader.oneOf('onFailure', ['ok', 'warning', 'critical'] as const) ?? 'critical';
  return {
    name,
    type,
    timeoutMs: reader.durationMs('timeout') ?? defaultTimeoutMs,
    thresholds,
    onFailure,
    spec: definition.parse(reader),
    definition,
  };
}
