// Trends: EWMA slopes per 10 minutes, alert texts, prefixes, bounded windows, rotation choice.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Connection } from '../../src/model/connection.js';
import { ewmaRisePer10Min, remotePrefix, SampleWindow, sampleFrom, trendAlerts, TOP_SERIES, type WatchSample } from '../../src/health/trend.js';
import { capturesToRotate } from '../../src/health/rotation.js';

const THRESHOLDS = { processRisePer10Min: 20, connectionsRisePer10Min: 200, prefixRisePer10Min: 100, swapPercent: 80, alpha: 0.5 };
const MINUTE = 60_000;

function sample(minute: number, httpd: number, swapPercent: number | null, connections = 0, prefixes: [string, number][] = []): WatchSample {
  return { timeMs: minute * MINUTE, connections, prefixes: new Map(prefixes), processes: new Map([['httpd', httpd], ['sshd', 1]]), swapPercent };
}

describe('EWMA rise', () => {
  it('a steady rise of 20 per 5 minutes is 40/10 min', () => {
    expect(ewmaRisePer10Min([{ timeMs: 0, value: 10 }, { timeMs: 5 * MINUTE, value: 30 }, { timeMs: 10 * MINUTE, value: 50 }], 0.5)).toBe(40);
  });
  it('weights recent slopes by alpha', () => {
    // slopes per 10 min: 0 then 100 -> 0.5*100 + 0.5*0 = 50
    expect(ewmaRisePer10Min([{ timeMs: 0, value: 10 }, { timeMs: 10 * MINUTE, value: 10 }, { timeMs: 20 * MINUTE, value: 110 }], 0.5)).toBe(50);
  });
  it('needs two points; ignores repeated timestamps', () => {
    expect(ewmaRisePer10Min([], 0.5)).toBeNull();
    expect(ewmaRisePer10Min([{ timeMs: 0, value: 1 }, { timeMs: 0, value: 9 }], 0.5)).toBeNull();
  });
  it('is finite for any series', () => {
    fc.assert(fc.property(fc.array(fc.record({ timeMs: fc.nat(1e12), value: fc.nat(1e6) }), { maxLength: 50 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (points, alpha) => {
      const rise = ewmaRisePer10Min([...points].sort((a, b) => a.timeMs - b.timeMs), alpha);
      if (rise !== null) expect(Number.isFinite(rise)).toBe(true);
    }));
  });
});

describe('alerts', () => {
  it('the issue example: "httpd processes rising 40/10 min, swap 92%"', () => {
    const alerts = trendAlerts([sample(0, 10, 50), sample(5, 30, 70), sample(10, 50, 92)], THRESHOLDS);
    expect(alerts.map((alert) => alert.text).join(', ')).toBe('httpd processes rising 40/10 min, swap 92%');
    expect(alerts.map((alert) => alert.key)).toEqual(['process:httpd', 'swap']);
  });
  it('one new process in two seconds is no trend, however steep its slope', () => {
    const seconds = (s: number, count: number): WatchSample => ({ ...sample(0, count, null), timeMs: s * 1000 });
    expect(trendAlerts([seconds(0, 0), seconds(2, 1)], THRESHOLDS)).toEqual([]);
    expect(trendAlerts([seconds(0, 0), seconds(2, 5)], THRESHOLDS).map((alert) => alert.key)).toEqual(['process:httpd']);
  });
  it('a flat series and low swap raise nothing; a prefix flood does', () => {
    expect(trendAlerts([sample(0, 10, 5), sample(10, 10, 5)], THRESHOLDS)).toEqual([]);
    const flood = trendAlerts([sample(0, 10, 5, 10, [['147.46.10.0/24', 0]]), sample(10, 10, 5, 410, [['147.46.10.0/24', 400]])], THRESHOLDS);
    expect(flood.map((alert) => alert.text)).toEqual(['connections rising 400/10 min (now 410)', 'connections from 147.46.10.0/24 rising 400/10 min (now 400)']);
  });
});

describe('samples', () => {
  const connection = (remoteAddress: string, state: Connection['state'] = 'ESTABLISHED'): Connection => ({
    protocol: 'tcp', ipVersion: remoteAddress.includes(':') ? 6 : 4, localAddress: '10.0.0.1', localPort: 80, remoteAddress, remotePort: 40000,
    state, rawState: '01', recvQ: 0, sendQ: 0, pid: null, program: null, source: { file: 'x', line: 1 },
  });
  it('counts non-listening connections per /24 and /48', () => {
    const built = sampleFrom(0, [connection('147.46.10.1'), connection('147.46.10.2'), connection('2001:db8:1:2::5'), connection('0.0.0.0', 'LISTEN')], [{ name: 'httpd', count: 3 }], 12);
    expect(built.connections).toBe(3);
    expect([...built.prefixes]).toEqual([['147.46.10.0/24', 2], ['2001:db8:1::/48', 1]]);
    expect(built.processes.get('httpd')).toBe(3);
  });
  it('remote prefixes: wildcards and garbage have none', () => {
    expect(remotePrefix('::ffff:147.46.1.2')).toBe('147.46.1.0/24');
    // RFC 5952, as every other prefix is printed: never 2001:db8:0::/48.
    expect(remotePrefix('2001:db8::1')).toBe('2001:db8::/48');
    expect(remotePrefix('2001:db8:7:9::1')).toBe('2001:db8:7::/48');
    expect(remotePrefix('2001:0:0:1::1')).toBe('2001::/48');
    expect(remotePrefix('*')).toBeNull();
    expect(remotePrefix('garbage')).toBeNull();
  });
  it('memory stays bounded: at most TOP_SERIES prefixes per sample and `size` samples per window', () => {
    const many = Array.from({ length: 500 }, (_, index) => connection(`198.51.${index % 256}.${1 + Math.floor(index / 256)}`));
    expect(sampleFrom(0, many, [], null).prefixes.size).toBe(TOP_SERIES);
    const window = new SampleWindow(6);
    for (let i = 0; i < 100; i++) window.push(sample(i, i, null));
    expect(window.all).toHaveLength(6);
    expect(window.all[0]!.timeMs).toBe(94 * MINUTE);
  });
});

describe('rotation choice', () => {
  const names = ['20261120T000000Z', '20261127T000000Z', '20261128T000000Z', '20261128T001000Z', '20261128T001000Z-2'];
  const now = Date.UTC(2026, 10, 28, 1, 0, 0);
  it('by count keeps the newest N', () => {
    expect(capturesToRotate(names, 3, null, now)).toEqual(['20261120T000000Z', '20261127T000000Z']);
  });
  it('by age drops everything older than max-age', () => {
    expect(capturesToRotate(names, 100, 7 * 24 * 3_600_000, now)).toEqual(['20261120T000000Z']);
  });
  it('never the capture just taken, however short max-age is', () => {
    expect(capturesToRotate(names, 100, 1, now, '20261128T001000Z-2')).toEqual(names.slice(0, 4));
  });
});
