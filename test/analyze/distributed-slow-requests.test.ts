// distributed-slow-requests over the incident samples (parsed with the real netstat parser,
// attributed with the embedded data) and over constructed captures at its thresholds.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/index.js';
import { openGeo } from '../../src/enrich/geo/index.js';
import type { IpAttribution } from '../../src/model/attribution.js';
import type { Capture } from '../../src/model/connection.js';
import { capture, conn, input, readSample } from './helpers.js';

const KIND = 'distributed-slow-requests';
const SAMPLES = ['distributed-slowloris.txt', 'busy-healthy.txt', 'baseline.txt', 'syn-flood.txt', 'port-scan.txt', 'incident-01.txt', 'incident-04.txt'];
const samples = new Map<string, Capture>();
let attributions: Map<string, IpAttribution>;

beforeAll(async () => {
  for (const name of SAMPLES) samples.set(name, readSample(name));
  const ips = new Set([...samples.values()].flatMap((capture) => capture.connections.map((connection) => connection.remoteAddress)));
  const geo = await openGeo({ env: {}, cacheDir: null, systemGeoDirs: [] });
  try {
    attributions = new Map([...ips].sort().map((ip) => [ip, geo.lookup(ip)]));
  } finally {
    geo.close();
  }
});

const indicatorsOf = (name: string, options = {}) => analyze(input([samples.get(name)!], { attributions, options })).indicators;

describe('distributed-slow-requests', () => {
  it('fires on 47 Korean addresses holding 8-10 idle sockets each, which no per-address indicator sees', () => {
    const indicators = indicatorsOf('distributed-slowloris.txt');
    const finding = indicators.find((indicator) => indicator.kind === KIND);
    expect(finding).toBeDefined();
    expect(finding!.severity).toBe('high');
    expect(finding!.evidence.figures.maxIdlePerRemote).toBeLessThanOrEqual(10);
    expect(finding!.evidence.figures.idleConnections).toBeGreaterThanOrEqual(400);
    expect(finding!.evidence.figures.shareOfWebConnections).toBeGreaterThan(0.9);
    // It names the networks and how many addresses each holds: Seoul National University first.
    expect(finding!.summary).toContain('AS9488 Seoul National University (KR): 15 addresses');
    expect(finding!.summary).toContain('spread thin');
    for (const kind of ['idle-established', 'connection-flood']) expect(indicators.map((indicator) => indicator.kind)).not.toContain(kind);
  });

  it.each(['busy-healthy.txt', 'baseline.txt', 'syn-flood.txt', 'port-scan.txt'])('stays quiet on %s (not a slow-request attack)', (name) => {
    expect(indicatorsOf(name).map((indicator) => indicator.kind)).not.toContain(KIND);
  });

  it('fires on the big incident snapshot too, and says the sockets are not spread thin there', () => {
    const finding = indicatorsOf('incident-04.txt').find((indicator) => indicator.kind === KIND);
    expect(finding?.summary).toContain('together past');
    expect(indicatorsOf('incident-01.txt').map((indicator) => indicator.kind)).not.toContain(KIND);
  });

  it('follows slowIdleTotal and slowIdleShare', () => {
    expect(indicatorsOf('distributed-slowloris.txt', { slowIdleTotal: 500 }).map((indicator) => indicator.kind)).not.toContain(KIND);
    expect(indicatorsOf('distributed-slowloris.txt', { slowIdleShare: 0.95 }).map((indicator) => indicator.kind)).not.toContain(KIND);
    const finding = indicatorsOf('distributed-slowloris.txt', { slowIdleTotal: 400 }).find((indicator) => indicator.kind === KIND);
    expect(finding?.thresholds).toEqual({ slowIdleTotal: 400, slowIdleShare: 0.5 });
  });

  it('counts only idle ESTABLISHED sockets on web ports, at exactly the threshold', () => {
    const idle = Array.from({ length: 100 }, (_, index) => conn(`198.51.100.${(index % 50) + 1}`));
    const busy = Array.from({ length: 100 }, (_, index) => conn(`203.0.113.${(index % 50) + 1}`, { sendQ: 1448 }));
    const closing = Array.from({ length: 100 }, (_, index) => conn(`192.0.2.${(index % 50) + 1}`, { state: 'TIME_WAIT' }));
    const ssh = Array.from({ length: 300 }, (_, index) => conn(`198.18.0.${(index % 50) + 1}`, { localPort: 22 }));
    const kinds = (connections: ReturnType<typeof conn>[]) => analyze(input([capture('constructed', connections)])).indicators.map((indicator) => indicator.kind);
    expect(kinds([...idle, ...busy])).toContain(KIND); // 100 idle of 200 web: 50%
    expect(kinds([...idle, ...busy, ...closing])).not.toContain(KIND); // 100 of 300: 33%
    expect(kinds([...idle.slice(1), ...ssh])).not.toContain(KIND); // 99 idle: below 100; ssh is no web port
    expect(kinds([...idle, ...ssh])).toContain(KIND);
  });
});
