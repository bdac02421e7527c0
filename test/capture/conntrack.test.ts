// The conntrack formats on the real captures in ../shared/fixtures (conntrackr's nf_conntrack dump,
// nat-conntracker's bzip2 `conntrack -E -o xml` stream) and on lines written from conntrack-tools'
// documented output (no real `conntrack -L` text capture was at hand).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bunzip2Bytes } from '../../src/capture/decode-bytes.js';
import { parseConntrackLine } from '../../src/capture/conntrack-line.js';
import { parseCaptureText, runFormat } from '../../src/capture/parse-capture-text.js';
import { parseFlowElement } from '../../src/capture/parsers/conntrack-xml.js';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { findCaptureFormat } from '../../src/capture/registry.js';
import type { Connection } from '../../src/model/connection.js';
import { parseIpAddress } from '../../src/net/ip.js';
import { FIXTURES } from '../helpers/run-cli.js';

const CONNTRACKR = join(FIXTURES, 'real/conntrackr/conntrack-entry');
const NAT_EVENTS = join(FIXTURES, 'real/nat-conntracker/conntrack-events-sample.xml.bz2');
const io = { stdin: Readable.from([]), cwd: '/' };
const format = (name: string) => findCaptureFormat(name)!;

describe('nf-conntrack on conntrackr (a real /proc/net/nf_conntrack)', () => {
  // Expectations from conntrackr's SOURCE.md and its upstream test: 22 entries, 14 tcp
  // (10 ESTABLISHED, 4 TIME_WAIT) and 8 udp; first entry 172.25.111.120:34770 -> :2379.
  it('reads all 22 flows with their states, flags, mark and zone', async () => {
    const [capture] = await readCaptures([CONNTRACKR], io);
    expect(capture!.info.format).toBe('nf-conntrack');
    expect(capture!.diagnostics).toEqual([]);
    const connections = capture!.connections;
    expect(connections).toHaveLength(22);
    const tcp = connections.filter((c) => c.protocol === 'tcp');
    expect(tcp).toHaveLength(14);
    expect(tcp.filter((c) => c.state === 'ESTABLISHED')).toHaveLength(10);
    expect(tcp.filter((c) => c.state === 'TIME_WAIT')).toHaveLength(4);
    expect(tcp.every((c) => c.flow?.flags?.includes('assured'))).toBe(true);
    const udp = connections.filter((c) => c.protocol === 'udp');
    expect(udp).toHaveLength(8);
    expect(udp.every((c) => c.rawState === '' && c.flow?.flags === undefined)).toBe(true);
    const first = connections[0]!;
    expect(first).toMatchObject({ localAddress: '172.25.111.120', localPort: 34770, remoteAddress: '172.25.111.120', remotePort: 2379, state: 'ESTABLISHED', source: { line: 1 } });
    expect(first.flow).toMatchObject({ reply: { source: '172.25.111.120', sourcePort: 2379, destination: '172.25.111.120', destinationPort: 34770 }, mark: 0, zone: 0 });
    expect(connections.every((c) => c.flow?.packets === undefined && c.flow?.bytes === undefined)).toBe(true);
  });

  it('the node is the local side: its SNAT shows its address, its clients become remotes', async () => {
    // Line 14: 10.224.0.16 -> 100.100.2.138:53 answered to 172.25.111.120 (masquerade), so
    // 172.25.111.120 is the node's own address; 172.25.111.121 -> 172.25.111.120:2379 is a
    // client of the node's etcd and is turned round.
    const [capture] = await readCaptures([CONNTRACKR], io);
    const line2 = capture!.connections.find((c) => c.source.line === 2)!;
    expect(line2).toMatchObject({ localAddress: '172.25.111.120', localPort: 2379, remoteAddress: '172.25.111.121', remotePort: 41516 });
    expect(line2.flow?.reversed).toBe(true);
    const masqueraded = capture!.connections.find((c) => c.source.line === 14)!;
    expect(masqueraded).toMatchObject({ localAddress: '10.224.0.16', remoteAddress: '100.100.2.138', remotePort: 53 });
    expect(masqueraded.flow?.reversed).toBeUndefined();
  });
});

