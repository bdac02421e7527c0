// Every real netstat/ss//proc capture in ../shared/fixtures/real/jc against jc's own parse:
// same sockets, in order, with the same protocol, addresses, ports and state.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../src/capture/parse-capture-text.js';
import { servicePort } from '../../src/capture/service-ports.js';
import { normaliseState, procStateCode } from '../../src/capture/states.js';
import { normaliseAddress } from '../../src/net/endpoint.js';
import { UserError } from '../../src/errors.js';
import { FIXTURES } from '../helpers/run-cli.js';

const JC = join(FIXTURES, 'real/jc');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const captures = walk(JC).filter((path) => /\/(netstat[^/]*|ss-[^/]*)\.out$|\/net_tcp$/.test(path)).sort();
const isRouteOrInterface = (path: string) => /\/netstat-(r|i)[a-z]*\.out$/.test(path);
const EXPECTED_FORMAT: [RegExp, string][] = [
  [/net_tcp$/, 'proc-net'], [/\/ss-/, 'ss'], [/windows/, 'netstat-windows'], [/osx/, 'netstat-bsd'], [/netstat/, 'netstat-linux'],
];

type JcRecord = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value));

function expectedPort(printed: unknown, number: unknown): number | null {
  if (typeof number === 'number') return number;
  const text = str(printed);
  if (text === undefined || text === '*') return null;
  if (/^\d+$/.test(text)) return Number(text);
  return servicePort(text);
}

function expectedAddress(printed: unknown): string {
  const text = (str(printed) ?? '').replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return normaliseAddress(text).address;
}

/** jc record -> the fields we share, or null for rows that are not tcp/udp sockets. */
function project(record: JcRecord, proc: boolean) {
  if (proc) {
    return {
      protocol: 'tcp', localAddress: expectedAddress(record['local_address']), localPort: record['local_port'],
      remoteAddress: expectedAddress(record['remote_address']), remotePort: record['remote_port'], state: procStateCode(str(record['state']) ?? ''),
    };
  }
  const netid = str(record['netid']);
  const proto = (str(record['proto']) ?? netid ?? '').toLowerCase().replace(/(4|6|46)$/, '');
  if (proto !== 'tcp' && proto !== 'udp') return null;
  if (record['kind'] !== undefined && record['kind'] !== 'network') return null;
  const remoteAddress = record['foreign_address'] ?? record['peer_address'];
  const remotePort = record['foreign_port'] ?? record['peer_port'];
  const state = str(record['state']);
  return {
    protocol: proto,
    localAddress: expectedAddress(record['local_address']),
    localPort: expectedPort(record['local_port'], record['local_port_num']),
    remoteAddress: expectedAddress(remoteAddress),
    remotePort: expectedPort(remotePort, record['foreign_port_num'] ?? record['peer_port_num']),
    state: state === undefined || state === '' ? 'UNKNOWN' : normaliseState(state),
  };
}

describe('real captures vs jc', () => {
  it('finds the fixtures', () => {
    expect(captures.length).toBeGreaterThanOrEqual(25);
  });

  for (const path of captures) {
    const name = relative(JC, path);
    const text = readFileSync(path, 'latin1');
    if (isRouteOrInterface(path)) {
      it(`${name}: refused as a route/interface table`, () => {
        expect(() => parseCaptureText(text, { file: name })).toThrowError(UserError);
        expect(() => parseCaptureText(text, { file: name })).toThrowError(/(routing|interface) table/);
      });
      continue;
    }
    it(`${name}: same sockets as jc`, () => {
      const jc = JSON.parse(readFileSync(path.replace(/\.out$/, '') + '.json', 'utf8')) as JcRecord[];
      const proc = name.endsWith('net_tcp');
      const expected = jc.map((record) => project(record, proc)).filter((row) => row !== null);
      const capture = parseCaptureText(text, { file: name });
      const format = EXPECTED_FORMAT.find(([pattern]) => pattern.test(path))?.[1];
      expect(capture.info.format).toBe(format);
      const actual = capture.connections.map((c) => ({
        protocol: c.protocol, localAddress: c.localAddress, localPort: c.localPort,
        remoteAddress: c.remoteAddress, remotePort: c.remotePort, state: c.state,
      }));
      expect(actual).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      for (const connection of capture.connections) expect(connection.source.file).toBe(name);
    });
  }
});
