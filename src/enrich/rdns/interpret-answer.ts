// What a verified reply says about one question, following CNAME chains inside
// the answer section. RFC 2317 classless delegation is exactly such a chain:
//   10.113.0.203.in-addr.arpa. CNAME 10.0-25.113.0.203.in-addr.arpa.
//   10.0-25.113.0.203.in-addr.arpa. PTR classless.example.test.
// (knot returns both in one answer; when the target lives in another zone it
// returns the CNAME alone, with no SOA, and the caller asks again for the target.)
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';

export type Interpretation =
  | { kind: 'records'; data: string[]; ttl: number }
  | { kind: 'cname'; target: string; ttl: number; visited: string[] }
  | { kind: 'nxdomain'; ttl: number | null }
  | { kind: 'nodata'; ttl: number | null }
  | { kind: 'loop'; visited: string[] }
  | { kind: 'rcode'; rcode: string };

const lower = (name: string) => {
  const lowered = name.toLowerCase();
  return lowered.endsWith('.') ? lowered.slice(0, -1) : lowered;
};

export function interpretAnswer(packet: DecodedPacket, rcode: string, qname: string, qtype: RecordType): Interpretation {
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return { kind: 'rcode', rcode };
  const answers = (packet.answers ?? [])
    .filter((record) => !('class' in record) || (record.class ?? 'IN') === 'IN')
    .map((record) => ({ record, owner: lower(record.name) }));
  let current = lower(qname);
  const visited = [current];
  let ttl = Number.POSITIVE_INFINITY;
  for (;;) {
    const matching = answers.filter(({ record, owner }) => record.type === qtype && owner === current).map(({ record }) => record);
    if (matching.length > 0) {
      const data = matching.map((record) => String((record as { data: unknown }).data));
      return { kind: 'records', data, ttl: Math.min(ttl, ...matching.map(recordTtl)) };
    }
    const cname = answers.find(({ record, owner }) => record.type === 'CNAME' && owner === current)?.record;
    if (!cname) break;
    const target = lower(String('data' in cname ? cname.data : ''));
    ttl = Math.min(ttl, recordTtl(cname));
    if (visited.includes(target)) return { kind: 'loop', visited };
    visited.push(target);
    current = target;
  }
  const negativeTtl = soaNegativeTtl(packet.authorities ?? []);
  if (rcode === 'NXDOMAIN') return { kind: 'nxdomain', ttl: minTtl(ttl, negativeTtl) };
  // The chain left the answer without an SOA: the server is not authoritative for the target.
  if (visited.length > 1 && negativeTtl === null) return { kind: 'cname', target: current, ttl, visited };
  return { kind: 'nodata', ttl: minTtl(ttl, negativeTtl) };
}

function recordTtl(record: Answer): number {
  return 'ttl' in record && typeof record.ttl === 'number' ? record.ttl : 0;
}

/** RFC 2308 5: a negative answer lives for min(SOA TTL, SOA MINIMUM); without an SOA it is not cached. */
function soaNegativeTtl(authorities: Answer[]): number | null {
  const soa = authorities.find((record) => record.type === 'SOA');
  if (soa?.type !== 'SOA') return null;
  return Math.min(recordTtl(soa), soa.data.minimum ?? 0);
}

function minTtl(chainTtl: number, negativeTtl: number | null): number | null {
  if (negativeTtl === null) return null;
  return Math.min(chainTtl, negativeTtl);
}
