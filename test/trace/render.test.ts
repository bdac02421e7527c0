import { describe, expect, it } from 'vitest';
import type { TraceHop } from '../../src/model/trace.js';
import { escapeMarkdownCell, escapeTerminal } from '../../src/trace/render/escape.js';
import { formatRtts } from '../../src/trace/render/format-hop.js';
import { markdownToHtml } from '../report/markdown-check.js';

const probe = (ip: string | null, rttMs: number | null, extra: Partial<TraceHop['probes'][number]> = {}) => ({ ip, name: null, rttMs, annotation: null, asn: null, ...extra });

describe('formatRtts', () => {
  it.each<[TraceHop, string | null, string]>([
    [{ ttl: 1, probes: [] }, null, '*'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 1.25), probe(null, null), probe('198.51.100.2', 2)] }, '198.51.100.1', '1.25 * 198.51.100.2: 2'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 5.1, { annotation: '!H' }), probe('198.51.100.1', null, { annotation: '!N' })] }, '198.51.100.1', '5.1 !H !N'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 6.4, { lossPct: 10 }), probe(null, null, { lossPct: 100 })] }, '198.51.100.1', '6.4 (10% loss) * (100% loss)'],
  ])('%j', (hop, mainIp, expected) => expect(formatRtts(hop, mainIp)).toBe(expected));
});

describe('escapes', () => {
  it.each(['[x](http://evil.example)', '<script>alert(1)</script>', 'a|b', '**bold** _it_', 'www.evil.example', '![i](http://x/y.png)', '`code`'])('markdown cell %j renders as its literal text', (text) => {
    const html = markdownToHtml(`| h |\n|---|\n| ${escapeMarkdownCell(text)} |\n`);
    expect(html).not.toMatch(/<a |<img|<script|<strong|<em|<code/);
    expect(html).toContain('<td>');
  });
  it('terminal cells lose control sequences and line breaks', () => {
    expect(escapeTerminal('a\u001b[2Jb\nc\u009bd')).toBe('abcd');
  });
});
