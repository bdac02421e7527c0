// Table-driven over every real trace capture in ../shared/fixtures/real/.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceHop, TraceProbe } from '../../../src/model/trace.js';
import { parseIpAddress } from '../../../src/net/ip.js';
import { readTraceFile } from '../../../src/trace/read.js';
import { FIXTURES } from '../../helpers/run-cli.js';

const REAL = join(FIXTURES, 'real');
const canonical = (ip: string | null) => (ip === null ? null : (parseIpAddress(ip)?.text ?? ip));
const answered = (hop: TraceHop | undefined): TraceProbe[] => (hop?.probes ?? []).filter((probe) => probe.rttMs !== null);

interface JcProbe { annotation: string | null; asn: number | null; ip: string | null; name: string | null; rtt: number | null }
interface JcTrace { destination_ip: string | null; destination_name: string | null; hops: { hop: number; probes: JcProbe[] }[] }

const JC_TRACEROUTES = ['centos-7.7', 'generic', 'osx-10.14.6'].flatMap((dir) =>
  readdirSync(join(REAL, 'jc', dir)).filter((file) => /^traceroute.*\.out$/.test(file)).map((file) => join('jc', dir, file)),
);

describe('jc traceroute fixtures (same hops, addresses, names, RTTs, AS, annotations)', () => {
  it('finds all of them', () => expect(JC_TRACEROUTES.length).toBeGreaterThanOrEqual(14));
  it.each(JC_TRACEROUTES)('%s', async (relative) => {
    const expected = JSON.parse(readFileSync(join(REAL, relative.replace(/\.out$/, '.json')), 'utf8')) as JcTrace;
    const result = await readTraceFile(join(REAL, relative));
    expect(result.format).toBe('traceroute');
    expect(result.diagnostics).toEqual([]);
    expect(result.paths).toHaveLength(1);
    const path = result.paths[0]!;
    expect(path.target.ip).toBe(canonical(expected.destination_ip));
    // We keep a name only when it differs from the address ('traceroute to 8.8.8.8 (8.8.8.8)').
    expect(path.target.name).toBe(expected.destination_name === expected.destination_ip ? null : expected.destination_name);
    expect(path.hops.map((hop) => hop.ttl)).toEqual(expected.hops.map((hop) => hop.hop));
    for (const jcHop of expected.hops) {
      const ours = answered(path.hops.find((hop) => hop.ttl === jcHop.hop));
      expect(ours.map((probe) => probe.rttMs), `hop ${jcHop.hop} rtts`).toEqual(jcHop.probes.map((probe) => probe.rtt));
      expect(ours.map((probe) => probe.annotation), `hop ${jcHop.hop} annotations`).toEqual(jcHop.probes.map((probe) => probe.annotation));
      expect(ours.map((probe) => probe.asn), `hop ${jcHop.hop} asn`).toEqual(jcHop.probes.map((probe) => probe.asn));
      expect(ours.map((probe) => probe.ip), `hop ${jcHop.hop} ips`).toEqual(jcHop.probes.map((probe) => canonical(probe.ip)));
      // jc repeats the address as the name for 'ip (ip)'; and reads 'Internal (Internal)' (generic/traceroute5)
      // as no name at all, where we keep the printed name.
      const names = jcHop.probes.map((probe) => (probe.ip === null && probe.name === null ? 'Internal' : probe.name === probe.ip ? null : probe.name));
      expect(ours.map((probe) => probe.name), `hop ${jcHop.hop} names`).toEqual(names);
    }
    const lastAnswer = [...path.hops].reverse().find((hop) => answered(hop).length > 0);
    const destinationAnswered = expected.destination_ip !== null && answered(lastAnswer).some((probe) => probe.ip === canonical(expected.destination_ip));
    expect(path.reached).toBe(destinationAnswered);
  });
});

interface JcTracepath { hops: { ttl: number; host: string | null; reply_ms: number | null; reached: boolean }[] }

describe('jc tracepath fixture', () => {
  it('centos-7.7/tracepath.out: one probe per line, no-reply hops silent', async () => {
    const expected = JSON.parse(readFileSync(join(REAL, 'jc/centos-7.7/tracepath.json'), 'utf8')) as JcTracepath;
    const result = await readTraceFile(join(REAL, 'jc/centos-7.7/tracepath.out'));
    expect(result.format).toBe('tracepath');
    expect(result.diagnostics).toEqual([]);
    const path = result.paths[0]!;
    const probeLines = expected.hops.filter((hop) => hop.host !== '[LOCALHOST]');
    const ttls = [...new Set(probeLines.map((hop) => hop.ttl))].sort((a, b) => a - b);
    expect(path.hops.map((hop) => hop.ttl)).toEqual(ttls);
    for (const ttl of ttls) {
      const lines = probeLines.filter((hop) => hop.ttl === ttl && hop.host !== null);
      const ours = answered(path.hops.find((hop) => hop.ttl === ttl));
      expect(ours.map((probe) => [probe.ip ?? probe.name, probe.rttMs]), `ttl ${ttl}`).toEqual(lines.map((hop) => [hop.host, hop.reply_ms]));
    }
    expect(path.reached).toBe(expected.hops.some((hop) => hop.reached));
  });
});

interface RichResponder { host: string; loss: number | null; avg_rtt: number; min_rtt: number; max_rtt: number }
interface RichExpected { fixture: string; upstream_parser_class: string; hops: Record<string, RichResponder[]> }

