import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RemoteProfile } from '../../src/model/analysis.js';
import { compareIps } from '../../src/net/ip.js';
import { DEFAULT_DIRECTION, inRange, REMOTE_COLUMNS, RemoteIndex, type RemoteColumn, parseCidr, remoteRdnsText } from '../../src/tui/remote-index.js';
import { remoteName } from '../../src/analyze/profiles.js';
import { floodReport, syntheticReport } from './fixtures.js';

/** The obvious comparator-based sort the index must agree with. */
function naiveOrder(remotes: readonly RemoteProfile[], column: RemoteColumn, direction: 'asc' | 'desc'): string[] {
  const value = (remote: RemoteProfile): number | string | null => {
    switch (column) {
      case 'ip': return null;
      case 'connections': return remote.connections;
      case 'established': return remote.states.ESTABLISHED ?? 0;
      case 'synRecv': return remote.states.SYN_RECV ?? 0;
      case 'asn': return remote.asn;
      case 'country': return remote.country?.toLowerCase() ?? null;
      case 'name': return remoteName(remote)?.toLowerCase() ?? null;
      case 'rdns': return remoteRdnsText(remote).toLowerCase() || null;
    }
  };
  const sign = direction === 'asc' ? 1 : -1;
  return [...remotes]
    .sort((a, b) => {
      if (column === 'ip') return sign * compareIps(a.ip, b.ip);
      const va = value(a);
      const vb = value(b);
      if (va === null || vb === null) {
        if (va !== vb) return va === null ? 1 : -1;
      } else if (va !== vb) {
        return sign * (va < vb ? -1 : 1);
      }
      return compareIps(a.ip, b.ip);
    })
    .map((remote) => remote.ip);
}

const ipsOf = (index: RemoteIndex, view: Uint32Array) => Array.from(view, (row) => index.remotes[row]!.ip);

describe('RemoteIndex sorting', () => {
  const remotes = floodReport().analysis.remotes;
  const index = new RemoteIndex(remotes);
  for (const column of REMOTE_COLUMNS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`sorts by ${column} ${direction} like a comparator sort`, () => {
        expect(ipsOf(index, index.view(column, direction, ''))).toEqual(naiveOrder(remotes, column, direction));
      });
    }
  }

  it('agrees with the comparator sort on generated reports (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(...REMOTE_COLUMNS), fc.boolean(), (count, seed, column, flip) => {
        const generated = syntheticReport(count, { seed }).analysis.remotes;
        const direction = flip ? 'asc' : 'desc';
        const generatedIndex = new RemoteIndex(generated);
        expect(ipsOf(generatedIndex, generatedIndex.order(column, direction))).toEqual(naiveOrder(generated, column, direction));
      }),
      { numRuns: 40 },
    );
  });

  it('puts the busiest remote first by default', () => {
    const view = index.view('connections', DEFAULT_DIRECTION.connections, '');
    expect(remotes[view[0]!]!.ip).toBe('147.46.195.90');
  });
});

describe('RemoteIndex filtering', () => {
  const remotes = floodReport().analysis.remotes;
  const index = new RemoteIndex(remotes);
  const filtered = (query: string) => ipsOf(index, index.view('ip', 'asc', query));

  it.each([
    ['147.46.', ['147.46.70.231', '147.46.195.90', '147.46.207.207']],
    ['147.46.0.0/16', ['147.46.70.231', '147.46.195.90', '147.46.207.207']],
    ['141.223.0.0/20', ['141.223.5.18']],
    ['AS3784', ['141.223.5.18', '141.223.90.2']],
    ['postech', ['141.223.5.18', '141.223.90.2']],
    ['germany', ['79.192.4.31']],
    ['snu.ac.kr', ['147.46.195.90', '147.46.207.207']],
    ['2001:db8::/32', ['2001:db8::beef']],
    ['no such thing', []],
  ])('%s', (query, expected) => {
    expect(filtered(query)).toEqual(expected);
  });

  it('narrowing a query one character at a time matches a fresh scan', () => {
    const big = syntheticReport(3000, { seed: 7 }).analysis.remotes;
    const incremental = new RemoteIndex(big);
    let query = '';
    for (const char of '147.46.1') {
      query += char;
      const fresh = new RemoteIndex(big);
      expect(Array.from(incremental.matches(query))).toEqual(Array.from(fresh.matches(query)));
    }
    expect(incremental.matches('147.46.1').length).toBeGreaterThan(0);
  });

  it('parses only real CIDRs', () => {
    expect(parseCidr('147.46.0.0/16')).not.toBeNull();
    expect(parseCidr('147.46.0.0/33')).toBeNull();
    expect(parseCidr('snu/16')).toBeNull();
    expect(parseCidr('147.46.')).toBeNull();
  });

  it('handles an empty report', () => {
    const empty = new RemoteIndex([]);
    expect(empty.view('name', 'asc', 'x').length).toBe(0);
    expect(empty.view('connections', 'desc', '').length).toBe(0);
  });
});

describe('inRange', () => {
  it.each([
    ['147.46.195.90', '147.46.0.0/16', true],
    ['147.47.0.1', '147.46.0.0/16', false],
    ['147.46.195.90', '147.46.195.90/32', true],
    ['147.46.195.91', '147.46.195.90/32', false],
    ['8.8.8.8', '0.0.0.0/0', true],
    ['255.255.255.255', '128.0.0.0/1', true],
    ['127.0.0.1', '128.0.0.0/1', false],
    ['2001:db8::1', '147.46.0.0/16', false],
    ['::ffff:147.46.1.1', '147.46.0.0/16', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['garbage', '147.46.0.0/16', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(inRange(ip, parseCidr(cidr)!)).toBe(expected);
  });
});

describe('filter cache', () => {
  it('gives the same rows when going back to an earlier query (backspace)', () => {
    const remotes = syntheticReport(2000, { seed: 3 }).analysis.remotes;
    const index = new RemoteIndex(remotes);
    const first = Array.from(index.matches('147.46.'));
    index.matches('147.46.1');
    expect(Array.from(index.matches('147.46.'))).toEqual(first);
    expect(Array.from(index.matches('147.46.'))).toEqual(Array.from(new RemoteIndex(remotes).matches('147.46.')));
    for (let i = 0; i < 40; i++) index.matches(`q${i}`);
    expect(Array.from(index.matches('147.46.'))).toEqual(first);
  });
});
