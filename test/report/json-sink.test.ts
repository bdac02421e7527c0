import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminalText } from '../../src/output/terminal-text.js';
import { JSON_BUFFER_BYTES, JsonSink, releaseJsonBuffer } from '../../src/report/renderers/json-sink.js';

const written = (sink: JsonSink): string => Buffer.concat(sink.take(true)).toString('utf8');

// Any UTF-16 text: controls, lone surrogates, pairs, C1 and bidi controls, long enough for the
// table of repeated strings (16 characters and more) and for a string larger than one buffer.
const TEXT = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u001b', '\u009b', '\u202e', '\u2028', '\ud800', '\udc00', '\ud83d\ude00', 'é', '서', '\u007f', '\n'), minLength: 16, maxLength: 600 }),
);

describe('JsonSink', () => {
  it('writes a string as JSON.stringify quotes it; terminal-safe, as escapeTerminalText escapes that', () => {
    fc.assert(
      fc.property(fc.array(TEXT, { maxLength: 8 }), fc.boolean(), (texts, terminalSafe) => {
        const sink = new JsonSink(terminalSafe);
        // Each twice through the table of repeated strings: the second copy comes from the table.
        for (const text of texts) {
          sink.string(text);
          sink.repeatedString(text);
          sink.repeatedString(text);
        }
        const expected = texts.map((text) => JSON.stringify(text).repeat(3)).join('');
        expect(written(sink)).toBe(terminalSafe ? escapeTerminalText(expected) : expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes numbers as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.NaN, Number.NEGATIVE_INFINITY)), { maxLength: 20 }), (numbers) => {
        const sink = new JsonSink(false);
        for (const number of numbers) {
          sink.number(number);
          sink.ascii(',');
        }
        expect(written(sink)).toBe(numbers.map((number) => `${JSON.stringify(number)},`).join(''));
      }),
    );
  });

  it('hands out buffers of at most JSON_BUFFER_BYTES, a string larger than that in one of its own, and loses nothing', () => {
    const sink = new JsonSink(true);
    const big = 'x'.repeat(JSON_BUFFER_BYTES);
    const parts: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const text = `remote ${i} Seoul 서울 \u009b`;
      sink.repeatedString(text);
      parts.push(escapeTerminalText(JSON.stringify(text)));
      if (i === 2500) {
        sink.string(big);
        parts.push(JSON.stringify(big));
      }
    }
    const buffers = sink.take(true);
    expect(Buffer.concat(buffers).toString('utf8')).toBe(parts.join(''));
    expect(buffers.filter((buffer) => buffer.length > JSON_BUFFER_BYTES)).toHaveLength(1);
    expect(sink.take(true)).toEqual([]);
  });

  it('reuses a written piece\'s buffer for the next piece, never a caller\'s bytes, never one piece twice', () => {
    const fill = (sink: JsonSink, byte: string): Uint8Array[] => {
      for (let i = 0; i < 70; i++) sink.ascii(byte.repeat(1000));
      return sink.take(true);
    };
    const first = fill(new JsonSink(false), 'a');
    expect(first.length).toBeGreaterThan(1);
    const piece = first[0] as Uint8Array;
    releaseJsonBuffer(piece);
    releaseJsonBuffer(piece);
    const foreign = new Uint8Array(JSON_BUFFER_BYTES).fill(120);
    releaseJsonBuffer(foreign);
    const next = fill(new JsonSink(false), 'b');
    const buffers = next.map((chunk) => chunk.buffer);
    // The released buffer comes back once, with the new bytes; the caller's array is untouched.
    expect(buffers.filter((buffer) => buffer === piece.buffer)).toHaveLength(1);
    expect(buffers).not.toContain(foreign.buffer);
    expect(foreign.every((byte) => byte === 120)).toBe(true);
    expect(Buffer.concat(next).toString('latin1')).toBe('b'.repeat(70_000));
  });
});
