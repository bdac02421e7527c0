// The resolver reads what a hostile server sent, byte for byte, and nothing past the end.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type * as dnsPacket from 'dns-packet';
import { DnsClient } from '../../../src/enrich/rdns/dns-client.js';
import { createReverseDnsBatch } from '../../../src/enrich/rdns/index.js';
import { parseServerAddress } from '../../../src/enrich/rdns/server-address.js';
import { decodeNamePresentation, walkRecords } from '../../../src/enrich/rdns/wire-records.js';
import type { RdnsResult } from '../../../src/model/attribution.js';
import { ptrRecord, responseTo, startDnsTestServer, type Responder, type TestDnsServer } from '../../support/dns-test-server.js';

const NAME = '1.113.0.203.in-addr.arpa';
const IP = '203.0.113.1';
const running: TestDnsServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function resolveWith(udp: Responder): Promise<RdnsResult> {
  const server = await startDnsTestServer(udp);
  running.push(server);
  const batch = createReverseDnsBatch({ resolvConfPath: '/nonexistent', env: {} });
  const results = await batch([IP], { servers: [server.server], timeoutMs: 500, retries: 0, cacheDir: null });
  return results.get(IP) as RdnsResult;
}

/** A PTR answer whose target name is written label by label from raw bytes. */
function rawPtrAnswer(query: dnsPacket.DecodedPacket, labels: Buffer[]): Buffer {
  const placeholder = responseTo(query, { answers: [ptrRecord(NAME, 'x.test')] });
  // Rebuild the PTR rdata by hand: dns-packet can only write UTF-8 labels.
  const rdata = Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), label])), Buffer.from([0])]);
  const walk = walkRecords(placeholder);
  if (!walk.ok) throw new Error(walk.reason);
  const record = walk.records[0]!;
  const head = Buffer.from(placeholder.subarray(0, record.rdataOffset));
  head.writeUInt16BE(rdata.length, record.rdataOffset - 2);
  return Buffer.concat([head, rdata, placeholder.subarray(record.rdataOffset + record.rdataLength)]);
}

describe('a PTR answer read from the wire', () => {
  it('record length past the end of the packet: refused as malformed, never ok', async () => {
    const result = await resolveWith(({ query, reply }) => {
      if (!query) return;
      const message = responseTo(query, { answers: [ptrRecord(NAME, 'liar.example.test')] });
      const walk = walkRecords(message);
      if (!walk.ok) throw new Error(walk.reason);
      // RDLENGTH 60,000 on the last record; dns-packet would still read the name that is there.
      message.writeUInt16BE(60_000, walk.records[0]!.rdataOffset - 2);
      reply(message);
    });
    expect(result.status).not.toBe('ok');
    expect(result.names).toEqual([]);
    expect(result.detail).toMatch(/past the end of the message/);
  });

  it('label bytes FF FE 80: reported as \\255\\254\\128, the bytes the server sent', async () => {
    const result = await resolveWith(({ query, reply }) => {
      if (query) reply(rawPtrAnswer(query, [Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('example'), Buffer.from('test')]));
    });
    expect(result.status).toBe('ok');
    expect(result.names).toEqual(['\\255\\254\\128.example.test']);
  });

  it('a dot, a backslash and an ESC inside a label stay escaped bytes', async () => {
    const result = await resolveWith(({ query, reply }) => {
      if (query) reply(rawPtrAnswer(query, [Buffer.from('a.b\\c\u001b'), Buffer.from('test')]));
    });
    expect(result.names).toEqual(['a\\046b\\092c\\027.test']);
  });

  it('decodeNamePresentation refuses pointer loops and names past the end', () => {
    const loop = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 12]);
    expect(decodeNamePresentation(loop, 12)).toBeNull();
    expect(decodeNamePresentation(Buffer.from([5, 0x61]), 0)).toBeNull();
    expect(decodeNamePresentation(Buffer.from([1, 0x61, 0]), 0)).toBe('a');
  });
});

describe('a DNS port with nothing listening', () => {
  it('one ICMP port-unreachable fails every query to that server at once, on every socket', async () => {
    // A port that was just free: nothing listens, the kernel answers ICMP port unreachable
    // for some datagrams and, rate-limited, stays silent for the others.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new DnsClient({ servers: [parseServerAddress(`127.0.0.1:${port}`)!], timeoutMs: 8_000, retries: 0, socketsPerServer: 4 });
    // The kernel rate-limits ICMP: after the first refusal the client must not wait for more.
    const started = Date.now();
    const first = await client.query(NAME, 'PTR');
    expect(first.kind).toBe('error');
    const rest = await Promise.all(Array.from({ length: 12 }, (_, index) => client.query(`${index + 2}.113.0.203.in-addr.arpa`, 'PTR')));
    await client.close();
    expect(rest.every((outcome) => outcome.kind === 'error' && /unreachable/.test(outcome.detail))).toBe(true);
    expect(client.stats.sent).toBe(1);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
