// The sendmail channel against a real program: a script in its place records the argument
// list and the message it reads on stdin, and the test reads the headers back as a mail
// reader would (unfold, then decode RFC 2047 words).
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../src/health/config-reader.js';
import { CHANNELS } from '../../../src/health/notify/index.js';
import type { Notification } from '../../../src/health/notify/notification.js';
import { SecretSet } from '../../../src/health/redact.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsleuth-sendmail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sendmail = CHANNELS.find((channel) => channel.type === 'sendmail')!;

/** Header name (lower case) -> value, unfolded, RFC 2047 words decoded. */
function readHeaders(message: string): Map<string, string> {
  const head = message.slice(0, message.indexOf('\n\n')).replace(/\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function decodeWords(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
  return value.replace(/(\?=)\s+(=\?)/g, '$1$2').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'));
}

async function recordingCommand(): Promise<{ command: string[]; recorded: () => Promise<{ argv: string[]; input: string }> }> {
  const script = join(dir, 'sendmail.mjs');
  await writeFile(script, `import { writeFileSync } from 'node:fs';
const chunks = []; process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', () => {
  writeFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), input: Buffer.concat(chunks).toString('latin1') }));
});`);
  await chmod(script, 0o755);
  const out = join(dir, 'recorded.json');
  return { command: [process.execPath, script, out, '-t', '-oi'], recorded: async () => JSON.parse(await readFile(out, 'utf8')) as { argv: string[]; input: string } };
}

function configReader(value: Record<string, unknown>): ConfigReader {
  return ConfigReader.root({ file: 'health.yaml', document: null, lineCounter: null }, value);
}

function notification(subject: string, text: string): Notification {
  return { status: 'critical', host: '서버-1', time: '2026-12-07T00:00:00.000Z', subject, text, results: [], caseDir: null };
}

describe('sendmail channel', () => {
  it('encodes a Korean subject as RFC 2047 words: the headers on the wire are ASCII and decode to the subject', async () => {
    const { command, recorded } = await recordingCommand();
    const secrets = new SecretSet();
    const spec = sendmail.parse(configReader({ type: 'sendmail', to: ['admin@box.test'], from: 'nets@box.test', command }), secrets);
    const subject = 'netsleuth 서울-웹서버-1: CRITICAL (1 of 2 checks failing)';
    await sendmail.send(spec, notification(subject, 'web: 연결 거부\n'), { timeoutMs: 10_000, secrets });
    const { argv, input } = await recorded();
    expect(argv).toEqual(['-t', '-oi']);
    const head = input.slice(0, input.indexOf('\n\n'));
    expect(head).toMatch(/^[\x20-\x7e\n\t]*$/); // 7-bit headers: no raw UTF-8 bytes
    expect(head).not.toContain('\r');
    const headers = readHeaders(input);
    expect(headers.get('subject')).toBe(subject);
    expect(headers.get('from')).toBe('nets@box.test');
    expect(headers.get('to')).toBe('admin@box.test');
    expect(headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
    // The body decodes back to the text.
    const body = input.slice(input.indexOf('\n\n') + 2);
    const encoding = headers.get('content-transfer-encoding');
    const decoded = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable' ? Buffer.from(body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8')
      : Buffer.from(body, 'latin1').toString('utf8');
    expect(decoded.trimEnd()).toBe('web: 연결 거부');
  });

  it('a line break in the subject cannot add a header', async () => {
    const { command, recorded } = await recordingCommand();
    const secrets = new SecretSet();
    const spec = sendmail.parse(configReader({ type: 'sendmail', to: 'admin@box.test', command }), secrets);
    await sendmail.send(spec, notification('down\nBcc: victim@example.test', 'x\n'), { timeoutMs: 10_000, secrets });
    const headers = readHeaders((await recorded()).input);
    expect(headers.has('bcc')).toBe(false);
  });

  it('a sendmail that fails is an error naming it', async () => {
    const secrets = new SecretSet();
    const spec = sendmail.parse(configReader({ type: 'sendmail', to: 'admin@box.test', command: ['/bin/false'] }), secrets);
    await expect(sendmail.send(spec, notification('x', 'y'), { timeoutMs: 10_000, secrets })).rejects.toThrow(/\/bin\/false exited with 1/);
  });
});
