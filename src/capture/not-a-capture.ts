// netstat also prints interface (-i), routing (-r) and statistics (-s) tables. They are not
// connection lists; recognise them so the error says what the file is and what to run instead.
export interface NonConnectionKind {
  kind: 'interface table' | 'routing table' | 'protocol statistics';
  command: string;
}

const SIGNATURES: { pattern: RegExp; result: NonConnectionKind }[] = [
  // Linux: "Kernel Interface table" / "Iface      MTU    RX-OK"; BSD/macOS: "Name  Mtu   Network   Address  Ipkts"
  { pattern: /^(Kernel Interface table|Iface\s+MTU\s|Name\s+Mtu\s+Network\s)/m, result: { kind: 'interface table', command: 'netstat -i' } },
  // Linux "Kernel IP routing table", BSD/macOS "Routing tables", Windows "IPv4 Route Table"
  { pattern: /^(Kernel IP(v6)? routing table|Routing tables|IPv4 Route Table|=+\r?\nInterface List)/m, result: { kind: 'routing table', command: 'netstat -r' } },
  { pattern: /^Destination\s+Gateway\s/m, result: { kind: 'routing table', command: 'netstat -r' } },
  // Linux "Ip:\n    Forwarding: 1" / "Tcp:\n    12 active connection openings"; BSD "tcp:\n\t12 packets sent"; Windows "IPv4 Statistics"
  { pattern: /^(Ip|Tcp|Udp|Icmp):\r?\n[ \t]+(\d+|Forwarding:)/m, result: { kind: 'protocol statistics', command: 'netstat -s' } },
  { pattern: /^(tcp|udp|ip|icmp):\r?\n\t\d+ /m, result: { kind: 'protocol statistics', command: 'netstat -s' } },
  { pattern: /^(IPv4|IPv6|TCP|UDP) Statistics( for IPv[46])?\s*$/m, result: { kind: 'protocol statistics', command: 'netstat -s' } },
];

export function recogniseNonConnectionOutput(sample: string): NonConnectionKind | null {
  for (const signature of SIGNATURES) if (signature.pattern.test(sample)) return signature.result;
  return null;
}
