// Typed access to a parsed config object that names the file, line and field in every error:
//   health.yaml:7: checks[1].port: must be an integer from 1 to 65535 (got "http")
import type { Document, LineCounter } from 'yaml';
import { UserError } from '../errors.js';
import { isSafeHost } from './address-check.js';
import { parseDurationMs } from './duration.js';

export type FieldPath = (string | number)[];

export interface ConfigSource {
  file: string;
  document: Document | null;
  lineCounter: LineCounter | null;
}

export function pathText(path: FieldPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? '(top level)' : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // JSON.stringify says "null" for 1e400 (Infinity): show what was read.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

export class ConfigReader {
  constructor(readonly source: ConfigSource, readonly path: FieldPath, readonly value: Record<string, unknown>) {}

  static root(source: ConfigSource, value: unknown): ConfigReader {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UserError(`${source.file}: the config must be a mapping with a 'checks' list (got ${describe(value)})`, 2);
    }
    return new ConfigReader(source, [], value as Record<string, unknown>);
  }

  /** file:line: field: message — the line when the YAML parser kept positions. */
  fail(field: string | number | null, message: string): never {
    const path = field === null ? this.path : [...this.path, field];
    throw new UserError(`${this.location(path)}: ${pathText(path)}: ${message}`, 2);
  }

  /** Fail at any path below the root (used while walking raw values). */
  failAt(path: FieldPath, message: string): never {
    throw new UserError(`${this.location(path)}: ${pathText(path)}: ${message}`, 2);
  }

  private location(path: FieldPath): string {
    const { document, lineCounter, file } = this.source;
    if (!document || !lineCounter) return file;
    for (let length = path.length; length >= 0; length -= 1) {
      const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && Array.isArray(node.range)) {
        return `${file}:${lineCounter.linePos(node.range[0]).line}`;
      }
    }
    return file;
  }

  has(field: string): boolean {
    return this.value[field] !== undefined && this.value[field] !== null;
  }

  rejectUnknown(allowed: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) this.fail(key, `unknown field (allowed: ${[...allowed].sort().join(', ')})`);
    }
  }

  string(field: string): string | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value === '') this.fail(field, `must be a non-empty string (got ${describe(value)})`);
    return value;
  }

  requiredString(field: string): string {
    const value = this.string(field);
    if (value === undefined) this.fail(field, 'is required');
    return value;
  }

  /** A host to reach: an IP address or a host name (address-check.ts), never option-like text. */
  requiredHost(field: string): string {
    const host = this.requiredString(field);
    if (!isSafeHost(host)) this.fail(field, `must be an IP address or host name (got ${JSON.stringify(host)})`);
    return host;
  }

  number(field: string, limits: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const raw = this.value[field];
    if (raw === undefined || raw === null) return undefined;
    const value = typeof raw === 'string' && /^-?\d+(\.\d+)?%?$/.test(raw.trim()) ? Number(raw.trim().replace('%', '')) : raw;
    // JSON and YAML read 1e400 as Infinity: say the number is too large, not that it is none.
    if (value === Infinity || value === -Infinity) this.fail(field, `is out of range (got a number beyond ±${Number.MAX_VALUE.toPrecision(2)})`);
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, `must be a number (got ${describe(raw)})`);
    if (limits.integer && !Number.isInteger(value)) this.fail(field, `must be a whole number (got ${describe(raw)})`);
    if (limits.min !== undefined && value < limits.min) this.fail(field, `must be at least ${limits.min} (got ${describe(raw)})`);
    if (limits.max !== undefined && value > limits.max) this.fail(field, `must be at most ${limits.max} (got ${describe(raw)})`);
    return value;
  }

  durationMs(field: string): number | undefined {
    const raw = this.value[field];
    if (raw === undefined || raw === null) return undefined;
    const value = parseDurationMs(raw);
    if (value === null) this.fail(field, `must be a duration like "500ms", "5s", "10m", "1h", "7d" (got ${describe(raw)})`);
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(field, `must be true or false (got ${describe(value)})`);
    return value;
  }

  oneOf<T extends string>(field: string, choices: readonly T[]): T | undefined {
    const value = this.string(field);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) this.fail(field, `must be one of ${choices.join(', ')} (got ${describe(value)})`);
    return value as T;
  }

  /** A string or a list of strings. */
  stringList(field: string): string[] | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((item, index) => {
      if (typeof item !== 'string' || item === '') {
        throw new UserError(`${this.location([...this.path, field, index])}: ${pathText([...this.path, field, index])}: must be a non-empty string (got ${describe(item)})`, 2);
      }
    });
    return list as string[];
  }

  /** A mapping of string to string (HTTP headers, env vars). */
  stringMap(field: string): Record<string, string> | undefined {
    const child = this.child(field);
    if (!child) return undefined;
    const result: Record<string, string> = {};
    for (const key of Object.keys(child.value)) result[key] = child.requiredString(key);
    return result;
  }

  child(field: string): ConfigReader | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(field, `must be a mapping (got ${describe(value)})`);
    return new ConfigReader(this.source, [...this.path, field], value as Record<string, unknown>);
  }

  list(field: string): ConfigReader[] | undefined {
    const value = this.value[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(field, `must be a list (got ${describe(value)})`);
    return value.map((item: unknown, index: number) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new UserError(`${this.location([...this.path, field, index])}: ${pathText([...this.path, field, index])}: must be a mapping (got ${describe(item)})`, 2);
      }
      return new ConfigReader(this.source, [...this.path, field, index], item as Record<string, unknown>);
    });
  }
}
