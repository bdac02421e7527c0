// The hand-written query encoder says exactly what dns-packet would.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { encodeQuery } from '../../../src/enrich/rdns/dns-client.js';

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
