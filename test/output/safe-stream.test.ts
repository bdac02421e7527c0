import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { note, rawStream, safeStream, trustedWrite, warn, writeFailure } from '../../src/output/safe-stream.js';
import { bytesNeedEscaping, escapeTerminalLine, escapeTerminalText } from '../../src/output/terminal-text.js';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

// Every character a terminal acts on, as an attacker would write it.
const HOSTILE = '\u001b]0;PWNED\u0007\u001b[2J\r\u0000\u007f\u009b31m\u009d0;x\u0007\u202eevil';

describe('escapeTerminalText', () => {
  it('shows each control character as a \\uXXXX escape and keeps \\n and \\t', () => {
    expect(escapeTerminalText(`a\tb\n${HOSTILE}`)).toBe('a\tb\n\\u001b]0;PWNED\\u0007\\u001b[2J\\u000d\\u0000\\u007f\\u009b31m\\u009d0;x\\u0007\\u202eevil');
    expect(escapeTerminalLine('one\ntwo')).toBe('one\\u000atwo');
  });

  it('leaves ordinary text, emoji and CJK untouched (the same string object)', () => {
    const text = 'Seoul 서울 ☕⚡✅ — netsleuth…';
    expect(escapeTerminalText(text)).toBe(text);
    expect(bytesNeedEscaping(Buffer.from('1.2.3.4,5\n'))).toBe(false);
    expect(bytesNeedEscaping(Buffer.from(HOSTILE))).toBe(true);
  });

  it('inside a JSON string the escape means the same character', () => {
    const json = JSON.stringify({ name: 'x\u009by\u202ez' });
    expect(JSON.parse(escapeTerminalText(json))).toEqual({ name: 'x\u009by\u202ez' });
  });
});

describe('safeStream', () => {
  it('escapes strings and bytes; trustedWrite and rawStream bypass it', () => {
    const { stream, text } = collect();
    const safe = safeStream(stream);
    safe.write(HOSTILE);
    safe.write(Buffer.from('\u001b[2J'));
    trustedWrite(safe, '\r\u001b[K');
    expect(rawStream(safe)).toBe(stream);
    expect(safeStream(safe)).toBe(safe);
    expect(text()).toBe(`${escapeTerminalText(HOSTILE)}\\u001b[2J\r\u001b[K`);
  });

  it('warn and note print one line whatever the text holds', () => {
    const { stream, text } = collect();
    const io = { stderr: safeStream(stream) };
    warn(io, 'geo db\nnetsleuth: done!\u001b[2J');
    note(io, 'wrote cap\u001b]0;X\u0007.md');
    expect(text()).toBe('netsleuth: warning: geo db\\u000anetsleuth: done!\\u001b[2J\nnetsleuth: wrote cap\\u001b]0;X\\u0007.md\n');
  });

  it('remembers a failed write, wakes writers waiting for drain and drops what follows', async () => {
    const failing = new PassThrough({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
      },
    });
    const safe = safeStream(failing);
    safe.write('x');
    await new Promise<void>((resolve) => safe.once('drain', () => resolve()));
    expect(writeFailure(safe)?.code).toBe('ENOSPC');
    expect(safe.write('more')).toBe(true);
  });
});
