// The wire reader for plain answers: it must accept only what the full decoder accepts,
// read it the same way, and leave everything unusual or hostile to the full decoder.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import * as dnsPacket from 'dns-packet';
import { encodeQuery } from '../../../src/enrich/rdns/dns-client.js';
import { readFastAnswer, TYPE_A, TYPE_AAAA, TYPE_PTR } from '../../../src/enrich/rdns/fast-answer.js';
import { presentPtrName } from '../../../src/enrich/rdns/ptr-name.js';
import { canonical, fullReading } from '../../support/fast-answer-oracle.js';
import { ptrRecord, RCODE, responseTo, soaRecord } from '../../support/dns-test-server.js';

const NAME = '1.113.0.203.in-addr.arpa';
const TYPE_CODES: Record<string, number> = { PTR: TYPE_PTR, A: TYPE_A, AAAA: TYPE_AAAA };

const queryFor = (name: string, type: RecordType = 'PTR'): DecodedPacket => dnsPacket.decode(encodeQuery(0x1234, name, type, true));
const answer = (sections: Parameters<typeof responseTo>[1], name = NAME, type: RecordType = 'PTR') => responseTo(queryFor(name, type), sections);

/** The fast reading, held to the full decoder's: when the fast reader answers, the full path accepts the same answer. */
function fastAgrees(message: Buffer, qname: string, qtype: RecordType): ReturnType<typeof readFastAnswer> {
  const fast = readFastAnswer(message, qname.toLowerCase(), TYPE_CODES[qtype] ?? 0);
  if (fast === null) return null;
  const full = fullReading(message, qname, qtype);
  const mine = fast.kind === 'records' ? { ...fast, data: fast.data.map((value) => canonical(value, qtype)) } : fast;
  expect(full, `fast reader accepted what the full path read as ${JSON.stringify(full)}`).toEqual({ accepted: true, reading: mine });
  return fast;
}

describe('readFastAnswer on plain answers', () => {
  it('reads a PTR answer: names, TTL, rcode', () => {
    const message = answer({ answers: [ptrRecord(NAME, 'host1.example.test', 3600)] });
    expect(fastAgrees(message, NAME, 'PTR')).toEqual({ kind: 'records', data: ['host1.example.test'], ttl: 3600, rcode: 'NOERROR' });
  });

  it('reads several PTRs, with the lowest TTL', () => {
    const message = answer({ answers: [ptrRecord(NAME, 'b.example.test', 600), ptrRecord(NAME, 'a.example.test', 60)] });
    expect(fastAgrees(message, NAME, 'PTR')).toEqual({ kind: 'records', data: ['b.example.test', 'a.example.test'], ttl: 60, rcode: 'NOERROR' });
  });

  it('reads NXDOMAIN and NODATA with the SOA negative TTL (RFC 2308), and without an SOA as null', () => {
    expect(fastAgrees(answer({ rcode: RCODE.NXDOMAIN, authorities: [soaRecord('in-addr.arpa', 900, 120)] }), NAME, 'PTR')).toEqual({ kind: 'nxdomain', ttl: 120, rcode: 'NXDOMAIN' });
    expect(fastAgrees(answer({ authorities: [soaRecord('in-addr.arpa', 90, 300)] }), NAME, 'PTR')).toEqual({ kind: 'nodata', ttl: 90, rcode: 'NOERROR' });
    expect(fastAgrees(answer({ rcode: RCODE.NXDOMAIN }), NAME, 'PTR')).toEqual({ kind: 'nxdomain', ttl: null, rcode: 'NXDOMAIN' });
  });

  it('reads a bare SERVFAIL or REFUSED as a failure of that server', () => {
    expect(fastAgrees(answer({ rcode: RCODE.SERVFAIL }), NAME, 'PTR')).toEqual({ kind: 'failed', rcode: 'SERVFAIL' });
    expect(fastAgrees(answer({ rcode: RCODE.REFUSED }), NAME, 'PTR')).toEqual({ kind: 'failed', rcode: 'REFUSED' });
  });

  it('matches the question and owner names without regard to ASCII case', () => {
    const message = answer({ questionName: NAME.toUpperCase(), answers: [ptrRecord('1.113.0.203.IN-ADDR.ARPA', 'Host1.Example.TEST')] });
    expect(fastAgrees(message, NAME, 'PTR')).toMatchObject({ kind: 'records', data: ['Host1.Example.TEST'] });
  });

  it('reads A and AAAA answers for the forward check', () => {
    const a = answer({ answers: [{ type: 'A', name: 'host1.example.test', ttl: 60, class: 'IN', data: '203.0.113.1' }] }, 'host1.example.test', 'A');
    expect(fastAgrees(a, 'host1.example.test', 'A')).toEqual({ kind: 'records', data: ['203.0.113.1'], ttl: 60, rcode: 'NOERROR' });
    const aaaa = answer({ answers: [{ type: 'AAAA', name: 'v6.example.test', ttl: 60, class: 'IN', data: '2001:db8::1' }] }, 'v6.example.test', 'AAAA');
    expect(fastAgrees(aaaa, 'v6.example.test', 'AAAA')).toMatchObject({ kind: 'records', data: [expect.stringMatching(/^2001:db8:0/)] });
  });
});

