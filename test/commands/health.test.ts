// `netsleuth health` end to end against real servers on 127.0.0.1.
import { mkdtemp, readFile, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startDnsServer, startHttpServer, startTcpSink, startWebhookReceiver, type Closable } from '../health/helpers/loopback-servers.js';

let dir: string;
const cleanups: Closable[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-health-'));
});
afterEach(async () => {
  for (const item of cleanups.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

async function config(body: unknown, name = 'health.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

async function health(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['health', '--no-dns', ...args], { cwd: dir, env });
}

describe('health: web server that starts failing', () => {
  it('prints exactly done! while it answers 200, then a critical line and exit 2 on status 500', async () => {
    const web = await startHttpServer();
    cleanups.push(web);
    const file = await config({ checks: [{ name: 'web', type: 'http', url: web.url, expectStatus: 200, expectBody: 'ok', timeout: '2s' }] });

    const ok = await health(['--config', file, '--capture', 'never']);
    expect(ok).toMatchObject({ code: 0, stdout: 'done!\n', stderr: '' });

    web.setStatus(500);
    const failing = await health(['--config', file, '--capture', 'never']);
    expect(failing.code).toBe(2);
    expect(failing.stdout.trim().split('\n')).toHaveLength(1);
    expect(failing.stdout).toMatch(/^CRITICAL web \[http\]: .*status 500 \(expected 200\)/);
    expect(web.requests).toBe(2);
  });

  it('a missing body text fails; onFailure: warning makes it exit 1', async () => {
    const web = await startHttpServer();
    cleanups.push(web);
    web.setBody('maintenance');
    const file = await config({ checks: [{ name: 'web', type: 'http', url: web.url, expectBody: '<html', onFailure: 'warning' }] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^WARNING web \[http\]: .*lacks "<html"/);
  });

  it('a slow answer crosses the response-time threshold', async () => {
    const file = await config({ checks: [{ name: 'slow', type: 'http', url: 'http://127.0.0.1:9/', timeout: '300ms', onFailure: 'warning' }] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/WARNING slow \[http\]: .*(refused|timed out)/);
  });
});

describe('health: tcp, dns, process, memory, disk, connections', () => {
  it('tcp connect ok, refused port critical, all in one run with one line per failing check', async () => {
    const sink = await startTcpSink();
    cleanups.push(sink);
    const closed = await startTcpSink();
    const closedPort = closed.port;
    await closed.close();
    const file = await config({ checks: [
      { name: 'open', type: 'tcp', host: '127.0.0.1', port: sink.port },
      { name: 'closed', type: 'tcp', host: '127.0.0.1', port: closedPort },
    ] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`CRITICAL closed [tcp]: 127.0.0.1:${closedPort} connection refused\n`);
  });

  it('dns against a real UDP server on loopback: an answer passes, NXDOMAIN and a wrong answer fail', async () => {
    const dns = await startDnsServer({ 'www.example.test': '192.0.2.80' });
    cleanups.push(dns);
    const good = await config({ checks: [{ name: 'dns', type: 'dns', server: dns.server, query: 'www.example.test', expect: '192.0.2.80' }] });
    expect(await health(['--config', good, '--capture', 'never'])).toMatchObject({ code: 0, stdout: 'done!\n' });
    const bad = await config({ checks: [
      { name: 'missing', type: 'dns', server: dns.server, query: 'nope.example.test' },
      { name: 'wrong', type: 'dns', server: dns.server, query: 'www.example.test', expect: '198.51.100.1', onFailure: 'warning' },
    ] }, 'bad.json');
    const result = await health(['--config', bad, '--capture', 'never']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('CRITICAL missing [dns]: nope.example.test A: NXDOMAIN');
    expect(result.stdout).toContain('WARNING wrong [dns]: www.example.test A: 192.0.2.80 (expected 198.51.100.1)');
  });

  it('process counts come from /proc: this node process is counted, crit threshold names the limit', async () => {
    const comm = (await readFile('/proc/self/comm', 'utf8')).trim();
    const file = await config({ checks: [
      { name: 'runs', type: 'process', process: comm, critBelow: 1 },
      { name: 'too-many', type: 'process', process: comm, crit: 0 },
    ] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(new RegExp(`^CRITICAL too-many \\[process\\]: \\d+ ${comm} processes \\(crit > 0\\)\\n$`));
  });

  it('memory, swap, load and disk read the real machine; impossible limits fail with warn and crit', async () => {
    const file = await config(`
checks:
  - {name: mem, type: memory, warn: 0%}
  - {name: load, type: load, warnBelow: 100000}
  - {name: disk, type: disk, path: /, crit: 0}
  - {name: swap, type: swap, crit: 100}
`, 'health.yaml');
    const result = await health(['--config', file, '--capture', 'never', '--format', 'json']);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as { status: string; checks: { name: string; status: string; value: number; threshold: string }[] };
    expect(json.status).toBe('critical');
    const byName = Object.fromEntries(json.checks.map((check) => [check.name, check]));
    expect(byName.mem).toMatchObject({ status: 'warning', threshold: 'warn > 0%' });
    expect(byName.load).toMatchObject({ status: 'warning', threshold: 'warn < 100000' });
    expect(byName.disk).toMatchObject({ status: 'critical', threshold: 'crit > 0%' });
    expect(byName.swap).toMatchObject({ status: 'ok' });
    expect(byName.disk!.value).toBeGreaterThan(0);
  });

  it('connections per remote see a live connection held open on loopback', async () => {
    const sink = await startTcpSink();
    cleanups.push(sink);
    const { openFlood } = await import('../health/helpers/loopback-servers.js');
    const flood = await openFlood(sink.port, 1, 5);
    cleanups.push(flood);
    const file = await config({ checks: [{ name: 'per-remote', type: 'connections', perRemote: true, localPort: sink.port, state: 'ESTABLISHED', warn: 4 }] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`WARNING per-remote [connections]: 5 ESTABLISHED connections to port ${sink.port} from 127.10.0.1 (warn > 4)\n`);
  });
});

describe('health: notifications', () => {
  it('the SMTP server on loopback receives the alert mail; the password from ${ENV:...} is never printed', async () => {
    const mails: { from: string; to: string[]; body: string; user: string | undefined; pass: string | null | undefined }[] = [];
    let auth: { user?: string | undefined; pass?: string | null | undefined } = {};
    const smtp = new SMTPServer({
      secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: true, logger: false,
      onAuth(credentials, _session, callback) {
        auth = { user: credentials.username, pass: credentials.password };
        callback(null, { user: credentials.username });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address), body: Buffer.concat(chunks).toString('utf8'), user: auth.user, pass: auth.pass });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    cleanups.push({ close: () => new Promise((resolve) => smtp.close(() => resolve())) });
    const port = (smtp.server.address() as AddressInfo).port;
    const web = await startHttpServer();
    cleanups.push(web);
    web.setStatus(503);
    const file = await config(`
checks:
  - name: web
    type: http
    url: ${web.url}
notify:
  channels:
    - type: smtp
      host: 127.0.0.1
      port: ${port}
      startTls: false
      user: alerts
      password: \${ENV:TEST_SMTP_PASSWORD}
      from: netsleuth@box.test
      to: [admin@box.test]
`, 'health.yaml');
    const secret = 'hunter2-very-secret';
    const result = await health(['--config', file, '--capture', 'never', '--format', 'json'], { TEST_SMTP_PASSWORD: secret });
    expect(result.code).toBe(2);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'netsleuth@box.test', to: ['admin@box.test'], user: 'alerts', pass: secret });
    expect(mails[0]!.body).toMatch(/Subject: netsleuth .*: CRITICAL \(1 of 1 checks failing\)/);
    expect(mails[0]!.body).toContain('status 503 (expected 200)');
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('webhook gets JSON; a failing webhook is reported without its secret path', async () => {
    const hook = await startWebhookReceiver();
    cleanups.push(hook);
    const web = await startHttpServer();
    cleanups.push(web);
    web.setStatus(500);
    const file = await config({ checks: [{ name: 'web', type: 'http', url: web.url }], notify: { channels: [
      { type: 'webhook', url: hook.url, headers: { Authorization: 'Bearer ${ENV:HOOK_TOKEN}' } },
      { type: 'webhook', url: 'http://127.0.0.1:9/secret-path-token' },
    ] } });
    const result = await health(['--config', file, '--capture', 'never'], { HOOK_TOKEN: 'tok-12345' });
    expect(result.code).toBe(2);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.headers.authorization).toBe('Bearer tok-12345');
    expect(hook.received[0]!.body).toMatchObject({ status: 'critical', checks: [{ name: 'web', status: 'critical' }] });
    expect(result.stderr).toContain('notify: webhook http://127.0.0.1:9 failed');
    expect(result.stderr).not.toContain('secret-path-token');
    expect(result.stderr).not.toContain('tok-12345');
  });

  it('command and sendmail channels get argument arrays, env details and the message on stdin; onSuccess sends the done! mail', async () => {
    const script = join(dir, 'record.mjs');
    await writeFile(script, `import { writeFileSync } from 'node:fs';
let input = ''; process.stdin.on('data', (c) => input += c); process.stdin.on('end', () => {
  writeFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), input, status: process.env.NETSLEUTH_STATUS ?? null }));
});`);
    await chmod(script, 0o755);
    const file = await config({
      checks: [{ name: 'disk', type: 'disk', path: '/' }],
      notify: { onSuccess: true, channels: [
        { type: 'command', argv: [process.execPath, script, join(dir, 'command.json'), 'a b; rm -rf /'] },
        { type: 'sendmail', to: ['admin@box.test'], from: 'nets@box.test', command: [process.execPath, script, join(dir, 'sendmail.json'), '-t'] },
      ] },
    });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result).toMatchObject({ code: 0, stdout: 'done!\n' });
    const command = JSON.parse(await readFile(join(dir, 'command.json'), 'utf8')) as { argv: string[]; input: string; status: string };
    expect(command).toEqual({ argv: ['a b; rm -rf /'], input: 'done!\n', status: 'ok' });
    const mail = JSON.parse(await readFile(join(dir, 'sendmail.json'), 'utf8')) as { argv: string[]; input: string };
    expect(mail.argv).toEqual(['-t']);
    expect(mail.input).toMatch(/^From: nets@box\.test\nTo: admin@box\.test\n(?:.+\n)*Subject: netsleuth .*: done!\n/);
    expect(mail.input).toMatch(/\n\ndone!\n?$/);
  });
});

describe('health: capture on failure', () => {
  it('writes a case folder whose every file matches SHA256SUMS, with connections and process counts', async () => {
    const web = await startHttpServer();
    cleanups.push(web);
    web.setStatus(500);
    const file = await config({ checks: [{ name: 'web', type: 'http', url: web.url }] });
    const result = await health(['--config', file, '--case', 'case']);
    expect(result.code).toBe(2);
    const captures = await readdir(join(dir, 'case'));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatch(/^\d{8}T\d{6}Z$/);
    const captureDir = join(dir, 'case', captures[0]!);
    expect(result.stderr).toContain(`evidence captured in ${captureDir}`);
    const { verifyManifest } = await import('../health/helpers/verify-manifest.js');
    const listed = await verifyManifest(captureDir);
    expect(listed).toEqual(expect.arrayContaining(['connections.txt', 'processes.txt', 'meminfo.txt', 'loadavg.txt', 'health.txt']));
    expect((await readdir(captureDir)).sort()).toEqual([...listed, 'SHA256SUMS'].sort());
    expect(await readFile(join(captureDir, 'health.txt'), 'utf8')).toBe(result.stdout);
    const connections = await readFile(join(captureDir, 'connections.txt'), 'utf8');
    expect(connections.split('\n')[0]).toBe('# netsleuth capture v1');
    // the web server's listening socket is in the live table
    expect(connections).toMatch(new RegExp(`tcp,4,127\\.0\\.0\\.1,${new URL(web.url).port},[^\\n]*LISTEN`));
  });

  it('--capture never and an all-ok run write nothing', async () => {
    const file = await config({ checks: [{ name: 'disk', type: 'disk', path: '/' }] });
    expect(await health(['--config', file, '--case', 'case'])).toMatchObject({ code: 0, stdout: 'done!\n' });
    await expect(readdir(join(dir, 'case'))).rejects.toThrow();
  });
});

describe('health: ping, https and usage', () => {
  it('ping 127.0.0.1 through the system ping reads the round trip (warn: 0ms makes it visible)', async () => {
    const file = await config({ checks: [{ name: 'lo', type: 'ping', host: '127.0.0.1', warn: '0ms' }] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^WARNING lo \[ping\]: 127\.0\.0\.1 replied in \d+(\.\d+)?ms \(warn > 0ms\)\n$/);
  });

  it('https with a self-signed certificate: refused unless insecure: true', async () => {
    const { execFileSync } = await import('node:child_process');
    const { createServer } = await import('node:https');
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = createServer({ key: await readFile(keyPath), cert: await readFile(certPath) }, (_request, response) => response.end('secure ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const file = await config({ checks: [
      { name: 'strict', type: 'http', url },
      { name: 'insecure', type: 'http', url, insecure: true, expectBody: 'secure ok' },
    ] });
    const result = await health(['--config', file, '--capture', 'never']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^CRITICAL strict \[http\]: https:\/\/127\.0\.0\.1:\d+\/ \S*(SELF_SIGNED|CERT|certificate)\S*\n$/);
  });

  it('usage errors and an unreadable config are clear, exit 2, no stack', async () => {
    const missing = await health(['--config', 'nope.yaml']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'netsleuth: nope.yaml: cannot read the config (ENOENT)\n' });
    expect((await health([])).stderr).toBe('netsleuth: health needs --config FILE (see samples/health/health.yaml)\n');
    const file = await config({ checks: [{ name: 'm', type: 'memory' }] });
    expect((await health(['--config', file, '--format', 'xml'])).stderr).toBe('netsleuth: --format must be text or json (got "xml")\n');
    expect((await health(['--config', file, '--capture', 'sometimes'])).stderr).toContain('--capture must be one of on-failure, always, never');
    const help = await runCli(['health', '--help']);
    expect(help.stdout).toContain('netsleuth health');
    for (const type of ['ping', 'tcp', 'http', 'dns', 'process', 'load', 'memory', 'swap', 'connections', 'disk']) expect(help.stdout).toContain(`  ${type} `);
  });

  it('an inline secret in HTTP headers never reaches the JSON output; --capture always records an all-ok run', async () => {
    const web = await startHttpServer();
    cleanups.push(web);
    const file = await config({ checks: [{ name: 'web', type: 'http', url: web.url, headers: { Authorization: 'Bearer inline-secret-123' } }] });
    const result = await health(['--config', file, '--capture', 'always', '--case', 'case', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { status: string; caseDir: string };
    expect(json.status).toBe('ok');
    expect(json.caseDir.startsWith(join(dir, 'case'))).toBe(true);
    expect(await readFile(join(json.caseDir, 'health.txt'), 'utf8')).toBe('done!\n');
    expect(result.stdout).not.toContain('inline-secret-123');
  });
});
