import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/report/escape.js';

describe('escapeXml', () => {
  it('escapes markup and drops control characters', () => {
    expect(escapeXml('<a href="x">&\'\u0007</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});
