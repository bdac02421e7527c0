import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONNECTION_STATES, type Connection, type ConnectionState } from '../../src/model/connection.js';
import { forEachTallyGroup, tallyCapture } from '../../src/capture/tally-builder.js';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { splitSnapshots } from '../../src/capture/snapshots.js';
import { isWildcardAddress } from '../../src/net/ip.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/run-cli.js';

/** The oracle: each row's group key written out by hand from the Connection, counted in a Map. */
function expectedGroups(connections: readonly Connection[]): { groups: Map<string, { connections: number; idle: number }>; listening: number; listeners: number[] } {
  const groups = new Map<string, { connections: number; idle: number }>();
  const listeners = new Set<number>();
  let listening = 0;
  for (const c of connections) {
    const peer = c.state !== 'LISTEN' && ((c.remotePort !== null && c.remotePort !== 0) || !isWildcardAddress(c.remoteAddress));
    if (!peer) {
      listening++;
      if (c.state === 'LISTEN' && c.localPort !== null) listeners.add(c.localPort);
      continue;
    }
    const peerService = c.localPort !== null && c.remotePort !== null && c.remotePort < 1024 && c.localPort >= 1024;
    const key = JSON.stringify([c.remoteAddress, c.ipVersion, CONNECTION_STATES.indexOf(c.state), c.localPort, c.program || null, peerService]);
    const group = groups.get(key) ?? { connections: 0, idle: 0 };
    group.connections++;
    if (c.recvQ === 0 && c.sendQ === 0) group.idle++;
    groups.set(key, group);
  }
  return { groups, listening, listeners: [...listeners].sort((a, b) => a - b) };
}

function tallied(connections: Connection[]): ReturnType<typeof expectedGroups> & { states: number[]; connections: number } {
  const tally = tallyCapture({ info: { path: 't', sizeBytes: 0, sha256: '', format: 't', capturedAt: null, lines: 0, parsed: 0, skipped: 0 }, connections, diagnostics: [] });
  const groups = new Map<string, { connections: number; idle: number }>();
  forEachTallyGroup(tally, (row) => {
    const key = JSON.stringify([row.remote, row.ipVersion, row.state, row.localPort, row.program, row.peerService]);
    expect(groups.has(key)).toBe(false);
    groups.set(key, { connections: row.connections, idle: row.idle });
  });
  return { groups, listening: tally.totals.listening, listeners: tally.listenerPorts, states: tally.totals.states, connections: tally.totals.connections };
}

function checkAgainstOracle(connections: Connection[]): void {
  const expected = expectedGroups(connections);
  const got = tallied(connections);
  expect(got.groups).toEqual(expected.groups);
  expect(got.listening).toBe(expected.listening);
  expect(got.listeners).toEqual(expected.listeners);
  expect(got.connections + got.listening).toBe(connections.length);
  const states = CONNECTION_STATES.map((state) => connections.filter((c) => c.state === state).length);
  states[CONNECTION_STATES.indexOf('LISTEN')] = 0;
  // States count peer rows only (an unconnected UDP socket is listening, not a connection).
  const peerStates = new Array<number>(CONNECTION_STATES.length).fill(0);
  for (const [key, group] of expected.groups) peerStates[JSON.parse(key)[2] as number]! += group.connections;
  expect(got.states).toEqual(peerStates);
}

function captureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return captureFiles(path);
    return /\.(out|txt|gz|csv|json)$/.test(name) && !/SOURCE|expected/i.test(path) ? [path] : [];
  });
}

describe('snapshot tallies', () => {
  it('equal the row parser on every real capture and sample it reads', () => {
    const files = [...captureFiles(join(FIXTURES, 'real/jc')), ...captureFiles(join(FIXTURES, 'real/parse-netstat')), ...captureFiles(join(PROJECT_ROOT, 'samples/captures')), ...captureFiles(join(PROJECT_ROOT, 'samples/incident'))];
    let checked = 0;
    for (const path of files) {
      const raw = readFileSync(path);
      const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      let captures;
      try {
        captures = splitSnapshots(parseCaptureText(text, { file: path }));
      } catch {
        continue; // routes, interfaces, traceroutes: not captures
      }
      for (const capture of captures) {
        if (capture.connections.length === 0) continue;
        checkAgainstOracle(capture.connections);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('equal the rows on fuzzed connections (repeated keys, wildcards, queues, programs)', () => {
    const address = fc.constantFrom('10.0.0.1', '10.0.0.2', '::ffff:10.0.0.1', '2001:db8::1', '0.0.0.0', '::', '*', 'host.example');
    const port = fc.option(fc.constantFrom(0, 22, 80, 443, 1023, 1024, 40000, 65535), { nil: null });
    const queue = fc.option(fc.constantFrom(0, 1, 300), { nil: null });
    const row = fc.record({
      remoteAddress: address,
      remotePort: port,
      localPort: port,
      state: fc.constantFrom<ConnectionState>(...CONNECTION_STATES),
      recvQ: queue,
      sendQ: queue,
      program: fc.option(fc.constantFrom('', 'httpd', 'sshd'), { nil: null }),
      ipVersion: fc.constantFrom<4 | 6>(4, 6),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400 }), (rows) => {
        const connections: Connection[] = rows.map((r, index) => ({
          ...r,
          protocol: 'tcp',
          localAddress: '192.0.2.1',
          rawState: r.state,
          pid: null,
          source: { file: 'fuzz', line: index + 1 },
        }));
        checkAgainstOracle(connections);
      }),
      { numRuns: 200 },
    );
  });

  it('grow past their first index size with many distinct groups', () => {
    const connections: Connection[] = Array.from({ length: 5000 }, (_, i) => ({
      protocol: 'tcp', ipVersion: 4, localAddress: '192.0.2.1', localPort: 80 + (i % 7), remoteAddress: `10.${(i >> 8) & 255}.${i & 255}.${i % 3}`,
      remotePort: 50000, state: CONNECTION_STATES[i % 11]!, rawState: '', recvQ: i % 5, sendQ: 0, pid: null, program: null, source: { file: 'g', line: i + 1 },
    }));
    checkAgainstOracle([...connections, ...connections.slice(0, 2000)]);
  });
});
