// The hand-written query encoder says exactly what dns-packet would; the
// answer checker never throws, whatever the bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { checkAnswer, encodeQuery } from '../../../src/enrich/rdns/dns-client.js';
import { interpretAnswer } from '../../../src/enrich/rdns/interpret-answer.js';

const reference = (id: number, name: string, type: RecordType, edns: boolean) =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } satisfies dnsPacket.OptAnswer] } : {}),
  });

describe('encodeQuery', () => {
  it.each([
    ['1.113.0.203.in-addr.arpa', 'PTR'],
    ['b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa', 'PTR'],
    ['host1.example.test.', 'A'],
    ['v6host.example.test', 'AAAA'],
    ['in-addr.arpa', 'SOA'],
  ] as const)('%s %s is byte-identical to dns-packet', (name, type) => {
    for (const edns of [true, false]) expect(encodeQuery(0x1234, name, type, edns).equals(reference(0x1234, name, type, edns))).toBe(true);
  });

  it('matches dns-packet for any ASCII hostname, ID and type', () => {
    const label = fc.stringMatching(/^[a-z0-9_-]{1,63}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom<RecordType>('PTR', 'A', 'AAAA'), fc.boolean(), (labels, id, type, edns) => {
        const name = labels.join('.');
        expect(encodeQuery(id, name, type, edns).equals(reference(id, name, type, edns))).toBe(true);
      }),
    );
  });

  it('hands other names to dns-packet (non-ASCII, over-long labels are its to refuse)', () => {
    expect(dnsPacket.decode(encodeQuery(1, 'café.example', 'A', false)).questions?.[0]?.name).toBe('café.example');
    expect(dnsPacket.decode(encodeQuery(1, 'example.test', 'TXT', false)).questions?.[0]?.type).toBe('TXT');
  });
});

describe('checkAnswer on hostile bytes', () => {
  const name = '1.113.0.203.in-addr.arpa';
  const valid = dnsPacket.encode({
    type: 'response',
    id: 7,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'PTR', name, class: 'IN' }],
    answers: [{ type: 'PTR', name, ttl: 60, class: 'IN', data: 'host1.example.test' }],
    authorities: [{ type: 'SOA', name: 'in-addr.arpa', ttl: 60, class: 'IN', data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } }],
  });

  it('accepts the untouched reply', () => {
    expect(checkAnswer(valid, 7, name, 'PTR').kind).toBe('message');
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => void checkAnswer(Buffer.from(bytes), 7, name, 'PTR')));
  });

  it('never throws on a valid reply with bytes flipped, cut or appended (nor does reading what decodes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(valid.length),
        fc.uint8Array({ maxLength: 40 }),
        (flips, cut, tail) => {
          const bytes = Buffer.from(valid);
          for (const [at, value] of flips) bytes[at] = value;
          const outcome = checkAnswer(Buffer.concat([bytes.subarray(0, cut), Buffer.from(tail)]), 7, name, 'PTR');
          expect(['message', 'error']).toContain(outcome.kind);
          if (outcome.kind === 'message') void interpretAnswer(outcome.packet, 'NOERROR', name, 'PTR');
        },
      ),
    );
  });
});
