import { describe, expect, it } from 'vitest';
import type { TraceHop } from '../../src/model/trace.js';
import { escapeTerminal } from '../../src/trace/render/escape.js';
import { formatRtts } from '../../src/trace/render/format-hop.js';

const probe = (ip: string | null, rttMs: number | null, extra: Partial<TraceHop['probes'][number]> = {}) => ({ ip, name: null, rttMs, annotation: null, asn: null, ...extra });

describe('formatRtts', () => {
  it.each<[TraceHop, string | null, string]>([
    [{ ttl: 1, probes: [] }, null, '*'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 1.25), probe(null, null), probe('198.51.100.2', 2)] }, '198.51.100.1', '1.25 * 198.51.100.2: 2'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 5.1, { annotation: '!H' }), probe('198.51.100.1', null, { annotation: '!N' })] }, '198.51.100.1', '5.1 !H !N'],
    [{ ttl: 1, probes: [probe('198.51.100.1', 6.4, { lossPct: 10 }), probe(null, null, { lossPct: 100 })] }, '198.51.100.1', '6.4 (10% loss) * (100% loss)'],
  ])('%j', (hop, mainIp, expected) => expect(formatRtts(hop, mainIp)).toBe(expected));
});

describe('escapeTerminal', () => {
  it('terminal cells lose control sequences and line breaks', () => {
    expect(escapeTerminal('a\u001b[2Jb\nc\u009bd')).toBe('abcd');
  });
});