describe('conntrack-xml on nat-conntracker (a real bzip2 conntrack -E -o xml stream)', () => {
  const text = bunzip2Bytes(readFileSync(NAT_EVENTS), 'events', (message) => new Error(message)).toString('utf8');
  const flowLines = text.split('\n').filter((line) => line.startsWith('<flow'));

  it('every line is one <flow> event: 1,279 events, 342 new / 593 update / 344 destroy (SOURCE.md)', () => {
    const types = { new: 0, update: 0, destroy: 0 } as Record<string, number>;
    for (const line of flowLines) {
      const parsed = parseFlowElement(line);
      if ('reason' in parsed) throw new Error(parsed.reason);
      types[parsed.record.event!]! += 1;
    }
    expect(flowLines).toHaveLength(1279);
    expect(types).toEqual({ new: 342, update: 593, destroy: 344 });
  });

  it('reads the .bz2 file as it is and merges the events of each tcp/udp flow', async () => {
    const [capture] = await readCaptures([NAT_EVENTS], io);
    expect(capture!.info.format).toBe('conntrack-xml');
    const connections = capture!.connections;
    // Conservation: every tcp/udp event lands in exactly one connection's event count.
    const tcpUdpEvents = flowLines.filter((line) => /<meta direction="original">.*?protoname="(tcp|udp)"/.test(line)).length;
    expect(connections.reduce((sum, c) => sum + (c.flow?.events ?? 0), 0)).toBe(tcpUdpEvents);
    // The only skipped lines are icmp flows (portless: not connections), one per flow.
    expect(capture!.diagnostics.length).toBeGreaterThan(0);
    expect(capture!.diagnostics.every((d) => /^icmp flow/.test(d.reason))).toBe(true);
    expect(capture!.diagnostics.every((d) => flowLines[d.line - 3]!.includes('protoname="icmp"'))).toBe(true);
    // A flow that went SYN_SENT -> ... -> TIME_WAIT then destroy keeps its last state.
    expect(connections.some((c) => c.state === 'TIME_WAIT' && c.flow?.lastEvent === 'destroy')).toBe(true);
  });

  it('health checkers reaching the host on :80 are the remotes, the host is local', async () => {
    const [capture] = await readCaptures([NAT_EVENTS], io);
    const web = capture!.connections.filter((c) => c.localPort === 80 && c.protocol === 'tcp');
    expect(web.length).toBeGreaterThan(50);
    expect(web.every((c) => c.localAddress === '10.10.0.7' && c.flow?.reversed === true)).toBe(true);
    expect(new Set(web.map((c) => c.remoteAddress.split('.')[0]))).toEqual(new Set(['130', '35']));
  });
});

