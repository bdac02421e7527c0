import fc from 'fast-check';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeXml, neutralizeCsvCell } from '../../src/report/escape.js';
import { markdownTables } from './markdown-check.js';

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
});

describe('escapeXml', () => {
  it('escapes markup and drops control characters', () => {
    expect(escapeXml('<a href="x">&\'\u0007</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('neutralizeCsvCell', () => {
  it.each([['=1+1'], ['+1'], ['-1'], ['@SUM(A1)'], ['\t=1'], ['\r=1']])('prefixes %j', (value) => {
    expect(neutralizeCsvCell(value)).toBe(`'${value}`);
  });
  it('leaves ordinary text alone', () => {
    expect(neutralizeCsvCell('Seoul National University')).toBe('Seoul National University');
  });
});
