// The reverse zones the test knot server serves (zone text generated here).
// Other tests may rely on these names; add to them, do not change them.
//
//   IPv4, zone in-addr.arpa. (SOA minimum 300, record TTL 3600):
//   203.0.113.1   PTR host1.example.test.          A 203.0.113.1   -> ok, fcrdns confirmed
//   203.0.113.2   PTR mismatch.example.test.       A 203.0.113.200 -> ok, fcrdns mismatch
//   203.0.113.3   PTR a.multi.example.test. + b.multi.example.test.  (b has A 203.0.113.3: confirmed)
//   203.0.113.4   (nothing)                        -> nxdomain, negative TTL 300
//   203.0.113.5   TXT only                         -> nodata
//   203.0.113.6   PTR gone.example.test. (no A)    -> ok, fcrdns mismatch (name does not exist)
//   203.0.113.10  CNAME 10.0-25.113.0.203.in-addr.arpa. PTR classless.example.test.  (RFC 2317, one answer)
//   203.0.113.11  CNAME 11.sub.example.test. (another zone: a second query) PTR outside.example.test. A 203.0.113.11 (confirmed)
//   203.0.113.12  CNAME 13... CNAME 12...          -> error, CNAME loop
//   203.0.113.20  PTR "evil<ESC>[31mred.example.test."   control characters (\027)
//   203.0.113.21  PTR "a|b`c.example.test."               markdown pipe and backtick
//   203.0.113.22  PTR "<script>alert(1)</script>.example.test."
//   203.0.113.23  PTR a 253-character name (255 bytes on the wire, the maximum); outside every zone: A is REFUSED, fcrdns unknown
//   203.0.113.25  PTR "nul<NUL>nl<LF>.example.test."
//   203.0.113.30  100 PTRs name-NNN.big.example.test. -> about 2.5 kB: TC over UDP, read over TCP
//   198.51.100.0/24 and every other IPv4 -> nxdomain
//
//   IPv6, zone ip6.arpa.:
//   2001:db8::1   PTR v6host.example.test.   AAAA 2001:db8::1 -> ok, fcrdns confirmed
//   2001:db8::2   (nothing)                                    -> nxdomain
//
//   Forward zone test. holds the A/AAAA records above.

export const ZONE_ADDRESSES = {
  confirmed: '203.0.113.1',
  mismatch: '203.0.113.2',
  multiple: '203.0.113.3',
  nxdomain: '203.0.113.4',
  nodata: '203.0.113.5',
  forwardMissing: '203.0.113.6',
  rfc2317: '203.0.113.10',
  crossZoneCname: '203.0.113.11',
  cnameLoop: '203.0.113.12',
  controlChars: '203.0.113.20',
  markdown: '203.0.113.21',
  html: '203.0.113.22',
  longName: '203.0.113.23',
  nulNewline: '203.0.113.25',
  truncated: '203.0.113.30',
  v6confirmed: '2001:db8::1',
  v6nxdomain: '2001:db8::2',
} as const;

export const BIG_PTR_COUNT = 100;
export const LONG_NAME = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

const HEADER = `$TTL 3600
@ SOA ns.test. hostmaster.test. 1 3600 900 604800 300
@ NS ns.test.
`;

export function reverseV4ZoneText(): string {
  const big = Array.from({ length: BIG_PTR_COUNT }, (_, i) => `30.113.0.203 PTR name-${String(i).padStart(3, '0')}.big.example.test.`);
  return `$ORIGIN in-addr.arpa.
${HEADER}1.113.0.203 PTR host1.example.test.
2.113.0.203 PTR mismatch.example.test.
3.113.0.203 PTR a.multi.example.test.
3.113.0.203 PTR b.multi.example.test.
5.113.0.203 TXT "exists, but has no PTR"
6.113.0.203 PTR gone.example.test.
10.113.0.203 CNAME 10.0-25.113.0.203
10.0-25.113.0.203 PTR classless.example.test.
11.113.0.203 CNAME 11.sub.example.test.
12.113.0.203 CNAME 13.113.0.203
13.113.0.203 CNAME 12.113.0.203
20.113.0.203 PTR evil\\027\\09131mred.example.test.
21.113.0.203 PTR a\\124b\\096c.example.test.
22.113.0.203 PTR \\060script\\062alert\\0401\\041\\060\\047script\\062.example.test.
23.113.0.203 PTR ${LONG_NAME}.
25.113.0.203 PTR nul\\000nl\\010.example.test.
${big.join('\n')}
`;
}

export function reverseV6ZoneText(): string {
  const nibbles = (last: string) => `${last}.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2`;
  return `$ORIGIN ip6.arpa.
${HEADER}${nibbles('1')} PTR v6host.example.test.
`;
}

export function forwardZoneText(): string {
  return `$ORIGIN test.
${HEADER}ns A 127.0.0.1
host1.example A 203.0.113.1
mismatch.example A 203.0.113.200
a.multi.example A 203.0.113.201
b.multi.example A 203.0.113.3
11.sub.example PTR outside.example.test.
outside.example A 203.0.113.11
v6host.example AAAA 2001:db8::1
`;
}