describe('conntrack text (conntrack -L / -E, written from conntrack-tools output)', () => {
  const parse = (text: string) => runFormat(format('conntrack'), text, 'ct.txt');

  it('an accounting line: packets and bytes per direction, NAT reply tuple, flags', () => {
    const line = 'tcp      6 431982 ESTABLISHED src=192.168.2.100 dst=198.51.100.17 sport=34846 dport=993 packets=169 bytes=14322 src=198.51.100.17 dst=203.0.113.2 sport=993 dport=34846 packets=113 bytes=34787 [ASSURED] mark=7 use=1';
    const { connections, diagnostics } = parse(line);
    expect(diagnostics).toEqual([]);
    expect(connections[0]).toMatchObject({
      protocol: 'tcp', ipVersion: 4, localAddress: '192.168.2.100', localPort: 34846, remoteAddress: '198.51.100.17', remotePort: 993, state: 'ESTABLISHED',
      flow: { reply: { source: '198.51.100.17', destination: '203.0.113.2', sourcePort: 993, destinationPort: 34846 }, flags: ['assured'], mark: 7, packets: { original: 169, reply: 113 }, bytes: { original: 14322, reply: 34787 } },
    });
  });

  it('an -E -o timestamp stream: the events of one flow become one connection with its last state', () => {
    const text = [
      '[1696000000.100000]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 [UNREPLIED] src=198.51.100.9 dst=203.0.113.2 sport=443 dport=40000',
      '[1696000000.180000]\t [UPDATE] tcp      6 60 SYN_RECV src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 src=198.51.100.9 dst=203.0.113.2 sport=443 dport=40000',
      '[1696000000.190000]\t [UPDATE] tcp      6 432000 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 src=198.51.100.9 dst=203.0.113.2 sport=443 dport=40000 [ASSURED]',
      '[1696000000.200000]\t    [NEW] udp      17 30 src=10.0.0.6 dst=198.51.100.53 sport=5353 dport=53 [UNREPLIED] src=198.51.100.53 dst=203.0.113.2 sport=53 dport=5353',
      '[1696000009.000000]\t[DESTROY] tcp      6 src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 src=198.51.100.9 dst=203.0.113.2 sport=443 dport=40000 [ASSURED]',
      'conntrack v1.4.6 (conntrack-tools): 5 flow events have been shown.',
    ].join('\n');
    const { connections, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(connections).toHaveLength(2);
    expect(connections[0]).toMatchObject({ state: 'ESTABLISHED', source: { line: 1 }, flow: { events: 4, lastEvent: 'destroy', flags: ['assured'] } });
    expect(connections[1]).toMatchObject({ protocol: 'udp', state: 'UNKNOWN', flow: { events: 1, lastEvent: 'new', flags: ['unreplied'] } });
  });

  it('IPv6 flows printed in full are canonical; icmp and broken lines are reported with their line', () => {
    const text = [
      'ipv6     10 tcp      6 300 ESTABLISHED src=2001:0db8:0000:0000:0000:0000:0000:0001 dst=2001:0db8:0000:0000:0000:0000:0000:0002 sport=5000 dport=22 src=2001:0db8:0000:0000:0000:0000:0000:0002 dst=2001:0db8:0000:0000:0000:0000:0000:0001 sport=22 dport=5000 [ASSURED] mark=0 zone=0 use=2',
      'icmp     1 29 src=10.0.0.5 dst=198.51.100.9 type=8 code=0 id=77 src=198.51.100.9 dst=10.0.0.5 type=0 code=0 id=77 mark=0 use=1',
      'tcp      6 300 ESTABLISHED src=10.0.0.5 dst=not-an-ip sport=1 dport=2 src=x dst=y sport=2 dport=1',
      'tcp      6 300 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=1 dport=2',
    ].join('\n');
    const parsed = runFormat(format('nf-conntrack'), text, 'ct.txt');
    expect(parsed.connections).toHaveLength(1);
    expect(parsed.connections[0]).toMatchObject({ ipVersion: 6, localAddress: '2001:db8::1', remoteAddress: '2001:db8::2', remotePort: 22 });
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([
      [2, 'icmp flow: only tcp and udp flows are connections'],
      [3, 'reply address is not an IP address'],
      [4, 'conntrack flow line without both original and reply src=/dst= groups'],
    ]);
  });

  it('parseConntrackLine refuses what is not a flow line', () => {
    expect(parseConntrackLine('Proto Recv-Q Send-Q Local Address')).toEqual({ reason: 'not a conntrack flow line (no protocol name and number)' });
    expect(parseConntrackLine('tcp 6 1 ESTABLISHED src=1.2.3.4 dst=1.2.3.5 sport=1 dport=2 src=1.2.3.5 dst=1.2.3.4 sport=2 dport=1 src=9.9.9.9')).toEqual({ reason: 'more than two src= groups' });
  });
});

describe('conntrack-xml variants', () => {
  it('a <flow> split over lines, counters, mark and zone; an unclosed one at the end is reported', () => {
    const text = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<conntrack>',
      '<flow><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>192.168.1.5</src><dst>198.51.100.4</dst></layer3>',
      '<layer4 protonum="6" protoname="tcp"><sport>41000</sport><dport>443</dport></layer4><counters><packets>12</packets><bytes>900</bytes></counters></meta>',
      '<meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>198.51.100.4</src><dst>203.0.113.2</dst></layer3><layer4 protonum="6" protoname="tcp"><sport>443</sport><dport>41000</dport></layer4><counters><packets>10</packets><bytes>7000</bytes></counters></meta>',
      '<meta direction="independent"><state>ESTABLISHED</state><timeout>431999</timeout><mark>3</mark><zone>1</zone><use>1</use><id>42</id><assured/></meta></flow>',
      '<flow><meta direction="original">',
    ].join('\n');
    const parsed = runFormat(format('conntrack-xml'), text, 'ct.xml');
    expect(parsed.connections).toHaveLength(1);
    expect(parsed.connections[0]).toMatchObject({ localAddress: '192.168.1.5', remoteAddress: '198.51.100.4', remotePort: 443, state: 'ESTABLISHED', source: { line: 3 }, flow: { mark: 3, zone: 1, flags: ['assured'], packets: { original: 12, reply: 10 }, bytes: { original: 900, reply: 7000 } } });
    expect(parsed.diagnostics.map((d) => [d.line, d.reason])).toEqual([[7, 'input ends inside a <flow> element']]);
  });

  it('a destroy event with only an id, for a flow never seen, is reported, not guessed', () => {
    const text = '<conntrack>\n<flow type="destroy"><meta direction="independent"><id>99</id></meta></flow>\n</conntrack>';
    const parsed = runFormat(format('conntrack-xml'), text, 'ct.xml');
    expect(parsed.connections).toEqual([]);
    expect(parsed.diagnostics[0]).toMatchObject({ line: 2, reason: 'destroy event for flow id 99 with no addresses, and no earlier event of that flow' });
  });
});

