import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlocklistIndex } from '../../../src/enrich/blocklist/blocklist-index.js';
import { parseBlocklist, parseIpv4Line, parseLine } from '../../../src/enrich/blocklist/parse-blocklist.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');

describe('parseBlocklist', () => {
  it('Spamhaus DROP layout (intelmq drop.txt): both families, entry text kept', () => {
    const { entries, skipped } = parseBlocklist(fixture('real/intelmq/drop.txt'));
    expect(skipped).toEqual([]);
    expect(entries.map((entry) => entry.text)).toEqual(['1.4.0.0/17 ; SBL256893', '2a06:e480::/29 ; SBL301771']);
    const index = new BlocklistIndex([{ name: 'spamhaus-drop', fetchedAt: '2026-12-01T00:00:00.000Z', entries }]);
    expect(index.lookup('1.4.127.255')).toEqual([{ list: 'spamhaus-drop', entry: '1.4.0.0/17 ; SBL256893', fetchedAt: '2026-12-01T00:00:00.000Z' }]);
    expect(index.lookup('1.4.128.0')).toEqual([]);
    expect(index.lookup('2a06:e487:ffff::1')[0]?.entry).toBe('2a06:e480::/29 ; SBL301771');
    expect(index.lookup('2a06:e488::')).toEqual([]);
  });

  it('IPsum levels: one address per line; level 7 is inside level 6', () => {
    const six = parseBlocklist(fixture('real/ipsum/levels/6.txt'));
    const seven = parseBlocklist(fixture('real/ipsum/levels/7.txt'));
    expect(six.entries).toHaveLength(318);
    expect(seven.entries).toHaveLength(70);
    const index = new BlocklistIndex([{ name: 'ipsum-6', fetchedAt: null, entries: six.entries }]);
    for (const entry of seven.entries) expect(index.lookup(entry.text)).toHaveLength(1);
  });

  it('netset header, ip<TAB>count, ranges, DShield start/end rows and ASN-DROP lines (synthetic lines in the documented layouts)', () => {
    const text = [
      '#',
      '# firehol_level1',
      '# ipv4 hash:net ipset',
      '# Entries         : 2 subnets',
      '10.20.0.0/16',
      '10.20.30.0/24',
      '192.0.2.7\t12',
      '198.51.100.10 - 198.51.100.20',
      '203.0.113.0\t203.0.113.255\t24\t1024\tEXAMPLE-NET\tZZ\tabuse@example.net',
      'AS64500 ; ZZ | EXAMPLE-AS',
      'not-an-entry here',
    ].join('\n');
    const { entries, skipped } = parseBlocklist(text);
    expect(entries.map((entry) => entry.line)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(skipped).toEqual([{ line: 11, text: 'not-an-entry here' }]);
    const index = new BlocklistIndex([{ name: 'mixed', fetchedAt: null, entries }]);
    // The most specific entry of a list wins.
    expect(index.lookup('10.20.30.4')[0]?.entry).toBe('10.20.30.0/24');
    expect(index.lookup('10.20.31.4')[0]?.entry).toBe('10.20.0.0/16');
    expect(index.lookup('192.0.2.7')[0]?.entry).toBe('192.0.2.7 12');
    expect(index.lookup('198.51.100.20')[0]?.entry).toBe('198.51.100.10 - 198.51.100.20');
    expect(index.lookup('203.0.113.200')[0]?.entry).toContain('EXAMPLE-NET');
    expect(index.lookup('8.8.8.8', 64500)[0]?.entry).toBe('AS64500 ; ZZ | EXAMPLE-AS');
    expect(index.lookup('8.8.8.8', 64501)).toEqual([]);
  });

  it('the IPv4 fast path agrees with the general line parser on generated lines of every shape', () => {
    let state = 7;
    const next = (limit: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % limit;
    };
    const octet = (): string => [String(next(256)), String(next(300)), `0${next(10)}`, '00', ''][next(20) < 16 ? 0 : 1 + next(4)]!;
    const suffixes = ['', ' ; SBL123', ';x', '#c', ' # c', '\t12', '\t12\t', ' x', '\t1.2.3.4', '-1.2.3.9', ' - 1.2.3.9', '/', 'abc', '.5', ' 7 8'];
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const prefix = next(4) === 0 ? '' : `/${[String(next(33)), String(next(40)), '', '032'][next(10) < 8 ? 0 : 1 + next(3)]}`;
      const line = `${octet()}.${octet()}.${octet()}.${octet()}${prefix}${suffixes[next(suffixes.length)]}`.trim();
      const quick = parseIpv4Line(line);
      if (quick) {
        fast++;
        expect(quick, line).toEqual(parseLine(line));
      }
    }
    // The fast path takes the common shapes.
    expect(fast).toBeGreaterThan(2_000);
    expect(parseIpv4Line('1.4.0.0/17 ; SBL256893')).toEqual(parseLine('1.4.0.0/17 ; SBL256893'));
  });

  it('empty and garbage input give no entries and no exception', () => {
    expect(parseBlocklist('')).toEqual({ entries: [], skipped: [] });
    const garbage = parseBlocklist('\u0000\u0001\u0002\n999.1.1.1\n1.2.3.4/40\nAS99999999999\n<html>\n');
    expect(garbage.entries).toEqual([]);
    expect(garbage.skipped.map((line) => line.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the ends of the IPv4 space: /0, the last /24 and the last address', () => {
    const { entries } = parseBlocklist('0.0.0.0/0 ; everything\n255.255.255.0/24\n255.255.255.255\n0.0.0.0\n');
    const index = new BlocklistIndex([{ name: 'edges', fetchedAt: null, entries }]);
    expect(index.lookup('255.255.255.255')[0]?.entry).toBe('255.255.255.255');
    expect(index.lookup('255.255.255.254')[0]?.entry).toBe('255.255.255.0/24');
    expect(index.lookup('255.255.254.255')[0]?.entry).toBe('0.0.0.0/0 ; everything');
    expect(index.lookup('0.0.0.0')[0]?.entry).toBe('0.0.0.0');
    expect(index.lookup('0.0.0.1')[0]?.entry).toBe('0.0.0.0/0 ; everything');
  });

  it('the index equals a linear scan on random overlapping ranges (property)', () => {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let round = 0; round < 20; round++) {
      const lines: string[] = [];
      for (let i = 0; i < 60; i++) {
        const start = random(5000);
        const end = start + random(800);
        lines.push(`10.0.${start >> 8}.${start & 255} - 10.0.${end >> 8}.${end & 255}`);
      }
      const { entries } = parseBlocklist(lines.join('\n'));
      const index = new BlocklistIndex([{ name: 'r', fetchedAt: null, entries }]);
      for (let probe = 0; probe < 300; probe++) {
        const value = random(6000);
        const ip = `10.0.${value >> 8}.${value & 255}`;
        const covering = entries.filter((entry) => entry.range && entry.range.start <= BigInt(0x0a000000 + value) && BigInt(0x0a000000 + value) <= entry.range.end);
        const best = covering.sort((a, b) => Number(a.range!.end - a.range!.start - (b.range!.end - b.range!.start)) || a.line - b.line)[0];
        expect(index.lookup(ip)[0]?.entry).toBe(best?.text);
      }
    }
  });
});