const RICH_FORMATS: Record<string, string> = {
  LinuxParser: 'traceroute', BSDParser: 'traceroute', MTRParser: 'mtr-report', MTRJSONParser: 'mtr-json', IOSXRParser: 'iosxr',
  JunOSParser: 'mtr-report', WindowsParser: 'tracert', WinMTRParser: 'winmtr', TracepathParser: 'tracepath',
};
const RICH = readdirSync(join(REAL, 'rich-traceroute', 'expected')).filter((file) => file.endsWith('.json'));

/** Distinct responders of a hop (by address, else printed name) with their RTT stats. */
function responders(hop: TraceHop | undefined) {
  const groups = new Map<string, TraceProbe[]>();
  for (const probe of hop?.probes ?? []) {
    const host = probe.ip ?? probe.name;
    if (host === null || probe.rttMs === null) continue;
    groups.set(host, [...(groups.get(host) ?? []), probe]);
  }
  return [...groups].map(([host, probes]) => {
    const rtts = probes.map((probe) => probe.rttMs as number);
    return { host, probes, min: Math.min(...rtts), max: Math.max(...rtts), avg: Math.round((rtts.reduce((a, b) => a + b, 0) / rtts.length) * 1000) / 1000 };
  });
}

describe('rich-traceroute fixtures (expected hop tables)', () => {
  it('finds all of them', () => expect(RICH.length).toBe(19));
  it.each(RICH)('%s', async (expectedFile) => {
    const expected = JSON.parse(readFileSync(join(REAL, 'rich-traceroute', 'expected', expectedFile), 'utf8')) as RichExpected;
    const result = await readTraceFile(join(REAL, 'rich-traceroute', expected.fixture));
    expect(Object.values(RICH_FORMATS)).toContain(result.format);
    if (expected.upstream_parser_class in RICH_FORMATS) expect(result.format).toBe(RICH_FORMATS[expected.upstream_parser_class]);
    expect(result.paths).toHaveLength(1);
    const path = result.paths[0]!;
    expect(path.hops.map((hop) => String(hop.ttl))).toEqual(Object.keys(expected.hops).sort((a, b) => Number(a) - Number(b)));
    for (const [ttl, wanted] of Object.entries(expected.hops)) {
      const ours = responders(path.hops.find((hop) => String(hop.ttl) === ttl));
      expect(ours.map((responder) => responder.host), `hop ${ttl} responders`).toEqual(wanted.map((responder) => canonical(responder.host)));
      wanted.forEach((responder, index) => {
        const mine = ours[index]!;
        if (responder.loss === null) {
          expect([mine.min, mine.max], `hop ${ttl} rtt`).toEqual([responder.min_rtt, responder.max_rtt]);
          // Upstream rounds 12.9095 to 12.909 (float truncation); agree to the millisecond's thousandth.
          expect(Math.abs(mine.avg - responder.avg_rtt), `hop ${ttl} avg`).toBeLessThanOrEqual(0.0011);
        } else {
          const probe = mine.probes[0]!;
          expect([probe.lossPct, probe.rttMs, probe.rttBestMs, probe.rttWorstMs], `hop ${ttl} mtr stats`).toEqual([responder.loss, responder.avg_rtt, responder.min_rtt, responder.max_rtt]);
        }
      });
    }
  });
});

describe('French tracert fixtures (facts from the fixtures README)', () => {
  it('trparse/windows_self.txt: one hop, myhost 127.0.0.1, all <1 ms', async () => {
    const result = await readTraceFile(join(REAL, 'trparse/windows_self.txt'));
    expect(result.format).toBe('tracert');
    expect(result.diagnostics).toEqual([]);
    const path = result.paths[0]!;
    expect(path.target).toEqual({ ip: '127.0.0.1', name: 'myhost' });
    expect(path.hops).toHaveLength(1);
    expect(path.hops[0]!.probes.map((probe) => [probe.ip, probe.name, probe.rttMs])).toEqual([['127.0.0.1', 'myhost', 0], ['127.0.0.1', 'myhost', 0], ['127.0.0.1', 'myhost', 0]]);
    expect(path.reached).toBe(true);
  });

  it('win32-tracert/trace_tracert.txt (Windows-1252): 28 hops, hop 18 timed out, destination reached at 27 and 28', async () => {
    const result = await readTraceFile(join(REAL, 'win32-tracert/trace_tracert.txt'));
    expect(result.format).toBe('tracert');
    expect(result.diagnostics).toEqual([]);
    const path = result.paths[0]!;
    expect(path.target).toEqual({ ip: '68.178.254.85', name: 'lacuna.com' });
    expect(path.hops.map((hop) => hop.ttl)).toEqual(Array.from({ length: 28 }, (_, index) => index + 1));
    expect(path.hops[17]!.probes.every((probe) => probe.ip === null)).toBe(true);
    expect(path.hops[17]!.probes).toHaveLength(3);
    for (const ttl of [27, 28]) expect(path.hops[ttl - 1]!.probes.every((probe) => probe.ip === '68.178.254.85' && probe.name === 'p3slh015.shr.phx3.secureserver.net')).toBe(true);
    expect(path.hops.filter((hop) => hop.probes.some((probe) => probe.ip === '68.178.254.85')).map((hop) => hop.ttl)).toEqual([27, 28]);
    expect(path.reached).toBe(true);
    expect(path.hops[4]!.probes.map((probe) => probe.rttMs)).toEqual([1, 1, 0]);
  });
});
