// The full decoder's reading of an answer (checkAnswer, then interpretAnswer), in the
// shape readFastAnswer gives, so tests can hold the fast reader to it.
import type { RecordType } from 'dns-packet';
import { checkAnswer } from '../../src/enrich/rdns/dns-client.js';
import type { FastAnswer } from '../../src/enrich/rdns/fast-answer.js';
import { interpretAnswer } from '../../src/enrich/rdns/interpret-answer.js';
import { rcodeName } from '../../src/enrich/rdns/rcode.js';
import { parseIpAddress } from '../../src/net/ip.js';

export type FullReading = { accepted: false; detail: string } | { accepted: true; reading: FastAnswer | { kind: 'other'; what: string } };

/** What the full path makes of `message` as the answer to `qname`/`qtype` (its ID taken as ours). */
export function fullReading(message: Buffer, qname: string, qtype: RecordType): FullReading {
  const id = message.length >= 2 ? message.readUInt16BE(0) : 0;
  const verdict = checkAnswer(message, id, qname, qtype);
  if (verdict.kind === 'error') return { accepted: false, detail: verdict.detail };
  if (verdict.packet.flag_tc) return { accepted: true, reading: { kind: 'other', what: 'truncated' } };
  const rcode = rcodeName(verdict.rcode);
  const meaning = interpretAnswer(verdict.packet, rcode, qname, qtype);
  if (meaning.kind === 'records' && rcode === 'NOERROR') return { accepted: true, reading: { kind: 'records', data: meaning.data.map((value) => canonical(value, qtype)), ttl: meaning.ttl, rcode } };
  if (meaning.kind === 'nxdomain' && rcode === 'NXDOMAIN') return { accepted: true, reading: { kind: 'nxdomain', ttl: meaning.ttl, rcode } };
  if (meaning.kind === 'nodata' && rcode === 'NOERROR') return { accepted: true, reading: { kind: 'nodata', ttl: meaning.ttl, rcode } };
  if (meaning.kind === 'rcode' && (rcode === 'SERVFAIL' || rcode === 'REFUSED')) return { accepted: true, reading: { kind: 'failed', rcode } };
  return { accepted: true, reading: { kind: 'other', what: `${meaning.kind} ${rcode}` } };
}

/** Addresses compared as addresses (dns-packet and the fast reader spell IPv6 differently). */
export function canonical(value: string, qtype: RecordType): string {
  return qtype === 'A' || qtype === 'AAAA' ? (parseIpAddress(value)?.text ?? value) : value;
}