describe('gateway sides (--local-net)', () => {
  const sample = readFileSync(new URL('../../samples/captures/gateway-nf-conntrack.txt', import.meta.url), 'utf8');
  const remotes = (connections: Connection[]) => new Set(connections.map((c) => c.remoteAddress));

  it('the NAT gateway sample: remotes are the outside addresses, never the LAN or the router', () => {
    const capture = parseCaptureText(sample, { file: 'gw.txt' });
    expect(capture.diagnostics).toEqual([]);
    const seen = [...remotes(capture.connections)];
    expect(seen.some((ip) => ip.startsWith('147.46.'))).toBe(true);
    expect(seen.filter((ip) => ip.startsWith('192.168.') || ip === '203.0.113.10')).toEqual([]);
    // The port-forwarded web flows are local on the router's public address and port 80.
    const inbound = capture.connections.filter((c) => c.remoteAddress.startsWith('147.46.'));
    expect(inbound.every((c) => c.localAddress === '203.0.113.10' && c.localPort === 80 && c.flow?.reversed)).toBe(true);
    // The admin's SSH to the router itself has no NAT: the router's address is learnt from the others.
    expect(capture.connections.find((c) => c.remoteAddress === '198.51.100.77')).toMatchObject({ localAddress: '203.0.113.10', localPort: 22 });
  });

  it('explicit --local-net replaces the private ranges; without the router address learnt, outside-to-outside stays as printed', () => {
    const line = 'ipv4     2 tcp      6 300 ESTABLISHED src=198.51.100.5 dst=198.51.100.200 sport=5000 dport=443 src=198.51.100.200 dst=198.51.100.5 sport=443 dport=5000 [ASSURED] mark=0 zone=0 use=2';
    expect(parseCaptureText(line, { file: 'x' }).connections[0]).toMatchObject({ localAddress: '198.51.100.5', remoteAddress: '198.51.100.200' });
    const inside = parseCaptureText(line, { file: 'x', localNets: ['198.51.100.200/32'] }).connections[0]!;
    expect(inside).toMatchObject({ localAddress: '198.51.100.200', localPort: 443, remoteAddress: '198.51.100.5', remotePort: 5000, flow: { reversed: true } });
  });

  it('a bad --local-net is a usage error naming it', () => {
    expect(() => parseCaptureText('tcp 6 1 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', { file: 'x', localNets: ['10.0.0.0/33'] })).toThrowError(/--local-net '10.0.0.0\/33'/);
  });
});