describe('readFastAnswer leaves the unusual to the full decoder (null)', () => {
  const cases: [string, Buffer, string?, RecordType?][] = [
    ['a CNAME (RFC 2317 classless delegation)', answer({ answers: [{ type: 'CNAME', name: NAME, ttl: 60, class: 'IN', data: '1.0-25.113.0.203.in-addr.arpa' }, ptrRecord('1.0-25.113.0.203.in-addr.arpa', 'classless.example.test')] })],
    ['TC set', answer({ truncated: true })],
    ['SERVFAIL with an answer record', answer({ rcode: RCODE.SERVFAIL, answers: [ptrRecord(NAME, 'x.example.test')] })],
    ['REFUSED with an authority record', answer({ rcode: RCODE.REFUSED, authorities: [soaRecord('in-addr.arpa', 60, 60)] })],
    ['FORMERR', answer({ rcode: RCODE.FORMERR })],
    ['an answer for another name', answer({ answers: [ptrRecord('2.113.0.203.in-addr.arpa', 'other.example.test')] })],
    ['another question', answer({ questionName: '9.9.9.9.in-addr.arpa', answers: [ptrRecord('9.9.9.9.in-addr.arpa', 'other.example.test')] })],
    ['another record type in the answer', answer({ answers: [{ type: 'TXT', name: NAME, ttl: 60, class: 'IN', data: 'x' }] })],
    ['a record of another class', answer({ answers: [{ ...ptrRecord(NAME, 'x.example.test'), class: 'CH' } as Answer] })],
    ['NXDOMAIN that still carries answers', answer({ rcode: RCODE.NXDOMAIN, answers: [ptrRecord(NAME, 'x.example.test')] })],
    ['a query (QR clear) echoed back', encodeQuery(0x1234, NAME, 'PTR', true)],
  ];
  it.each(cases)('%s', (_label, message, name = NAME, type = 'PTR') => {
    expect(readFastAnswer(message, name, TYPE_CODES[type] ?? 0)).toBeNull();
  });

  it('a PTR whose RDLENGTH is longer than its name (dns-packet steps over the name, the walk over RDLENGTH)', () => {
    expect(readFastAnswer(withPtrRdata([...label('x'), 0, 0, 0]), NAME, TYPE_PTR)).toBeNull();
  });

  it('returns null for every truncation of a good answer', () => {
    const message = answer({ answers: [ptrRecord(NAME, 'host1.example.test')], authorities: [soaRecord('in-addr.arpa', 60, 60)] });
    expect(readFastAnswer(message, NAME, TYPE_PTR)).not.toBeNull();
    for (let length = 0; length < message.length; length++) expect(readFastAnswer(message.subarray(0, length), NAME, TYPE_PTR), `first ${length} bytes`).toBeNull();
  });
});

