// The wire reader on answers recorded from a real authoritative server (knot, with
// test/support/test-zone.ts): each plain one is read exactly as the full decoder reads
// it; CNAME chains and truncated answers are left to the full decoder.
import { createSocket } from 'node:dgram';
import { describe, expect, inject, it } from 'vitest';
import type { RecordType } from 'dns-packet';
import { encodeQuery } from '../../../src/enrich/rdns/dns-client.js';
import { readFastAnswer, TYPE_A, TYPE_AAAA, TYPE_PTR } from '../../../src/enrich/rdns/fast-answer.js';
import { reverseNameFor } from '../../../src/enrich/rdns/reverse-name.js';
import { parseServerAddress } from '../../../src/enrich/rdns/server-address.js';
import { parseIpAddress } from '../../../src/net/ip.js';
import { canonical, fullReading } from '../../support/fast-answer-oracle.js';
import { ZONE_ADDRESSES as Z } from '../../support/test-zone.js';

const dnsServer = inject('dnsServer');
const TYPE_CODES: Record<string, number> = { PTR: TYPE_PTR, A: TYPE_A, AAAA: TYPE_AAAA };

/** knot's answer to one question, as bytes. */
async function record(name: string, type: RecordType): Promise<Buffer> {
  const server = parseServerAddress(dnsServer as string);
  if (!server) throw new Error('no server');
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${name} ${type}`)), 3000);
      socket.once('message', (message: Buffer) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(encodeQuery(0x4242, name, type, true), server.port, server.host);
    });
  } finally {
    socket.close();
  }
}

const ptr = (ip: string): [string, RecordType] => [reverseNameFor(parseIpAddress(ip)!), 'PTR'];
const plain: [string, [string, RecordType]][] = [
  ['one PTR', ptr(Z.confirmed)],
  ['two PTRs', ptr(Z.multiple)],
  ['NXDOMAIN', ptr(Z.nxdomain)],
  ['NODATA (a TXT only)', ptr(Z.nodata)],
  ['control characters in the PTR name', ptr(Z.controlChars)],
  ['markdown characters', ptr(Z.markdown)],
  ['HTML', ptr(Z.html)],
  ['a 255-octet PTR name', ptr(Z.longName)],
  ['NUL and newline', ptr(Z.nulNewline)],
  ['IPv6 PTR', ptr(Z.v6confirmed)],
  ['IPv6 NXDOMAIN', ptr(Z.v6nxdomain)],
  ['A', ['host1.example.test', 'A']],
  ['AAAA', ['v6host.example.test', 'AAAA']],
  ['A that does not exist', ['gone.example.test', 'A']],
  ['REFUSED: a name outside every zone', [`${'a'.repeat(20)}.outside.invalid`, 'A']],
];
const unusual: [string, [string, RecordType]][] = [
  ['RFC 2317 CNAME then PTR', ptr(Z.rfc2317)],
  ['CNAME into another zone', ptr(Z.crossZoneCname)],
  ['CNAME loop', ptr(Z.cnameLoop)],
  ['100 PTRs: truncated (TC)', ptr(Z.truncated)],
];

describe.skipIf(dnsServer === null)('readFastAnswer on answers recorded from knot', () => {
  it.each(plain)('%s: read as the full decoder reads it', async (_label, [name, type]) => {
    const message = await record(name, type);
    const fast = readFastAnswer(message, name, TYPE_CODES[type] ?? 0);
    expect(fast).not.toBeNull();
    const mine = fast?.kind === 'records' ? { ...fast, data: fast.data.map((value) => canonical(value, type)) } : fast;
    expect(fullReading(message, name, type)).toEqual({ accepted: true, reading: mine });
  });

  it.each(unusual)('%s: left to the full decoder', async (_label, [name, type]) => {
    const message = await record(name, type);
    expect(readFastAnswer(message, name, TYPE_CODES[type] ?? 0)).toBeNull();
    expect(fullReading(message, name, type).accepted).toBe(true);
  });

  it('refuses a recorded answer for a question it does not repeat', async () => {
    const [name] = ptr(Z.confirmed);
    const message = await record(name, 'PTR');
    expect(readFastAnswer(message, reverseNameFor(parseIpAddress(Z.mismatch)!), TYPE_PTR)).toBeNull();
    expect(readFastAnswer(message, name, TYPE_A)).toBeNull();
  });
});
