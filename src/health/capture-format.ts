// The text of a live capture. Delegates to the capture layer's formatNetsleuthCapture once it
// lands; until then a header of '#' comments plus a `netstat -tan`-shaped table, which the
// Linux netstat parser reads.
import type { Connection } from '../model/connection.js';

export interface CaptureHeader {
  host: string;
  capturedAt: string;
  source: string;
}

function endpoint(address: string, port: number | null): string {
  const host = address.includes(':') ? address : address;
  return `${host}:${port === null ? '*' : port}`;
}

export function formatLiveCapture(header: CaptureHeader, connections: readonly Connection[]): string {
  const lines = [
    '# netsleuth capture',
    `# host: ${header.host}`,
    `# captured-at: ${header.capturedAt}`,
    `# source: ${header.source}`,
    'Active Internet connections (servers and established)',
    'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
  ];
  for (const connection of connections) {
    const proto = connection.ipVersion === 6 ? 'tcp6' : 'tcp';
    lines.push([
      proto.padEnd(5),
      String(connection.recvQ ?? 0).padStart(6),
      String(connection.sendQ ?? 0).padStart(6),
      endpoint(connection.localAddress, connection.localPort).padEnd(23),
      endpoint(connection.remoteAddress, connection.remotePort).padEnd(23),
      connection.state,
    ].join(' '));
  }
  return lines.join('\n') + '\n';
}