/** A PTR answer whose rdata is `rdata` (raw bytes): the owner is a pointer to the question name at offset 12. */
function withPtrRdata(rdata: number[], ttl = 60): Buffer {
  const head = Buffer.from(answer({}));
  head.writeUInt16BE(1, 6);
  const record = Buffer.from([0xc0, 12, 0, 12, 0, 1, 0, 0, ttl >> 8, ttl & 255, rdata.length >> 8, rdata.length & 255, ...rdata]);
  return Buffer.concat([head, record]);
}
const label = (text: string | number[]) => {
  const bytes = typeof text === 'string' ? [...Buffer.from(text, 'latin1')] : text;
  return [bytes.length, ...bytes];
};

/** `message` with an EDNS0 OPT record carrying `options` (raw bytes) appended to the additional section. */
function withOpt(message: Buffer, options: number[]): Buffer {
  const opt = Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, options.length >> 8, options.length & 255, ...options]);
  const result = Buffer.concat([message, opt]);
  result.writeUInt16BE(result.readUInt16BE(10) + 1, 10);
  return result;
}

describe('readFastAnswer on hostile answers', () => {
  it('reads past an OPT record with an Extended DNS Error option, and refuses options that overrun it', () => {
    expect(fastAgrees(withOpt(answer({ rcode: RCODE.REFUSED }), [0, 15, 0, 2, 0, 20]), NAME, 'PTR')).toEqual({ kind: 'failed', rcode: 'REFUSED' });
    expect(readFastAnswer(withOpt(answer({ rcode: RCODE.REFUSED }), [0, 15, 0, 9, 0, 20]), NAME, TYPE_PTR)).toBeNull();
    expect(readFastAnswer(withOpt(answer({ rcode: RCODE.REFUSED }), [0, 15, 0]), NAME, TYPE_PTR)).toBeNull();
    // An ECS option: dns-packet decodes it field by field, so the full decoder reads it.
    expect(readFastAnswer(withOpt(answer({ rcode: RCODE.REFUSED }), [0, 8, 0, 4, 0, 1, 0, 0]), NAME, TYPE_PTR)).toBeNull();
  });

  it('keeps the bytes of a PTR name with control characters as \\DDD, and presentPtrName never lets them through', () => {
    const message = withPtrRdata([...label([0x65, 0x76, 0x69, 0x6c, 0x1b, 0x5b, 0x33, 0x31, 0x6d]), ...label('example'), ...label('test'), 0]);
    const fast = fastAgrees(message, NAME, 'PTR');
    expect(fast).toMatchObject({ kind: 'records', data: ['evil\\027\\09131m.example.test'] });
    const presented = presentPtrName(fast?.kind === 'records' ? (fast.data[0] as string) : '');
    expect(presented.valid).toBe(false);
    expect(presented.name).not.toMatch(/[\u0000-\u001f\u007f[]/);
  });

  it('keeps NUL, newline, pipe, backtick, angle brackets, dots inside labels and bytes above 127 escaped', () => {
    const message = withPtrRdata([...label([0x6e, 0, 0x0a, 0x7c, 0x60, 0x3c, 0x3e, 0x2e, 0xff, 0x80]), ...label('test'), 0]);
    const fast = fastAgrees(message, NAME, 'PTR');
    expect(fast).toMatchObject({ kind: 'records', data: ['n\\000\\010\\124\\096\\060\\062\\046\\255\\128.test'] });
  });

  it.each([
    ['a PTR name that points to itself (compression loop)', (() => {
      const base = answer({});
      return withPtrRdata([0xc0, base.length + 12]);
    })()],
    ['a PTR name with a forward pointer', withPtrRdata([0xc0, 0xff])],
    ['a PTR name with a reserved label type', withPtrRdata([0x80, 0])],
    ['a PTR name over 255 octets', withPtrRdata([...label('a'.repeat(63)), ...label('b'.repeat(63)), ...label('c'.repeat(63)), ...label('d'.repeat(63)), 0])],
    ['a PTR whose RDLENGTH runs past the end of the message', withPtrRdata([...label('x'), 0]).subarray(0, -1)],
    ['an owner name that is a pointer loop', (() => {
      const message = Buffer.from(withPtrRdata([...label('x'), 0]));
      const ownerAt = answer({}).length;
      message[ownerAt + 1] = ownerAt;
      return message;
    })()],
  ])('%s: null, and the full decoder refuses it too', (_label, message) => {
    expect(readFastAnswer(message, NAME, TYPE_PTR)).toBeNull();
    expect(fullReading(message, NAME, 'PTR').accepted).toBe(false);
  });

  it('follows a chain of backward pointers only up to its bound', () => {
    // 80 pointers, each to the one before it, ending at the question name: dns-packet would follow them all; both bounds refuse.
    const base = Buffer.from(answer({}));
    base.writeUInt16BE(1, 6);
    const chain: number[] = [];
    for (let index = 0; index < 80; index++) chain.push(0xc0, index === 0 ? 12 : base.length + 2 * (index - 1));
    const ownerAt = base.length + chain.length;
    const message = Buffer.concat([base, Buffer.from(chain), Buffer.from([0xc0, ownerAt - 2, 0, 12, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12])]);
    // The header now counts the chain as part of the answer record's owner name: point the record's owner at the last link.
    message.writeUInt16BE(1, 6);
    expect(readFastAnswer(message, NAME, TYPE_PTR)).toBeNull();
  });

  it('on any mutation of real answers: never throws, and accepts only what the full decoder accepts, read the same way', () => {
    const bases = [
      answer({ answers: [ptrRecord(NAME, 'host1.example.test', 3600)], authorities: [{ type: 'NS', name: 'in-addr.arpa', ttl: 60, class: 'IN', data: 'ns.test' }] }),
      answer({ answers: [ptrRecord(NAME, 'b.example.test'), ptrRecord(NAME, 'a.example.test')] }),
      answer({ rcode: RCODE.NXDOMAIN, authorities: [soaRecord('in-addr.arpa', 900, 120)] }),
      answer({ authorities: [soaRecord('in-addr.arpa', 90, 300)] }),
      answer({ answers: [{ type: 'A', name: 'host1.example.test', ttl: 60, class: 'IN', data: '203.0.113.1' }] }, 'host1.example.test', 'A'),
      withOpt(answer({ rcode: RCODE.REFUSED }, 'host1.example.test', 'A'), [0, 15, 0, 2, 0, 20]),
    ];
    const names: [string, RecordType][] = [[NAME, 'PTR'], [NAME, 'PTR'], [NAME, 'PTR'], [NAME, 'PTR'], ['host1.example.test', 'A'], ['host1.example.test', 'A']];
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat({ max: bases.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 3 }), fc.option(fc.nat()), (which, edits, cut) => {
        const message = Buffer.from(bases[which] as Buffer);
        // Leave the ID alone: the client matches it before the reader runs.
        for (const [at, value] of edits) message[2 + (at % (message.length - 2))] = value;
        const mutated = cut === null ? message : message.subarray(0, cut % (message.length + 1));
        const [qname, qtype] = names[which] as [string, RecordType];
        if (fastAgrees(mutated, qname, qtype) !== null) accepted++;
      }),
      { numRuns: 3000 },
    );
    // Mutations that keep the answer plain (TTLs, SOA fields, letter case) are still read: about 3% of them.
    expect(accepted).toBeGreaterThan(20);
  });
});
