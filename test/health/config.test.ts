// Config errors name the file, the line and the field; secrets from ${ENV:NAME} are redacted.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UserError } from '../../src/errors.js';
import { parseHealthConfig } from '../../src/health/config.js';
import { CHECKS } from '../../src/health/checks/index.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

function errorOf(text: string, env: NodeJS.ProcessEnv = {}, file = 'health.yaml'): string {
  try {
    parseHealthConfig(text, file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return (error as UserError).message;
  }
  throw new Error('expected a config error');
}

describe('config errors', () => {
  it.each([
    ['empty file', '', 'health.yaml: the config must be a mapping'],
    ['not a mapping', '- a\n- b\n', 'health.yaml: the config must be a mapping'],
    ['no checks', 'notify: {}\n', 'health.yaml:1: checks: is required'],
    ['unknown top-level field', 'checks: []\nchekcs: 1\n', 'health.yaml:2: chekcs: unknown field'],
    ['unknown check type', 'checks:\n  - name: x\n    type: smtp\n', 'health.yaml:3: checks[0].type: unknown check type "smtp" (one of ping, tcp, http, dns, process, load, memory, swap, connections, disk)'],
    ['bad port', 'checks:\n  - name: ssh\n    type: tcp\n    host: 127.0.0.1\n    port: http\n', 'health.yaml:5: checks[0].port: must be a number (got "http")'],
    ['port out of range', 'checks:\n  - {name: ssh, type: tcp, host: 127.0.0.1, port: 70000}\n', 'health.yaml:2: checks[0].port: must be at most 65535 (got 70000)'],
    ['bad duration', 'checks:\n  - name: web\n    type: http\n    url: http://127.0.0.1/\n    timeout: soon\n', 'health.yaml:5: checks[0].timeout: must be a duration like "500ms", "5s", "10m", "1h", "7d" (got "soon")'],
    ['misspelt field', 'checks:\n  - name: web\n    type: http\n    url: http://127.0.0.1/\n    expect_status: 200\n', 'health.yaml:5: checks[0].expect_status: unknown field'],
    ['ping host that looks like an option', 'checks:\n  - {name: p, type: ping, host: "-f"}\n', 'health.yaml:2: checks[0].host: must be an IP address or host name (got "-f")'],
    ['url scheme', 'checks:\n  - {name: w, type: http, url: "file:///etc/passwd"}\n', 'health.yaml:2: checks[0].url: must be an http:// or https:// URL'],
    ['warn above crit', 'checks:\n  - {name: h, type: process, process: httpd, warn: 200, crit: 150}\n', 'health.yaml:2: checks[0].warn: must not be above crit'],
    ['duplicate names', 'checks:\n  - {name: a, type: memory}\n  - {name: a, type: swap}\n', 'health.yaml:3: checks[1].name: duplicate check name "a"'],
    ['command as a shell string', 'checks:\n  - {name: a, type: memory}\nnotify:\n  channels:\n    - type: command\n      argv: "page-me --now; rm -rf /"\n', 'health.yaml:6: notify.channels[0].argv: must be a list of arguments, not a shell string'],
    ['unknown channel', 'checks:\n  - {name: a, type: memory}\nnotify:\n  channels:\n    - {type: pager}\n', 'health.yaml:5: notify.channels[0].type: unknown channel type "pager"'],
    ['invalid YAML', 'checks:\n  - name: [unclosed\n', 'health.yaml:'],
    ['duplicate keys', 'checks:\n  - {name: a, type: memory, name: b}\n', 'health.yaml:2: not valid YAML or JSON'],
    ['percent above 100', 'checks:\n  - {name: d, type: disk, crit: 120%}\n', 'health.yaml:2: checks[0].crit: must be at most 100 (got "120%")'],
  ])('%s', (_label, text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('a number too large to represent is out of range, not "null" or "Infinity"', () => {
    expect(errorOf('checks:\n  - {name: d, type: disk, warn: 1e400}\n')).toBe('health.yaml:2: checks[0].warn: is out of range (got a number beyond ±1.8e+308)');
    expect(errorOf('{"checks": [{"name": "d", "type": "disk",\n "warn": -1e400}]}', {}, 'health.json')).toBe('health.json:2: checks[0].warn: is out of range (got a number beyond ±1.8e+308)');
  });

  it('a JSON config with a trailing comma is refused with its line (YAML would accept it)', () => {
    const text = '{\n  "checks": [\n    {"name": "d", "type": "disk", "path": "/"},\n  ]\n}\n';
    expect(errorOf(text, {}, 'health.json')).toBe('health.json:3: not valid JSON: a trailing comma (JSON allows none before } or ])');
    // A comma inside a string is text, not a trailing comma.
    expect(errorOf('{"checks": [{"name": "a,]", "type": "disk", "path": "/"},]}', {}, 'health.json')).toMatch(/^health\.json:1: not valid JSON: a trailing comma/);
    // The same text as .yaml is YAML 1.2 flow style, which allows it.
    expect(parseHealthConfig(text, 'health.yaml', {}).checks).toHaveLength(1);
  });

  it('JSON configs get line numbers too', () => {
    const text = '{\n  "checks": [\n    {"name": "ssh", "type": "tcp",\n     "host": "127.0.0.1", "port": "ssh"}\n  ]\n}\n';
    expect(errorOf(text, {}, 'health.json')).toBe('health.json:4: checks[0].port: must be a number (got "ssh")');
  });

  it('a missing environment variable names the field that refers to it', () => {
    const text = 'checks:\n  - {name: a, type: memory}\nnotify:\n  channels:\n    - type: smtp\n      host: 127.0.0.1\n      to: a@b.test\n      password: ${ENV:NO_SUCH_VAR}\n';
    expect(errorOf(text)).toBe('health.yaml:8: notify.channels[0].password: refers to the environment variable NO_SUCH_VAR, which is not set');
  });

  it('parsing never throws anything but a UserError, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseHealthConfig(text, 'fuzz.yaml', {});
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        expect(error.message.startsWith('fuzz.yaml')).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

describe('config values', () => {
  it('reads durations, percents, defaults and onFailure', () => {
    const config = parseHealthConfig([
      'defaults: {timeout: 2s}',
      'checks:',
      '  - {name: web, type: http, url: "https://127.0.0.1:8443/x", warn: 500ms, crit: 2s, insecure: true}',
      '  - {name: mem, type: memory, warn: "90%", crit: 97}',
      '  - {name: ping, type: ping, host: "::1", onFailure: warning, timeout: 1}',
    ].join('\n'), 'h.yaml', {});
    const [web, mem, ping] = config.checks;
    expect(web).toMatchObject({ timeoutMs: 2000, thresholds: { warn: 500, crit: 2000 }, onFailure: 'critical' });
    expect(mem).toMatchObject({ thresholds: { warn: 90, crit: 97 } });
    expect(ping).toMatchObject({ timeoutMs: 1000, onFailure: 'warning' });
    expect(config.capture).toBeNull();
    expect(config.report).toEqual({ dns: true, dnsServers: [], dnsTimeoutMs: 1000, timeoutMs: 60_000 });
  });

  it('secrets from the environment and secret-named fields are redacted', () => {
    const config = parseHealthConfig([
      'checks: [{name: a, type: memory}]',
      'notify:',
      '  channels:',
      '    - {type: smtp, host: 127.0.0.1, to: a@b.test, user: u, password: "${ENV:PW}"}',
      '    - {type: webhook, url: "https://hooks.example.test/T000/B000/XXXXXXXXXXXX"}',
      '    - {type: webhook, url: "http://127.0.0.1:1/", headers: {Authorization: "Bearer inline-token-1"}}',
    ].join('\n'), 'h.yaml', { PW: 'p4ssw0rd!' });
    const redacted = config.secrets.redact('pw p4ssw0rd! hook https://hooks.example.test/T000/B000/XXXXXXXXXXXX and Bearer inline-token-1');
    expect(redacted).toBe('pw [redacted] hook [redacted] and [redacted]');
  });
});

describe('samples/health', () => {
  it('health.yaml and health.json parse, use every check type, and say the same thing', async () => {
    const yamlText = await readFile(`${PROJECT_ROOT}samples/health/health.yaml`, 'utf8');
    const jsonText = await readFile(`${PROJECT_ROOT}samples/health/health.json`, 'utf8');
    const fromYaml = parseHealthConfig(yamlText, 'health.yaml', {});
    const fromJson = parseHealthConfig(jsonText, 'health.json', {});
    expect(new Set(fromYaml.checks.map((check) => check.type))).toEqual(new Set(CHECKS.map((check) => check.type)));
    const shape = (config: typeof fromYaml) => config.checks.map(({ name, type, timeoutMs, thresholds, onFailure }) => ({ name, type, timeoutMs, thresholds, onFailure }));
    expect(shape(fromJson)).toEqual(shape(fromYaml));
    expect(fromJson.watch).toEqual(fromYaml.watch);
  });
});

describe('config errors never echo secrets', () => {
  it('a secret from the environment in the wrong field is redacted in the error', () => {
    const message = errorOf('checks:\n  - {name: a, type: tcp, host: 127.0.0.1, port: "${ENV:TOKEN}"}\n', { TOKEN: 'tok-secret-999' });
    expect(message).toBe('health.yaml:2: checks[0].port: must be a number (got "[redacted]")');
  });
});