describe('conntrack parsers: generated flows read back (property)', () => {
  const flowArb = fc.record({
    protocol: fc.constantFrom('tcp', 'udp'),
    state: fc.constantFrom('ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'TIME_WAIT', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSE'),
    v6: fc.boolean(),
    source: fc.ipV4(), destination: fc.ipV4(), natTo: fc.ipV4(),
    source6: fc.ipV6(), destination6: fc.ipV6(),
    sourcePort: fc.integer({ min: 1, max: 65535 }), destinationPort: fc.integer({ min: 1, max: 65535 }),
    counters: fc.option(fc.tuple(fc.nat(1e9), fc.nat(1e12), fc.nat(1e9), fc.nat(1e12)), { nil: undefined }),
    assured: fc.boolean(), mark: fc.nat(2 ** 31), zone: fc.nat(65535),
  });
  type Flow = typeof flowArb extends fc.Arbitrary<infer T> ? T : never;
  const ends = (flow: Flow) => flow.v6 ? { src: flow.source6, dst: flow.destination6, nat: flow.destination6 } : { src: flow.source, dst: flow.destination, nat: flow.natTo };
  const canonical = (text: string) => parseIpAddress(text)!.text;

  function procLine(flow: Flow): string {
    const { src, dst, nat } = ends(flow);
    const counters = (packets: number, bytes: number) => (flow.counters ? `packets=${packets} bytes=${bytes} ` : '');
    const [op = 0, ob = 0, rp = 0, rb = 0] = flow.counters ?? [];
    return `${flow.v6 ? 'ipv6     10' : 'ipv4     2'} ${flow.protocol.padEnd(8)} ${flow.protocol === 'tcp' ? 6 : 17} 300 ${flow.protocol === 'tcp' ? `${flow.state} ` : ''}`
      + `src=${src} dst=${dst} sport=${flow.sourcePort} dport=${flow.destinationPort} ${counters(op, ob)}`
      + `src=${dst} dst=${nat} sport=${flow.destinationPort} dport=${flow.sourcePort} ${counters(rp, rb)}${flow.assured ? '[ASSURED] ' : ''}mark=${flow.mark} zone=${flow.zone} use=2`;
  }

  function check(connection: Connection, flow: Flow): void {
    const { src, dst, nat } = ends(flow);
    expect(connection).toMatchObject({ protocol: flow.protocol, ipVersion: parseIpAddress(src)!.version, localAddress: canonical(src), localPort: flow.sourcePort, remoteAddress: canonical(dst), remotePort: flow.destinationPort });
    expect(connection.flow!.reply).toEqual({ source: canonical(dst), sourcePort: flow.destinationPort, destination: canonical(nat), destinationPort: flow.sourcePort });
    if (flow.counters) expect(connection.flow).toMatchObject({ packets: { original: flow.counters[0], reply: flow.counters[2] }, bytes: { original: flow.counters[1], reply: flow.counters[3] } });
    else expect(connection.flow!.packets).toBeUndefined();
    if (flow.protocol === 'tcp') expect(connection.rawState).toBe(flow.state);
  }

  it('nf_conntrack lines: every field comes back, one connection per line, nothing skipped', () => {
    fc.assert(fc.property(fc.array(flowArb, { minLength: 1, maxLength: 8 }), (flows) => {
      const parsed = runFormat(format('nf-conntrack'), flows.map(procLine).join('\n'), 'gen');
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.connections).toHaveLength(flows.length);
      flows.forEach((flow, index) => check(parsed.connections[index]!, flow));
    }), { numRuns: 150 });
  });

  it('XML -E events: each flow once, however its events interleave with others', () => {
    const element = (flow: Flow, type: string, state: string) => {
      const { src, dst, nat } = ends(flow);
      const l3 = flow.v6 ? '<layer3 protonum="10" protoname="ipv6">' : '<layer3 protonum="2" protoname="ipv4">';
      const l4 = `<layer4 protonum="${flow.protocol === 'tcp' ? 6 : 17}" protoname="${flow.protocol}">`;
      const meta = (direction: string, a: string, b: string, pa: number, pb: number, counters: string) => `<meta direction="${direction}">${l3}<src>${a}</src><dst>${b}</dst></layer3>${l4}<sport>${pa}</sport><dport>${pb}</dport></layer4>${counters}</meta>`;
      const [op = 0, ob = 0, rp = 0, rb = 0] = flow.counters ?? [];
      const counters = (packets: number, bytes: number) => (flow.counters ? `<counters><packets>${packets}</packets><bytes>${bytes}</bytes></counters>` : '');
      return `<flow type="${type}">${meta('original', src, dst, flow.sourcePort, flow.destinationPort, counters(op, ob))}${meta('reply', dst, nat, flow.destinationPort, flow.sourcePort, counters(rp, rb))}<meta direction="independent">${flow.protocol === 'tcp' ? `<state>${state}</state>` : ''}<mark>${flow.mark}</mark><zone>${flow.zone}</zone>${flow.assured ? '<assured/>' : ''}</meta></flow>`;
    };
    fc.assert(fc.property(fc.uniqueArray(flowArb, { minLength: 1, maxLength: 6, selector: (flow) => `${flow.protocol}|${procLine(flow).split(' src=')[1]}|${flow.zone}` }), fc.infiniteStream(fc.nat(1000)), (flows, picks) => {
      const queues = flows.map((flow) => [element(flow, 'new', 'SYN_SENT'), element(flow, 'update', 'SYN_RECV'), element(flow, 'update', flow.state)]);
      const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<conntrack>'];
      const pick = picks[Symbol.iterator]();
      while (queues.some((queue) => queue.length > 0)) {
        const open = queues.filter((queue) => queue.length > 0);
        lines.push(open[pick.next().value % open.length]!.shift()!);
      }
      lines.push('</conntrack>');
      const parsed = runFormat(format('conntrack-xml'), lines.join('\n'), 'gen');
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.connections).toHaveLength(flows.length);
      for (const flow of flows) {
        const { src } = ends(flow);
        const found = parsed.connections.filter((c) => c.localAddress === canonical(src) && c.localPort === flow.sourcePort && c.protocol === flow.protocol && c.flow?.zone === flow.zone && c.remotePort === flow.destinationPort && c.remoteAddress === canonical(ends(flow).dst));
        expect(found).toHaveLength(1);
        check(found[0]!, flow);
        expect(found[0]!.flow).toMatchObject({ events: 3, lastEvent: 'update' });
      }
    }), { numRuns: 100 });
  });
});
