// Response codes (RFC 1035 4.1.1, RFC 2136, RFC 6895): the 4 header bits.
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? `RCODE${code}`;
}

/** The rcode straight from the header bytes, so it is known even when the rest fails to decode. */
export function rcodeOfMessage(message: Buffer): number {
  return (message[3] ?? 0) & 0x0f;
}
