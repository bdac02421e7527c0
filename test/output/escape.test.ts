import fc from 'fast-check';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeCsvCell, escapeMarkdown, unescapeCsvCell } from '../../src/output/escape.js';
import { markdownTables, markdownToHtml } from '../report/markdown-check.js';

describe('escapeMarkdown', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['<script>', '\\<script\\>'],
    ['[x](y)', '\\[x\\](y)'],
    ['*bold* _it_', '\\*bold\\* \\_it\\_'],
    ['line1\nline2', 'line1 line2'],
    ['\u001b[31mred\u001b[0m', 'red'],
    ['www.evil.example', 'www\\.evil.example'],
    ['http://evil.example', 'http\\://evil.example'],
    ['user@evil.example', 'user\\@evil.example'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('any string in a table cell stays one cell of plain text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const markdown = `| a | b |\n|---|---|\n| ${escapeMarkdown(text) || '-'} | x |\n`;
        const tables = markdownTables(markdown);
        expect(tables).toHaveLength(1);
        const html = marked.parse(markdown, { async: false });
        expect(html).not.toMatch(/<(?!\/?(table|thead|tbody|tr|th|td)\b)[a-z]/i);
      }),
      { numRuns: 300 },
    );
  });
  it.each(['[x](http://evil.example)', '<script>alert(1)</script>', 'a|b', '**bold** _it_', 'www.evil.example', '![i](http://x/y.png)', '`code`'])('a trace cell %j renders as its literal text', (text) => {
    const html = markdownToHtml(`| h |\n|---|\n| ${escapeMarkdown(text)} |\n`);
    expect(html).not.toMatch(/<a |<img|<script|<strong|<em|<code/);
    expect(html).toContain('<td>');
  });
});

describe('escapeCsvCell', () => {
  it.each([['=1+1'], ['+1'], ['-1'], ['@SUM(A1)'], ['\t=1'], ['\r=1']])('prefixes %j', (value) => {
    expect(escapeCsvCell(value)).toBe(`'${value}`);
  });
  it('leaves ordinary text alone', () => {
    expect(escapeCsvCell('Seoul National University')).toBe('Seoul National University');
  });
  it("a value already starting with quotes before a formula gets one more, and unescapeCsvCell takes exactly that one off", () => {
    expect(escapeCsvCell("'=x")).toBe("''=x");
    expect(unescapeCsvCell(escapeCsvCell("'=x"))).toBe("'=x");
    expect(unescapeCsvCell("'plain")).toBe("'plain");
  });
  it('unescapeCsvCell(escapeCsvCell(x)) is x for any string (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (text) => {
      expect(unescapeCsvCell(escapeCsvCell(text))).toBe(text);
    }));
  });
});
