// A minimal /proc/net/tcp{,6} reader, used only until the capture layer's parser
// (src/capture/parsers/proc-net.ts) lands. Lines look like:
//   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   114        0 23011 1 ...
// Addresses are hex in host byte order (little-endian on x86/arm): 0100007F is 127.0.0.1.
import type { Connection, ConnectionState } from '../model/connection.js';
import { parseIpAddress } from '../net/ip.js';

const STATES: Record<string, ConnectionState> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING', '0C': 'SYN_RECV',
};

function word(hex: string): number[] {
  // One little-endian 32-bit word -> 4 bytes in network order.
  const bytes: number[] = [];
  for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

function decodeAddress(hex: string): string | null {
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return null;
  if (hex.length === 8) return word(hex).join('.');
  if (hex.length !== 32) return null;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) bytes.push(...word(hex.slice(i, i + 8)));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return parseIpAddress(groups.join(':'))?.text ?? null;
}

export function parseProcNetTcp(text: string, file: string): Connection[] {
  const connections: Connection[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !/^\d+:$/.test(fields[0] ?? '')) return;
    const [localHex, localPortHex] = (fields[1] ?? '').split(':');
    const [remoteHex, remotePortHex] = (fields[2] ?? '').split(':');
    const stateHex = (fields[3] ?? '').toUpperCase();
    const [txHex, rxHex] = (fields[4] ?? '').split(':');
    const localAddress = decodeAddress(localHex ?? '');
    const remoteAddress = decodeAddress(remoteHex ?? '');
    if (localAddress === null || remoteAddress === null) return;
    const ipVersion = (localHex ?? '').length === 8 ? 4 : 6;
    connections.push({
      protocol: 'tcp',
      ipVersion,
      localAddress,
      localPort: parseInt(localPortHex ?? '0', 16),
      remoteAddress,
      remotePort: parseInt(remotePortHex ?? '0', 16),
      state: STATES[stateHex] ?? 'UNKNOWN',
      rawState: stateHex,
      recvQ: parseInt(rxHex ?? '0', 16),
      sendQ: parseInt(txHex ?? '0', 16),
      pid: null,
      program: null,
      source: { file, line: index + 1 },
    });
  });
  return connections;
}
